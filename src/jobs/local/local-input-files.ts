import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { AppError, firstLine } from '../../errors.js';
import { checkGzipComplete, isGzipName, verifyLocalInput } from '../../pipeline/input-check.js';
import type { StageContext } from '../../pipeline/pipeline-types.js';
import { isS3 } from '../../storage/location.js';
import { downloadToFile } from '../../storage/s3/s3-transfer.js';
import type { AbortableDuckDB } from './duckdb-runner.js';
import { readCsvSql } from './quality-sql.js';

/** Gzip files checked at once (each is one core's worth of inflating). */
const GUNZIP_AT_ONCE = 4;
/** Local files re-fingerprinted at once before a stage reads them. */
const VERIFY_AT_ONCE = 16;

/**
 * A run's input as local files for DuckDB: s3:// files are streamed to scratch once (If-Match their
 * ETag), local ones are the files recorded at submit, checked unchanged before each stage reads them.
 * Each `.gz` file is inflated end to end once before DuckDB reads it, because DuckDB reads a
 * truncated gzip stream without an error (it stops at the cut, losing rows silently); zlib checks
 * the stream's end, CRC and length.
 */
/** DuckDB's errors about what it read (CSV shape, sniffing, values, a file it cannot open or decompress). */
const INPUT_ERROR = /Invalid Input Error|Conversion Error|CSV|sniff|No files found|gzip|decompress|Could not open file|Invalid unicode|Parser Error/i;

export class LocalInputFiles {
  /** The input file (path or s3:// URL) each local file stands for. */
  private readonly sources = new Map<string, string>();
  private readonly downloaded = new Map<string, string>();
  private readonly inflated = new Set<string>();

  constructor(private readonly scratch: string, private readonly s3: () => S3Client) {}

  /** The local files to read, in the run's order. */
  async prepare(ctx: StageContext, fallback: string): Promise<string[]> {
    if (ctx.inputFiles.length === 0) return [fallback];
    const verify = pLimit(VERIFY_AT_ONCE);
    await Promise.all(ctx.inputFiles.filter((f) => !isS3(f.path)).map((f) => verify(() => verifyLocalInput(f))));
    const files: string[] = [];
    // S3 files one after the other: scratch holds at most what the run reads anyway.
    for (const [i, f] of ctx.inputFiles.entries()) {
      files.push(isS3(f.path) ? await this.download(ctx, f.path, i, f.etag) : await this.gzipNamed(f.path, i));
      this.sources.set(files[i]!, f.path);
    }
    const gunzip = pLimit(GUNZIP_AT_ONCE);
    await Promise.all(files.filter((f) => isGzipName(f) && !this.inflated.has(f)).map((f) => gunzip(() => this.checkGzip(f, ctx.signal))));
    return files;
  }

  private async download(ctx: StageContext, url: string, i: number, etag: string | undefined): Promise<string> {
    const done = this.downloaded.get(url);
    if (done) return done;
    // DuckDB decompresses by the extension, so the copy keeps it; the index keeps copies apart.
    const file = path.join(this.scratch, 'input', `${String(i).padStart(5, '0')}${isGzipName(url) ? '.csv.gz' : '.csv'}`);
    ctx.log(`streaming ${url} to ${file}`);
    await downloadToFile(this.s3(), url, file, ctx.signal, etag);
    this.downloaded.set(url, file);
    return file;
  }

  /**
   * DuckDB decompresses only names ending in lower-case `.gz`: a `.GZ` file is read through a link
   * in scratch that ends in `.csv.gz`.
   */
  private async gzipNamed(file: string, i: number): Promise<string> {
    if (!isGzipName(file) || file.endsWith('.gz')) return file;
    const link = path.join(this.scratch, 'input', `${String(i).padStart(5, '0')}.csv.gz`);
    if (this.sources.has(link)) return link;
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(file, link);
    return link;
  }

  private async checkGzip(file: string, signal: AbortSignal): Promise<void> {
    await checkGzipComplete(file, this.sourceOf(file), signal);
    this.inflated.add(file);
  }

  sourceOf(local: string): string {
    return this.sources.get(local) ?? local;
  }

  /**
   * The input file that made reading `files` fail with `err`: the one DuckDB's message names, else
   * (one file at a time, only after a failure) the first that fails alone; undefined if none does.
   */
  async failing(db: AbortableDuckDB, files: readonly string[], err: unknown, signal: AbortSignal): Promise<string | undefined> {
    // The first line names the file that failed; later lines may name others ("Main file schema: ...").
    const line = firstLine(err);
    // The longest path named wins: /in/a.csv is a prefix of /in/a.csv.gz.
    const named = files.filter((f) => line.includes(`"${f}"`) || line.includes(` ${f}`)).sort((a, b) => b.length - a.length)[0];
    if (named) return this.sourceOf(named);
    if (files.length === 1) return this.sourceOf(files[0]!);
    for (const f of files) {
      const fails = await db.run(`SELECT count(*) FROM ${readCsvSql([f])}`, signal).then(() => false, () => !signal.aborted);
      if (fails) return this.sourceOf(f);
    }
    return undefined;
  }

  /**
   * INPUT_INVALID for a read of the input that DuckDB refused, naming the file; a failure that is not
   * about the input (memory, a full disk while writing the copy) is returned as it is, for the
   * runner's retries.
   */
  async invalid(db: AbortableDuckDB, files: readonly string[], err: unknown, signal: AbortSignal): Promise<unknown> {
    if (!INPUT_ERROR.test(firstLine(err))) return err;
    const file = await this.failing(db, files, err, signal);
    // DuckDB's first line says what is wrong; the lines after it quote the input's rows.
    const why = firstLine(err);
    // DuckDB's sniffer says only that it failed; what usually makes it fail is said here instead.
    const hint = /when sniffing file/.test(why) ? ' (its rows do not share one CSV shape: a row with more or fewer fields than the header, or broken quoting)' : '';
    const what = file ?? `one of the ${files.length} input files`;
    return new AppError('INPUT_INVALID', `cannot read ${what} as the card CSV: ${why}${hint}`, { cause: err, ...(file ? { details: { file } } : {}) });
  }
}
