/**
 * /healthz latency while hostile queries run (issue 10: no request may delay /healthz by more than
 * 100 ms). Starts a real gateway process on loopback (no keys, no rate limit, no shedding), measures
 * /healthz alone for a few seconds, then again while one client per kind below sends its request
 * over and over for D seconds (default 30):
 *
 *   wide-refused   SELECT 0 AS c0, ..., 19999 AS c19999 (past the column cap)
 *   wide-at-cap    2,000 columns x 900 rows
 *   long-expr      SELECT 1+1+... with 400,000 terms (800 KB of SQL)
 *   cross-json     a 1,000,000-row cross join as JSON with maxRows 1,000,000 (past the result cap)
 *   cross-csv      the same as CSV, read to the end
 *   loop-repair    POST /tables/loopy/repair on a partitioned table with `k=2/loop -> ..` and `k=3/root -> /`
 *
 * The queries with a FROM get a new literal each time, so that none is answered from the result cache.
 *
 *   npx tsx bench/healthz-under-load.ts [--duration 30] [--poll-ms 50] [--only wide-at-cap,long-expr]
 */
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnGateway } from '../test/support/gateway-process.js';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '30' }, 'poll-ms': { type: 'string', default: '50' }, only: { type: 'string' } },
});
const durationMs = Number(values.duration) * 1000;
const pollMs = Number(values['poll-ms']);

const rows = (n: number): string => '(' + Array.from({ length: n }, (_, i) => `SELECT ${i} AS i`).join(' UNION ALL ') + ')';
const columns = (n: number): string => Array.from({ length: n }, (_, i) => `${i} AS c${i}`).join(', ');
const HOSTILE: Record<string, { body: Record<string, unknown>; accept?: string }> = {
  'wide-refused': { body: { sql: `SELECT ${columns(20_000)}` } },
  'wide-at-cap': { body: { sql: `SELECT ${columns(2_000)} FROM ${rows(30)} a CROSS JOIN ${rows(30)} b`, maxRows: 1_000 } },
  'long-expr': { body: { sql: 'SELECT ' + Array(400_000).fill('1').join('+') } },
  'cross-json': { body: { sql: `SELECT a.i AS a, b.i AS b, c.i AS c, repeat('x', 100) AS pad FROM ${rows(100)} a CROSS JOIN ${rows(100)} b CROSS JOIN ${rows(100)} c`, maxRows: 1_000_000, timeoutMs: 60_000 } },
  // A partitioned table whose k=2 holds `loop -> ..` (and k=3 a link to /): repair walks it again and again.
  'loop-repair': { body: {} },
  'cross-csv': { body: { sql: `SELECT a.i AS a, b.i AS b, c.i AS c, repeat('x', 100) AS pad FROM ${rows(100)} a CROSS JOIN ${rows(100)} b CROSS JOIN ${rows(100)} c`, maxRows: 1_000_000, timeoutMs: 60_000 }, accept: 'text/csv' },
};

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

/** Polls /healthz one request at a time until `until` says stop; each latency in ms. */
async function pollHealth(base: string, stop: () => boolean): Promise<number[]> {
  const out: number[] = [];
  while (!stop()) {
    const t = performance.now();
    const res = await fetch(`${base}/healthz`);
    await res.arrayBuffer();
    out.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return out;
}

const home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-healthz-bench-'));
const gw = await spawnGateway({ LAKEGATE_HOME: home, LAKEGATE_QUERY_MAX_ROWS_CAP: '1000000' });
// A bench stopped from outside (Ctrl-C, a timeout) takes its gateway with it.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    gw.child.kill('SIGKILL');
    process.exit(130);
  });
}
try {
  const loopy = path.join(home, 'warehouse', 'loopy');
  for (const k of [1, 2, 3]) await mkdir(path.join(loopy, `k=${k}`), { recursive: true });
  await symlink('..', path.join(loopy, 'k=2', 'loop'));
  await symlink('/', path.join(loopy, 'k=3', 'root'));
  const ddl = `CREATE EXTERNAL TABLE loopy (a INT) PARTITIONED BY (k INT) STORED AS PARQUET LOCATION '${loopy}'`;
  const created = await fetch(`${gw.url}/tables`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ddl }) });
  if (created.status !== 201) throw new Error(`could not register the loop-ridden table: ${created.status} ${await created.text()}`);
  // Warm up (first DuckDB generation, JIT) before any figure is taken.
  for (let i = 0; i < 20; i++) await (await fetch(`${gw.url}/healthz`)).arrayBuffer();
  let end = performance.now() + 5_000;
  const idle = await pollHealth(gw.url, () => performance.now() > end);

  end = performance.now() + durationMs;
  const stop = (): boolean => performance.now() > end;
  const outcomes: Record<string, Record<string, number>> = {};
  const hostile = Object.entries(HOSTILE).filter(([name]) => values.only === undefined || values.only.split(',').includes(name)).map(async ([name, { body, accept }]) => {
    const seen: Record<string, number> = (outcomes[name] = {});
    // A literal that changes with every request (always true): no answer comes from the result cache.
    const fresh = (k: number): string => JSON.stringify({ ...body, sql: String(body.sql).replace(' CROSS JOIN ', ` CROSS JOIN (SELECT ${k} AS k) fresh CROSS JOIN `) });
    for (let k = 0; !stop(); k++) {
      const res = await fetch(`${gw.url}${name === 'loop-repair' ? '/tables/loopy/repair' : '/query'}`, {
        method: 'POST', headers: { 'content-type': 'application/json', accept: accept ?? 'application/json' }, body: name === 'loop-repair' ? '{}' : fresh(k),
      }).catch((err: unknown) => err as Error);
      // A body past the /query limit is refused (413) while it is still being sent: the socket closes under the writer.
      if (res instanceof Error) {
        seen['closed while sending'] = (seen['closed while sending'] ?? 0) + 1;
        continue;
      }
      const got = await res.text();
      const code = res.status >= 400 ? `${res.status} ${(JSON.parse(got) as { code: string }).code}` : `${res.status} (${(got.length / 1024 / 1024).toFixed(1)} MB)`;
      const key = res.status >= 400 ? code : String(res.status);
      seen[key] = (seen[key] ?? 0) + 1;
      if (res.status < 400) seen[`last ${res.status} size`] = Number((got.length / 1024 / 1024).toFixed(1));
    }
  });
  const loaded = await pollHealth(gw.url, stop);
  await Promise.all(hostile);

  console.log(`/healthz alone (5 s):            n=${idle.length} p50 ${fmt(pct(idle, 50))} p99 ${fmt(pct(idle, 99))} max ${fmt(Math.max(...idle))}`);
  console.log(`/healthz under load (${durationMs / 1000} s): n=${loaded.length} p50 ${fmt(pct(loaded, 50))} p99 ${fmt(pct(loaded, 99))} max ${fmt(Math.max(...loaded))}`);
  for (const [name, seen] of Object.entries(outcomes)) console.log(`  ${name.padEnd(13)} ${JSON.stringify(seen)}`);
  console.log(`reproduce: npx tsx bench/healthz-under-load.ts --duration ${durationMs / 1000} --poll-ms ${pollMs}${values.only ? ` --only ${values.only}` : ''}`);
} finally {
  await gw.kill('SIGTERM');
  await rm(home, { recursive: true, force: true });
}
