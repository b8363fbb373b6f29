import { ListStepsCommand } from '@aws-sdk/client-emr';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { checkS3Input } from '../../../src/pipeline/input-check.js';
import { lake, persistentCluster, run, setStepState, stageContext, useOwnMoto } from './emr-fixtures.js';

useOwnMoto();

const HEADER = 'transaction_id,transaction_date,card_no,card_type,merchant,sub_category,category,amount,installment_months,approval_status,region\n';

describe('an s3:// input replaced after submit', () => {
  it('is refused (INPUT_CHANGED) before a step is added; the unchanged object runs', async () => {
    const l = await lake();
    const [bucket, key] = [l.bucket, l.input.slice(`s3://${l.bucket}/`.length)];
    await l.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${HEADER}T1,2024-03-01 10:00:00,1234-****-****-5678,credit,m,s,c,100,0,approved,Seoul\n` }));
    const { fingerprint } = await checkS3Input(l.s3, l.input);
    expect(fingerprint.etag).toMatch(/^"[0-9a-f]{32}"$/);
    const clusterId = await persistentCluster(l.emr);
    const session = await (await l.backend({ clusterId })).openSession(run(l, 'run_same'));
    const same = stageContext(l, 'run_same');
    const done = l.stage(session, 'etl', { ...same.ctx, inputFiles: [fingerprint] });
    await setStepState(clusterId, await same.stepId(), 'COMPLETED');
    await done;

    await l.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${HEADER}SECRET\n` }));
    const changed = stageContext(l, 'run_changed');
    const session2 = await (await l.backend({ clusterId })).openSession(run(l, 'run_changed'));
    const err = await l.stage(session2, 'etl', { ...changed.ctx, inputFiles: [fingerprint] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INPUT_CHANGED' });
    const steps = (await l.emr.send(new ListStepsCommand({ ClusterId: clusterId }))).Steps ?? [];
    expect(steps.map((s) => s.Name)).toEqual(['lakegate etl run_same-a1']);
  });
});
