import { readFile } from 'node:fs/promises';
import type { RunJobFlowCommandInput, Tag } from '@aws-sdk/client-emr';
import { AppError } from '../../errors.js';

/**
 * The cluster a run starts when no cluster is given: the RunJobFlow request in `spark/emr-cluster.json`
 * (release label, applications, instance groups, roles, auto-termination policy), completed here with
 * a name, the log URI and tags.
 */
export type ClusterSpec = Partial<RunJobFlowCommandInput>;

export async function loadClusterSpec(file: string): Promise<ClusterSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new AppError('INTERNAL', `cannot read the EMR cluster spec ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return checkClusterSpec(JSON.parse(text) as unknown, file);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('INTERNAL', `the EMR cluster spec ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** The spec, once it has what RunJobFlow needs from it (a release label and instances). */
export function checkClusterSpec(spec: unknown, source = 'the EMR cluster spec'): ClusterSpec {
  const s = spec as ClusterSpec | null;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new AppError('INTERNAL', `${source} must be a JSON object (a RunJobFlow request)`);
  if (typeof s.ReleaseLabel !== 'string' || !s.ReleaseLabel.startsWith('emr-')) throw new AppError('INTERNAL', `${source} needs a ReleaseLabel such as "emr-7.12.0"`);
  if (typeof s.Instances !== 'object' || s.Instances === null) throw new AppError('INTERNAL', `${source} needs Instances (instance groups)`);
  return s;
}

/**
 * The RunJobFlow request for a cluster of `spec`. The cluster is kept alive between steps
 * (KeepJobFlowAliveWhenNoSteps: true) because a run adds one step per stage after the previous one
 * finished and its tables were published: a cluster that ends "when no steps are left" would be gone
 * by then. It ends through TerminateJobFlows when the run is over, and through the spec's
 * AutoTerminationPolicy (idle timeout) if the gateway dies first.
 */
export function runJobFlowInput(spec: ClusterSpec, o: { name: string; logUri: string; tags?: Record<string, string> }): RunJobFlowCommandInput {
  const checked = checkClusterSpec(spec);
  const tags: Tag[] = [...(checked.Tags ?? []), ...Object.entries(o.tags ?? {}).map(([Key, Value]) => ({ Key, Value }))];
  return {
    ...checked,
    Name: o.name,
    LogUri: checked.LogUri ?? o.logUri,
    Instances: { ...checked.Instances, KeepJobFlowAliveWhenNoSteps: true },
    Tags: tags,
  };
}
