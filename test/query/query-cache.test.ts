import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeParquet } from '../catalog/support/lake.js';
import { removeDir, startGateway, type TestGateway } from '../support/gateway.js';

/**
 * What the query path keeps between requests (translations, table versions, results) must never
 * outlive the catalog state it was made from.
 */
let gw: TestGateway;
let base: string;

const query = (payload: Record<string, unknown>) => gw.app.inject({ method: 'POST', url: '/query', payload });
const ddl = (location: string, columns: string) =>
  `CREATE EXTERNAL TABLE readings (${columns}) PARTITIONED BY (day STRING) STORED AS PARQUET LOCATION '${location}'`;

beforeAll(async () => {
  gw = await startGateway({ LAKEGATE_QUERY_CONCURRENCY: '1', LAKEGATE_QUERY_QUEUE: '0' });
  base = await gw.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await gw.close();
  await removeDir(gw.home);
});

describe('query caches', () => {
  const loc = () => path.join(gw.home, 'lake', 'readings');

  it('keeps texts apart that differ only in whitespace inside a literal', async () => {
    const answers = [];
    for (const lit of ['a  b', 'a b', 'a\tb', 'a  b']) answers.push((await query({ sql: `SELECT '${lit}' AS s` })).json());
    expect(answers.map((a) => a.rows[0][0])).toEqual(['a  b', 'a b', 'a\tb', 'a  b']);
    expect(answers.map((a) => a.cache.hit)).toEqual([false, false, false, true]);
  });

  it('serves a cached answer until a repair registers new partitions, then reads them', async () => {
    await writeParquet(path.join(loc(), 'day=d1', 'part-0.parquet'), 'SELECT i AS id, i * 2 AS v FROM range(10) t(i)');
    expect((await gw.app.inject({ method: 'POST', url: '/tables', payload: { ddl: ddl(loc(), 'id BIGINT, v BIGINT') } })).statusCode).toBe(201);
    expect((await gw.app.inject({ method: 'POST', url: '/tables/readings/repair' })).statusCode).toBe(200);
    const sql = 'SELECT count(*) AS n, sum(v) AS s FROM readings';
    const first = (await query({ sql })).json();
    expect(first.rows).toEqual([[10, 90]]);
    expect(first.cache.hit).toBe(false);

    await writeParquet(path.join(loc(), 'day=d2', 'part-0.parquet'), 'SELECT i AS id, 1 AS v FROM range(5) t(i)');
    const beforeRepair = (await query({ sql })).json();
    expect(beforeRepair.cache.hit).toBe(true);
    expect(beforeRepair.rows).toEqual([[10, 90]]);

    const repair = (await gw.app.inject({ method: 'POST', url: '/tables/readings/repair' })).json();
    expect(repair.added).toEqual(['day=d2']);
    const after = (await query({ sql })).json();
    expect(after.cache.hit).toBe(false);
    expect(after.rows).toEqual([[15, 95]]);
  });

  it('translates against a table redefined with other columns, not the old definition', async () => {
    const sql = 'SELECT * FROM readings WHERE day = "d1" ORDER BY id LIMIT 1';
    expect((await query({ sql })).json().columns.map((c: { name: string }) => c.name)).toEqual(['id', 'v', 'day']);
    expect((await gw.app.inject({ method: 'DELETE', url: '/tables/readings' })).statusCode).toBe(204);
    const gone = await query({ sql });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: 'TABLE_NOT_FOUND' });

    const other = path.join(gw.home, 'lake', 'readings2');
    await writeParquet(path.join(other, 'day=d1', 'part-0.parquet'), "SELECT 7 AS id, 'seven' AS label");
    expect((await gw.app.inject({ method: 'POST', url: '/tables', payload: { ddl: ddl(other, 'id BIGINT, label STRING') } })).statusCode).toBe(201);
    expect((await gw.app.inject({ method: 'POST', url: '/tables/readings/repair' })).statusCode).toBe(200);
    const res = (await query({ sql })).json();
    expect(res.columns.map((c: { name: string }) => c.name)).toEqual(['id', 'label', 'day']);
    expect(res.rows).toEqual([[7, 'seven', 'd1']]);
  });
});

describe('the result cache bound', () => {
  let small: TestGateway;
  beforeAll(async () => {
    small = await startGateway({ LAKEGATE_QUERY_CACHE_MB: '1' });
    const loc = path.join(small.home, 'lake', 'wide');
    // 20,000 rows of a 100-character string: about 4.5 MB by the cache's estimate, over its 1 MB.
    await writeParquet(path.join(loc, 'part-0.parquet'), "SELECT i AS id, repeat('x', 100) AS s FROM range(20000) t(i)");
    const ddl = `CREATE EXTERNAL TABLE wide (id BIGINT, s STRING) STORED AS PARQUET LOCATION '${loc}'`;
    expect((await small.app.inject({ method: 'POST', url: '/tables', payload: { ddl } })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await small.close();
    await removeDir(small.home);
  });

  it('answers a result larger than LAKEGATE_QUERY_CACHE_MB every time without keeping it, and keeps small ones', async () => {
    const ask = (sql: string) => small.app.inject({ method: 'POST', url: '/query', payload: { sql, maxRows: 50_000 } }).then((r) => r.json());
    const big = 'SELECT id, s FROM wide ORDER BY id';
    for (let i = 0; i < 2; i++) {
      const res = await ask(big);
      expect(res.rowCount).toBe(20_000);
      expect(res.rows[19_999]).toEqual([19_999, 'x'.repeat(100)]);
      expect(res.cache.hit).toBe(false);
    }
    const count = 'SELECT count(*) AS n FROM wide';
    expect((await ask(count)).cache.hit).toBe(false);
    const again = await ask(count);
    expect(again.cache.hit).toBe(true);
    expect(again.rows).toEqual([[20_000]]);
  });
});

describe('queries over keep-alive connections', () => {
  /** POSTs /query through `agent` and resolves with the status and body. */
  function post(agent: http.Agent, body: unknown, signal?: AbortSignal): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${base}/query`, { method: 'POST', agent, headers: { 'content-type': 'application/json' }, signal }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  it('adds nothing to the socket per request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const sockets = new Set<unknown>();
      for (let i = 0; i < 30; i++) {
        const res = await post(agent, { sql: `SELECT ${i} AS i` });
        expect(res.status).toBe(200);
        expect(JSON.parse(res.body).rows).toEqual([[i]]);
        for (const list of Object.values(agent.freeSockets)) for (const s of list ?? []) sockets.add(s);
      }
      expect(sockets.size).toBe(1);
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      agent.destroy();
    }
  });

  it('frees the slot of a row stream closed before it was read (a client gone before the first row)', async () => {
    const { query: service } = gw.services;
    // One slot, no queue (this gateway's settings): an unreleased stream would make the next query 503.
    const first = await service.stream(await service.prepare({ sql: 'SELECT 1 AS a' }));
    const refused = await query({ sql: 'SELECT 2 AS b' });
    expect(refused.statusCode).toBe(503);
    first.close();
    first.close(); // idempotent
    const next = await query({ sql: 'SELECT 3 AS c' });
    expect(next.statusCode).toBe(200);
    expect(next.json().rows).toEqual([[3]]);
  });

  it('frees the slot of a row stream whose caller gave up before reading it', async () => {
    const { query: service } = gw.services;
    const ac = new AbortController();
    await service.stream(await service.prepare({ sql: 'SELECT 4 AS d' }), ac.signal);
    expect((await query({ sql: 'SELECT 5 AS e' })).statusCode).toBe(503);
    ac.abort(new Error('client disconnected'));
    const next = await query({ sql: 'SELECT 6 AS f' });
    expect(next.statusCode).toBe(200);
    expect(next.json().rows).toEqual([[6]]);
  });

  it('stops the engine when the client goes away, freeing its slot', async () => {
    // One slot, no queue: while the slow query holds the slot every other query is refused with 503.
    const big = path.join(gw.home, 'lake', 'big');
    await writeParquet(path.join(big, 'part-0.parquet'), 'SELECT i AS id FROM range(200000) t(i)');
    const created = await gw.app.inject({ method: 'POST', url: '/tables', payload: { ddl: `CREATE EXTERNAL TABLE big (id BIGINT) STORED AS PARQUET LOCATION '${big}'` } });
    expect(created.statusCode).toBe(201);
    const slow = { sql: 'SELECT sum(a.id * b.id) AS n FROM big a CROSS JOIN big b', timeoutMs: 120_000 };
    const agent = new http.Agent({ keepAlive: false });
    // Every probe differs: a cached answer would not need the slot.
    let n = 0;
    const probe = () => ({ sql: `SELECT ${n++} AS n` });
    let ac = new AbortController();
    let pending: Promise<unknown> | undefined;
    let settled = true;
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (settled) {
        // (Re)send the slow query: a probe that got the slot first made it a 503.
        ac = new AbortController();
        settled = false;
        pending = post(agent, slow, ac.signal).then(
          (r) => ((settled = true), r),
          (err: Error) => ((settled = true), err),
        );
        await new Promise((r) => setTimeout(r, 100));
      }
      if (!settled && (await post(agent, probe())).status === 503) break;
      if (Date.now() > deadline) throw new Error('the slow query never took the slot');
    }
    ac.abort();
    expect(await pending).toBeInstanceOf(Error);
    let status = 503;
    while (status === 503 && Date.now() < deadline + 20_000) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await post(agent, probe())).status;
    }
    expect(status).toBe(200);
    agent.destroy();
  }, 60_000);
});
