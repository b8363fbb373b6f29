import type { Stage, StageProgress } from './pipeline-types.js';

/**
 * What a job backend reports about the stage it is running, as often as it likes (the runner
 * throttles). `fraction` is of the whole stage, 0..1; without it, `done / total` is used. `done` and
 * `total` are the engine's own counts, shown as they are.
 *
 * @example ctx.progress?.({ fraction: 0.4, done: 400_000, total: 1_000_000, unit: 'rows' })
 */
export interface ProgressReport {
  fraction?: number;
  done?: number;
  total?: number;
  unit?: 'rows' | 'bytes';
}

export type ProgressSink = (report: ProgressReport) => void;

/**
 * A stage made of steps run one after another (the local engine's statements), each with a weight
 * (its expected share of the stage's time): while step i is f done, the stage is
 * (w0 + … + w(i-1) + wi·f) / Σw. Steps beyond the plan weigh nothing, so a stage that runs more
 * statements than planned stays where it got to until it ends; one that runs fewer jumps to 100 when
 * it succeeds. Either way the result only goes forward as the steps do.
 *
 * @example new WeightedSteps([3, 1]): next() → 0; at(0.5) → 0.375; next() → 0.75; at(1) → 1
 */
export class WeightedSteps {
  private index = -1;
  private before = 0;
  /** The current step runs as `parts` statements, of which `part` is running. */
  private parts = 1;
  private part = 0;
  private pendingParts: number | undefined;
  private readonly sum: number;

  constructor(private readonly weights: readonly number[]) {
    this.sum = weights.reduce((a, w) => a + Math.max(0, w), 0);
  }

  /** Steps begun so far. */
  get started(): number {
    return this.index + 1;
  }

  /** The next step is done in `n` equal parts, each begun with next() (0 or 1: one part). */
  expand(n: number): void {
    this.pendingParts = Math.max(1, Math.floor(n));
  }

  /** Begins the next step (or the next part of the current one); answers the stage's fraction at its start. */
  next(): number {
    if (this.index >= 0 && this.part + 1 < this.parts) {
      this.part += 1;
      return this.at(0);
    }
    if (this.index >= 0) this.before += this.weight(this.index);
    this.index += 1;
    this.parts = this.pendingParts ?? 1;
    this.part = 0;
    this.pendingParts = undefined;
    return this.at(0);
  }

  /** The stage's fraction when the current step (or part) is `f` (0..1) done. */
  at(f: number): number {
    if (this.sum === 0 || this.index < 0) return 0;
    const clamped = Math.min(1, Math.max(0, Number.isFinite(f) ? f : 0));
    return Math.min(1, (this.before + (this.weight(this.index) * (this.part + clamped)) / this.parts) / this.sum);
  }

  private weight(i: number): number {
    return Math.max(0, this.weights[i] ?? 0);
  }
}

export interface StageProgressOptions {
  /** Least time between two updates of the stage (reports in between only move the internal figure). */
  intervalMs: number;
  /** Clock in milliseconds (default performance.now); tests give their own. */
  now?: () => number;
}

/** While running, the percent stays below this: 100 means the stage succeeded (publication included). */
const RUNNING_CAP = 99;

/**
 * The runner's side of one stage attempt: takes the backend's reports and keeps `stage.progress`
 * (in memory: the run store persists it with the stage's end). The percent never decreases within the
 * attempt, is at most 99 while running and 100 once the stage succeeded; the ETA is the time left at
 * the attempt's rate so far. Holds no timer: a report arriving within `intervalMs` of the last update
 * moves only the internal figure, which the next update (or the end) shows.
 */
export class StageProgressTracker {
  private percent = 0;
  private lastUpdate = Number.NEGATIVE_INFINITY;
  private ended = false;
  private readonly now: () => number;
  private readonly started: number;
  private counts: Pick<StageProgress, 'rowsRead' | 'bytesRead' | 'total'> = {};

  constructor(
    private readonly stage: Stage,
    private readonly o: StageProgressOptions,
  ) {
    this.now = o.now ?? (() => performance.now());
    this.started = this.now();
    stage.progress = { percent: 0, updatedAt: new Date().toISOString() };
  }

  readonly report: ProgressSink = (r) => {
    if (this.ended) return;
    const fraction = r.fraction ?? (r.done !== undefined && r.total ? r.done / r.total : undefined);
    if (fraction !== undefined && Number.isFinite(fraction)) {
      this.percent = Math.max(this.percent, Math.min(RUNNING_CAP, Math.round(fraction * 1000) / 10));
    }
    if (r.done !== undefined && Number.isFinite(r.done)) this.counts = counts(r);
    const at = this.now();
    if (at - this.lastUpdate < this.o.intervalMs) return;
    this.lastUpdate = at;
    this.publish(at);
  };

  /** The stage succeeded (publication included): 100, and no more updates. */
  succeed(): void {
    this.percent = 100;
    this.ended = true;
    this.publish(null);
  }

  /** The attempt is over (any outcome): the last figure stays, without an ETA; later reports are ignored. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.publish(null);
  }

  private publish(at: number | null): void {
    const eta = at === null ? undefined : etaSeconds(this.percent, at - this.started);
    this.stage.progress = { percent: this.percent, ...this.counts, ...(eta === undefined ? {} : { etaSeconds: eta }), updatedAt: new Date().toISOString() };
  }
}

/** The engine's counts as the API shows them: whole numbers, never more done than the total. */
function counts(r: ProgressReport): Pick<StageProgress, 'rowsRead' | 'bytesRead' | 'total'> {
  const total = r.total !== undefined && Number.isFinite(r.total) && r.total > 0 ? Math.round(r.total) : undefined;
  const done = Math.max(0, Math.round(total === undefined ? r.done! : Math.min(r.done!, total)));
  const read = r.unit === 'bytes' ? { bytesRead: done } : { rowsRead: done };
  return { ...read, ...(total === undefined ? {} : { total }) };
}

/** Seconds left if the rest goes at the rate so far; undefined before any progress or after the end. */
export function etaSeconds(percent: number, elapsedMs: number): number | undefined {
  if (percent <= 0 || percent >= 100 || elapsedMs <= 0) return undefined;
  return Math.round(((elapsedMs / 1000) * (100 - percent)) / percent * 10) / 10;
}
