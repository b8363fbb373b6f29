import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { loadClusterSpec } from './cluster-spec.js';
import { createEmrClients } from './emr-clients.js';
import { EmrJobBackend } from './emr-job-backend.js';

export interface EmrBackendSetup {
  /** Directory with `jobs/<stage>.py` (the repository's `spark/`). */
  sparkDir: string;
  /** The repository's `ddl/`. */
  ddlDir: string;
  /** The transient cluster's RunJobFlow request (the repository's `spark/emr-cluster.json`). */
  clusterSpecFile: string;
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
}

/**
 * The EMR backend as configured by the environment (LAKEGATE_S3_STAGING, LAKEGATE_EMR_CLUSTER_ID,
 * AWS_REGION, AWS_ENDPOINT_URL): one construction for the gateway (services.ts) and the operator CLI.
 */
export async function createEmrJobBackend(config: Config, setup: EmrBackendSetup): Promise<EmrJobBackend> {
  const staging = config.emr.s3Staging;
  if (!staging) throw new AppError('VALIDATION_FAILED', 'LAKEGATE_S3_STAGING must be set to an s3://bucket/prefix for engine emr');
  const { emr, s3 } = createEmrClients(config.aws);
  return new EmrJobBackend({
    emr,
    s3,
    staging,
    clusterId: config.emr.clusterId,
    clusterSpec: await loadClusterSpec(setup.clusterSpecFile),
    sparkDir: setup.sparkDir,
    ddlDir: setup.ddlDir,
    pollIntervalMs: setup.pollIntervalMs,
    maxPollIntervalMs: setup.maxPollIntervalMs,
  });
}
