import { abortError } from '../../errors.js';
import { Hs2Session, unavailable, type Hs2Target } from './hs2-session.js';

interface Waiter {
  /** Answered, or gone (its caller aborted): a session opened for it late goes back to the pool. */
  settled: boolean;
  resolve: (session: Hs2Session) => void;
  reject: (err: unknown) => void;
}

/**
 * At most `poolSize` sessions, each on a connection of its own (HiveServer2 answers one call at a time
 * per connection), opened when first needed and reused. A session whose connection was lost is dropped
 * when it comes back; callers beyond the pool wait for one in turn.
 */
export class SessionPool {
  private readonly idle: Hs2Session[] = [];
  private readonly waiters: Waiter[] = [];
  private open = 0;
  private closed = false;

  constructor(private readonly target: Hs2Target) {}

  /** A session for one operation; give it back with `release`. */
  async acquire(signal: AbortSignal): Promise<Hs2Session> {
    if (signal.aborted) throw abortError(signal);
    if (this.closed) throw unavailable(this.target.name, 'the engine is shutting down');
    for (let s = this.idle.pop(); s; s = this.idle.pop()) {
      if (s.usable) return s;
      this.open--;
      void s.close();
    }
    if (this.open < this.target.config.poolSize) {
      this.open++;
      try {
        return await Hs2Session.open(this.target);
      } catch (err) {
        this.open--;
        this.handOver();
        throw err;
      }
    }
    return new Promise<Hs2Session>((resolve, reject) => {
      const waiter: Waiter = {
        settled: false,
        resolve: (s) => {
          waiter.settled = true;
          signal.removeEventListener('abort', onAbort);
          resolve(s);
        },
        reject: (err) => {
          waiter.settled = true;
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      const onAbort = (): void => {
        waiter.settled = true;
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Gives a session back; a broken one is closed and its place freed. */
  release(session: Hs2Session): void {
    if (this.closed || !session.usable) {
      this.open--;
      void session.close();
      this.handOver();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(session);
    else this.idle.push(session);
  }

  /** A place freed: the first waiter opens a session of its own. */
  private handOver(): void {
    const waiter = this.waiters.shift();
    if (!waiter) return;
    this.open++;
    Hs2Session.open(this.target).then(
      (s) => (waiter.settled ? this.release(s) : waiter.resolve(s)),
      (err: unknown) => {
        this.open--;
        if (!waiter.settled) waiter.reject(err);
        this.handOver();
      },
    );
  }

  /** Closes the idle sessions; sessions in use are closed when released. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.reject(unavailable(this.target.name, 'the engine is shutting down'));
    const idle = this.idle.splice(0);
    this.open -= idle.length;
    await Promise.all(idle.map((s) => s.close()));
  }
}
