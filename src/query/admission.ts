import pLimit, { type LimitFunction } from 'p-limit';
import { AppError } from '../errors.js';

/**
 * Bounded concurrency with a bounded queue: `concurrency` queries run, `queueSize` wait, and anything
 * beyond is refused at once with 503 OVERLOADED instead of piling up.
 */
export class Admission {
  private readonly limit: LimitFunction;
  constructor(concurrency: number, private readonly queueSize: number) {
    this.limit = pLimit(concurrency);
  }

  get active(): number {
    return this.limit.activeCount;
  }
  get queued(): number {
    return this.limit.pendingCount;
  }

  /** Runs `work` when a slot is free; `work` holds the slot until its promise settles. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.limit.activeCount >= this.limit.concurrency && this.limit.pendingCount >= this.queueSize) {
      return Promise.reject(new AppError('OVERLOADED', `too many queries: ${this.limit.activeCount} running and ${this.limit.pendingCount} queued; try again shortly`));
    }
    return this.limit(work);
  }
}
