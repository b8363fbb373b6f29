import { EMRClient } from '@aws-sdk/client-emr';
import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../../config.js';

/**
 * SDK clients for the EMR backend. Throttling (ThrottlingException, SlowDown, 429/503) is retried by
 * the SDK's adaptive retry strategy, which also slows the client down while the service pushes back.
 * With an endpoint (moto, LocalStack) S3 is addressed path-style.
 */
export function createEmrClients(aws: Config['aws'], maxAttempts = 8): { emr: EMRClient; s3: S3Client } {
  const common = { region: aws.region, maxAttempts, retryMode: 'adaptive', ...(aws.endpoint ? { endpoint: aws.endpoint } : {}) };
  return { emr: new EMRClient(common), s3: new S3Client({ ...common, forcePathStyle: aws.endpoint !== undefined }) };
}
