import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from '../auth/api-keys.js';

/** What the services learn while serving one request, read back by the audit line. */
export interface QueryFacts {
  engine: string;
  /** Database-qualified names of the tables the query read. */
  tables: string[];
  /** The SQL as sent (kept here only to fingerprint it; never logged). */
  input: string;
  rows: number;
  cacheHit: boolean;
  durationMs: number;
  outcome: 'ok' | 'error';
}

/** Per-request state visible to every service call made on the request's behalf. */
export interface RequestContext {
  requestId: string;
  /** Undefined when the gateway runs without API keys. */
  principal?: Principal;
  query?: QueryFacts;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request being served, if any (undefined in background work not started by a request). */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs `fn` (and everything it starts, including background work) within `ctx`. */
export function runInContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** Who is acting: the key name, `anonymous` without keys, `system` outside any request. */
export function actorName(ctx: RequestContext | undefined = currentContext()): string {
  if (!ctx) return 'system';
  return ctx.principal?.name ?? 'anonymous';
}
