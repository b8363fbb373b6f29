import { isTransient, retryDelayMs } from './api.js';
import type { Scope, WhoAmI } from './types.js';

/** What a page gets from the shell: who is signed in, and a signal aborted when the page is left. */
export interface PageContext {
  who: WhoAmI;
  /** Whether the key holds `scope` (admin holds every scope). */
  can(scope: Scope): boolean;
  /** Aborted when the user navigates away: pages stop polling and cancel their requests with it. */
  signal: AbortSignal;
  /** Navigates to a console route, e.g. `#/runs/abc`. */
  go(hash: string): void;
}

/** A page renders into `root`; the route's parameters come from the URL's hash. */
export type Page = (root: HTMLElement, ctx: PageContext, params: string[]) => void | Promise<void>;

/** Sleeps for `ms` unless the signal is aborted first (then resolves false). */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * For work where only the latest request counts (a live preview, a panel's reload, a Run that replaces
 * the last): each call aborts the previous one and returns a signal aborted by the next call or by
 * leaving the page.
 */
export function latestOnly(page: AbortSignal): () => AbortSignal {
  let previous: AbortController | undefined;
  return () => {
    previous?.abort();
    previous = new AbortController();
    return AbortSignal.any([previous.signal, page]);
  };
}

/**
 * Calls `fetchOnce` until it answers, waiting out transient failures (429, 503, no answer) as the
 * gateway asks, so that a poll survives a restart or a rate limit; `onWait` tells the user. Other
 * errors are thrown. Resolves undefined once the signal is aborted.
 */
export async function patiently<T>(fetchOnce: () => Promise<T>, signal: AbortSignal, onWait?: (err: unknown) => void): Promise<T | undefined> {
  for (;;) {
    try {
      return await fetchOnce();
    } catch (err) {
      if (signal.aborted) return undefined;
      if (!isTransient(err)) throw err;
      onWait?.(err);
      if (!(await pause(retryDelayMs(err), signal))) return undefined;
    }
  }
}
