import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ArtifactStaging } from '../../../src/jobs/emr/artifact-staging.js';
import { clients, newBucket, ROOT, sourceTrees, useOwnMoto } from './emr-fixtures.js';

useOwnMoto();

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

async function body(s3: S3Client, bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString();
}

async function bytes(s3: S3Client, url: string): Promise<Buffer> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url)!;
  const out = await s3.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

/** Runs Python (the project's .venv) with a staged zip first on sys.path, as `--py-files` puts it. */
async function python(zip: Buffer, code: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'lakegate-zip-')), 'pkg.zip');
  await writeFile(file, zip);
  return execFileSync(path.join(ROOT, '.venv', 'bin', 'python'), ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(file)})\n${code}`]).toString().trim();
}

/** Every version of every object in the bucket, by key: a key uploaded twice has two. */
async function versions(s3: S3Client, bucket: string): Promise<Record<string, number>> {
  const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  const counts: Record<string, number> = {};
  for (const v of out.Versions ?? []) counts[v.Key!] = (counts[v.Key!] ?? 0) + 1;
  return counts;
}

describe('staging the Spark jobs and the DDL in S3', () => {
  it('puts each file at a key derived from its content', async () => {
    const { s3 } = clients();
    const bucket = await newBucket(s3);
    const { sparkDir, ddlDir } = await sourceTrees();
    const staged = await new ArtifactStaging({ s3, staging: `s3://${bucket}/stage/` }).stage(sparkDir, ddlDir);

    const etl = await readFile(path.join(sparkDir, 'jobs', 'etl.py'));
    expect(staged.scripts.etl).toBe(`s3://${bucket}/stage/spark/${sha(etl)}/etl.py`);
    expect(await body(s3, bucket, `stage/spark/${sha(etl)}/etl.py`)).toBe(etl.toString());
    const common = await readFile(path.join(sparkDir, 'jobs', 'common.py'));
    expect(staged.pyFiles).toEqual([expect.stringMatching(/\/stage\/spark\/[0-9a-f]{64}\/lakegate_fixture\.zip$/), `s3://${bucket}/stage/spark/${sha(common)}/common.py`]);

    // The package ships as one zip that Python imports from, keyed by the zip's own hash.
    const zip = await bytes(s3, staged.pyFiles[0]!);
    expect(staged.pyFiles[0]).toBe(`s3://${bucket}/stage/spark/${sha(zip)}/lakegate_fixture.zip`);
    expect(await python(zip, 'import zipfile; print(sorted(zipfile.ZipFile(sys.path[0]).namelist()))')).toBe(
      "['lakegate_fixture/__init__.py', 'lakegate_fixture/sub/__init__.py', 'lakegate_fixture/sub/answer.py']",
    );
    expect(await python(zip, 'from lakegate_fixture.sub.answer import VALUE; print(VALUE)')).toBe('42');
    expect(Object.keys(staged.scripts).sort()).toEqual(['benchmark', 'etl', 'quality', 'quarterly']);

    // The DDL keeps its layout (the jobs read it as a directory) under the hash of the whole tree.
    const ddl = await readFile(path.join(ddlDir, 'quality_report.sql'));
    const transform = await readFile(path.join(ddlDir, 'transforms', 'monthly_trend.sql'));
    const tree = sha(`quality_report.sql\0${sha(ddl)}\ntransforms/monthly_trend.sql\0${sha(transform)}\n`);
    expect(staged.ddlDir).toBe(`s3://${bucket}/stage/ddl/${tree}`);
    expect(await body(s3, bucket, `stage/ddl/${tree}/transforms/monthly_trend.sql`)).toBe(transform.toString());
    expect(staged.objects).toHaveLength(8);
    expect(staged.objects.every((o) => o.uploaded)).toBe(true);
  });

  it('uploads a file once: a second staging (even by another process) only checks it is there', async () => {
    const { s3 } = clients();
    const bucket = await newBucket(s3, true);
    const { sparkDir, ddlDir } = await sourceTrees();
    const staging = `s3://${bucket}/stage`;
    const first = await new ArtifactStaging({ s3, staging }).stage(sparkDir, ddlDir);
    const again = new ArtifactStaging({ s3, staging });
    const second = await again.stage(sparkDir, ddlDir);
    expect(second.objects.map((o) => o.url)).toEqual(first.objects.map((o) => o.url));
    expect(second.objects.some((o) => o.uploaded)).toBe(false);
    expect(Object.values(await versions(s3, bucket))).toEqual(new Array(8).fill(1));

    // A changed job gets a new key; nothing else is uploaded again.
    await writeFile(path.join(sparkDir, 'jobs', 'etl.py'), 'print("v2")\n');
    const third = await again.stage(sparkDir, ddlDir);
    expect(third.scripts.etl).toBe(`s3://${bucket}/stage/spark/${sha('print("v2")\n')}/etl.py`);
    expect(third.objects.filter((o) => o.uploaded).map((o) => o.url)).toEqual([third.scripts.etl]);
    const counts = await versions(s3, bucket);
    expect(Object.keys(counts)).toHaveLength(9);
    expect(Object.values(counts).every((n) => n === 1)).toBe(true);
  });

  it('ships the repository\'s Spark jobs with the package they import', async () => {
    const { s3 } = clients();
    const bucket = await newBucket(s3);
    const staged = await new ArtifactStaging({ s3, staging: `s3://${bucket}/stage` }).stage(path.join(ROOT, 'spark'), path.join(ROOT, 'ddl'));
    expect(Object.keys(staged.scripts).sort()).toEqual(['benchmark', 'etl', 'quality', 'quarterly']);
    const zip = staged.pyFiles.find((u) => u.endsWith('/lakegate_spark.zip'));
    expect(zip).toBeDefined();
    expect(await python(await bytes(s3, zip!), 'import lakegate_spark.cli, lakegate_spark.tables; print("ok")')).toBe('ok');
    expect(staged.objects.map((o) => o.url)).toContain(`${staged.ddlDir}/transforms/monthly_trend.sql`);
  });

  it('refuses a staging location that is not in S3, and reports a missing bucket', async () => {
    const { s3 } = clients();
    const { sparkDir, ddlDir } = await sourceTrees();
    expect(() => new ArtifactStaging({ s3, staging: '/tmp/stage' })).toThrow(/s3:\/\//);
    await expect(new ArtifactStaging({ s3, staging: 's3://lakegate-no-such-bucket/x' }).stage(sparkDir, ddlDir)).rejects.toMatchObject({
      code: 'LOCATION_UNREACHABLE',
    });
  });
});
