import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { DuckDBStageProgress } from '../../../src/jobs/local/duckdb-progress.js';
import { AbortableDuckDB } from '../../../src/jobs/local/duckdb-runner.js';
import type { ProgressReport } from '../../../src/pipeline/stage-progress.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  conn = await instance.connect();
  await conn.run('SET enable_progress_bar = true');
  await conn.run('SET enable_progress_bar_print = false');
  await conn.run('CREATE TABLE numbers AS SELECT i FROM range(30000000) t(i)');
}, 60_000);
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

/** Runs `body` while counting the intervals it starts and has not cleared. */
async function withIntervals(body: (live: Set<unknown>) => Promise<void>): Promise<void> {
  const live = new Set<unknown>();
  const { setInterval: set, clearInterval: clear } = globalThis;
  globalThis.setInterval = ((...args: Parameters<typeof set>) => {
    const t = set(...args);
    live.add(t);
    return t;
  }) as typeof set;
  globalThis.clearInterval = ((t: Parameters<typeof clear>[0]) => {
    live.delete(t);
    clear(t);
  }) as typeof clear;
  try {
    await body(live);
  } finally {
    globalThis.setInterval = set;
    globalThis.clearInterval = clear;
  }
}
// A scan of a 30M-row table (DuckDB gives no progress for range() itself): half a second or more, several polls at 20 ms.
const LONG = 'SELECT count(*) AS n FROM numbers WHERE i % 7 = 3 AND hash(i) % 5 = 1';

describe("DuckDB's own progress as a stage's progress", () => {
  it('reports the statements of a stage as weighted steps, from DuckDB while each runs', async () => {
    const reports: ProgressReport[] = [];
    const db = new AbortableDuckDB(conn);
    // weights 3 and 1: the first statement covers 0..0.75 of the stage, the second 0.75..1
    db.progress = new DuckDBStageProgress(conn, (r) => reports.push(r), [3, 1], 20);
    await db.one(LONG);
    const firstDone = reports.length;
    await db.one('SELECT 1 AS one');
    db.progress = undefined;
    const first = reports.slice(0, firstDone);
    expect(first[0]).toEqual({ fraction: 0 });
    expect(first[first.length - 1]).toEqual({ fraction: 0.75 });
    // DuckDB's figures in between, inside the first step's share, with its counts.
    const polled = first.filter((r) => r.total !== undefined);
    expect(polled.length, JSON.stringify(first)).toBeGreaterThan(0);
    for (const r of polled) {
      expect(r.fraction).toBeGreaterThanOrEqual(0);
      expect(r.fraction).toBeLessThanOrEqual(0.75);
      expect(r.done).toBeLessThanOrEqual(r.total!);
      expect(r.unit).toBe('rows');
    }
    expect(polled.some((r) => r.fraction! > 0 && r.fraction! < 0.75)).toBe(true);
    const second = reports.slice(firstDone);
    expect(second[0]).toEqual({ fraction: 0.75 });
    expect(second[second.length - 1]).toEqual({ fraction: 1 });
    for (const r of second) expect(r.fraction).toBeGreaterThanOrEqual(0.75);
  }, 60_000);

  it('stops polling when the statement is aborted: no interval stays, nothing is reported after', () =>
    withIntervals(async (live) => {
      const reports: ProgressReport[] = [];
      let running!: () => void;
      const early = new Promise<void>((resolve) => (running = resolve));
      const db = new AbortableDuckDB(conn);
      const watch = new DuckDBStageProgress(conn, (r) => {
        reports.push(r);
        // DuckDB's first figure, early in the statement: it is surely still running.
        if (r.total !== undefined && r.fraction! < 0.5) running();
      }, [1], 10);
      db.progress = watch;
      const ac = new AbortController();
      const statement = db.one(LONG, ac.signal);
      await early;
      expect(live.size).toBe(1);
      ac.abort(new AppError('QUERY_TIMEOUT', 'cancelled'));
      await expect(statement).rejects.toMatchObject({ code: 'QUERY_TIMEOUT' });
      expect(live.size).toBe(0);
      const seen = reports.length;
      await new Promise((r) => setTimeout(r, 100));
      expect(reports.length).toBe(seen);
      // An aborted statement did not finish: its step is not reported as done.
      expect(reports.some((r) => r.fraction === 1)).toBe(false);
      expect(watch.mismatch()).toBeUndefined();
    }), 60_000);

  it('stops polling when the statement ends', () =>
    withIntervals(async (live) => {
      const db = new AbortableDuckDB(conn);
      db.progress = new DuckDBStageProgress(conn, () => undefined, [1], 10);
      expect(await db.one('SELECT count(*) AS n FROM numbers WHERE i < 10')).toEqual({ n: 10n });
      expect(live.size).toBe(0);
    }));
});
