import {
  AddJobFlowStepsCommand,
  CancelStepsCommand,
  DescribeClusterCommand,
  DescribeStepCommand,
  ListStepsCommand,
  RunJobFlowCommand,
  TerminateJobFlowsCommand,
  type CancelStepsInfo,
  type Cluster,
  type EMRClient,
  type RunJobFlowCommandInput,
  type Step,
  type StepConfig,
  type StepSummary,
} from '@aws-sdk/client-emr';
import { AppError } from '../../errors.js';
import { sleep } from '../../storage/concurrency.js';
import { fromEmrError, isAbortError } from './emr-errors.js';

/** Where a step is: still going (PENDING, RUNNING, CANCEL_PENDING), done, or ended without success. */
export type StepPhase = 'running' | 'succeeded' | 'failed';

export function stepPhase(state: string | undefined): StepPhase {
  switch (state) {
    case 'COMPLETED':
      return 'succeeded';
    case 'FAILED':
    case 'CANCELLED':
    case 'INTERRUPTED':
      return 'failed';
    default:
      return 'running';
  }
}

/** Why a step ended without success, from its FailureDetails (else its state change reason). */
export function stepFailure(step: Pick<Step, 'Id' | 'Status'> | Pick<StepSummary, 'Id' | 'Status'>): string {
  const status = step.Status;
  const f = status?.FailureDetails;
  const reason = [f?.Reason, f?.Message].filter((x) => x).join(': ') || status?.StateChangeReason?.Message || 'no reason given';
  return `step ${step.Id ?? '?'} ${status?.State ?? 'ended'}: ${reason}${f?.LogFile ? ` (log ${f.LogFile})` : ''}`;
}

/** Cluster states after which a cluster runs nothing more. */
export const CLUSTER_ENDED = new Set(['TERMINATING', 'TERMINATED', 'TERMINATED_WITH_ERRORS']);

export interface WaitOptions {
  signal: AbortSignal;
  /** First pause between DescribeStep calls; doubles while nothing changes, back to this on a change. */
  intervalMs: number;
  maxIntervalMs: number;
  onState?: (state: string) => void;
  /** Told how EMR answered the CancelSteps sent on abort. */
  onCancel?: (outcome: string) => void;
}

/**
 * The EMR calls lakegate makes, with errors mapped to AppError (UPSTREAM_FAILED; retryable unless the
 * request itself was wrong). Shared by EmrJobBackend and the operator CLI. Calls that create something
 * (RunJobFlow, AddJobFlowSteps) are not given the abort signal: an aborted request might still have
 * created the resource, and its id is what lets the caller clean it up.
 */
export class EmrOperations {
  constructor(readonly client: EMRClient) {}

  async createCluster(input: RunJobFlowCommandInput): Promise<string> {
    const out = await this.call('starting a cluster (RunJobFlow)', () => this.client.send(new RunJobFlowCommand(input)));
    if (!out.JobFlowId) throw new AppError('UPSTREAM_FAILED', 'RunJobFlow answered without a cluster id', { retryable: true });
    return out.JobFlowId;
  }

  async describeCluster(clusterId: string, signal?: AbortSignal): Promise<Cluster> {
    const out = await this.call(`describing cluster ${clusterId}`, () => this.client.send(new DescribeClusterCommand({ ClusterId: clusterId }), { abortSignal: signal }));
    if (!out.Cluster) throw new AppError('UPSTREAM_FAILED', `DescribeCluster answered nothing for ${clusterId}`, { retryable: true });
    return out.Cluster;
  }

  async terminate(clusterId: string): Promise<void> {
    await this.call(`terminating cluster ${clusterId}`, () => this.client.send(new TerminateJobFlowsCommand({ JobFlowIds: [clusterId] })));
  }

  async addStep(clusterId: string, step: StepConfig): Promise<string> {
    const out = await this.call(`adding a step to cluster ${clusterId}`, () => this.client.send(new AddJobFlowStepsCommand({ JobFlowId: clusterId, Steps: [step] })));
    const id = out.StepIds?.[0];
    if (!id) throw new AppError('UPSTREAM_FAILED', `AddJobFlowSteps answered without a step id (cluster ${clusterId})`, { retryable: true });
    return id;
  }

  async describeStep(clusterId: string, stepId: string, signal?: AbortSignal): Promise<Step> {
    const out = await this.call(`describing step ${stepId}`, () => this.client.send(new DescribeStepCommand({ ClusterId: clusterId, StepId: stepId }), { abortSignal: signal }));
    if (!out.Step) throw new AppError('UPSTREAM_FAILED', `DescribeStep answered nothing for ${stepId}`, { retryable: true });
    return out.Step;
  }

  /** Asks EMR to stop a step (a pending one is dropped, a running one interrupted). */
  async cancelStep(clusterId: string, stepId: string): Promise<CancelStepsInfo | undefined> {
    const out = await this.call(`cancelling step ${stepId}`, () =>
      this.client.send(new CancelStepsCommand({ ClusterId: clusterId, StepIds: [stepId], StepCancellationOption: 'SEND_INTERRUPT' })),
    );
    return out.CancelStepsInfoList?.[0];
  }

  /** The cluster's steps, newest first (one page: at most 50). */
  async listSteps(clusterId: string): Promise<StepSummary[]> {
    const out = await this.call(`listing the steps of ${clusterId}`, () => this.client.send(new ListStepsCommand({ ClusterId: clusterId })));
    return out.Steps ?? [];
  }

  /**
   * Polls a step until it ends, backing off exponentially while its state stays the same. When the
   * signal aborts, the step is cancelled (CancelSteps) and the signal's reason is thrown.
   */
  async waitForStep(clusterId: string, stepId: string, o: WaitOptions): Promise<Step> {
    let interval = o.intervalMs;
    let last: string | undefined;
    try {
      for (;;) {
        const step = await this.describeStep(clusterId, stepId, o.signal);
        const state = step.Status?.State ?? 'PENDING';
        if (state !== last) {
          o.onState?.(state);
          last = state;
          interval = o.intervalMs;
        } else {
          interval = Math.min(interval * 2, o.maxIntervalMs);
        }
        if (stepPhase(state) !== 'running') return step;
        await sleep(interval, o.signal);
      }
    } catch (err) {
      if (!o.signal.aborted) throw err;
      const outcome = await this.cancelStep(clusterId, stepId).then(
        (info) => `CancelSteps ${info?.Status ?? 'answered'}${info?.Reason ? `: ${info.Reason}` : ''}`,
        (e: unknown) => `CancelSteps failed: ${(e as Error).message}`,
      );
      o.onCancel?.(outcome);
      // What the step wrote is discarded once this throws: give it a bounded time to stop writing.
      const still = await this.settle(clusterId, stepId, Math.min(10 * o.intervalMs, 60_000), o.intervalMs);
      if (still) o.onState?.(`still ${still} after the cancel; what it writes from now on is never published`);
      throw o.signal.reason;
    }
  }

  /** Waits up to `ms` for a cancelled step to leave its running phase; the state it is still in, if it did not. */
  private async settle(clusterId: string, stepId: string, ms: number, intervalMs: number): Promise<string | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const state = (await this.describeStep(clusterId, stepId).catch(() => undefined))?.Status?.State;
      if (state && stepPhase(state) !== 'running') return undefined;
      if (Date.now() >= deadline) return state ?? 'unknown';
      await sleep(intervalMs);
    }
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isAbortError(err)) throw err;
      throw fromEmrError(err, what);
    }
  }
}
