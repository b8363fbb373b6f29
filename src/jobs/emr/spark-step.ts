import type { StepConfig } from '@aws-sdk/client-emr';
import { AppError } from '../../errors.js';
import type { StageName } from '../../pipeline/pipeline-types.js';
import type { StagedArtifacts } from './artifact-staging.js';

export interface StepRun {
  runId: string;
  /** How the job is given the input's files (see jobInputArgs). */
  inputArgs: readonly string[];
  output: string;
  year: number;
  /** The table version the job writes: `<runId>-a<attempt>`. */
  version: string;
}

/**
 * The EMR step that runs one stage: `spark-submit` in YARN cluster mode through command-runner.jar,
 * on the staged script. YARN gets one application attempt: the pipeline runner owns retries, and a
 * second attempt of a quality FAIL (exit 3) would only repeat it. CANCEL_AND_WAIT: a failed step
 * cancels the steps queued behind it and leaves the cluster up for the run to decide.
 */
export function sparkStep(stage: StageName, run: StepRun, artifacts: StagedArtifacts): StepConfig {
  const script = artifacts.scripts[stage];
  if (!script) throw new AppError('INTERNAL', `the Spark job of stage ${stage} (jobs/${stage}.py) was not found`);
  const args = ['spark-submit', '--deploy-mode', 'cluster', '--master', 'yarn', '--conf', 'spark.yarn.maxAppAttempts=1'];
  if (artifacts.pyFiles.length > 0) args.push('--py-files', artifacts.pyFiles.join(','));
  args.push(
    script,
    ...run.inputArgs,
    '--output', run.output,
    '--year', String(run.year),
    '--version', run.version,
    '--run-id', run.runId,
    '--ddl-dir', artifacts.ddlDir,
  );
  return {
    Name: `lakegate ${stage} ${run.version}`,
    ActionOnFailure: 'CANCEL_AND_WAIT',
    HadoopJarStep: { Jar: 'command-runner.jar', Args: args },
  };
}
