import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { catalogResolver, type CatalogTable } from '../../src/sql/resolve.js';
import { translate } from '../../src/sql/translate.js';
import { TranslatorPool } from '../../src/sql/translator-pool.js';

/** A worker thread translates long texts: what it answers must be what the calling thread would. */
const pool = new TranslatorPool({ inlineBelowChars: 0 });
afterAll(() => pool.close());

const tables: CatalogTable[] = [
  { database: 'card_analytics', name: 'monthly_trend', sql: '"card_analytics"."monthly_trend"', columns: [{ name: 'txn_month', type: 'int' }, { name: 'total_amount', type: 'bigint' }] },
];

describe('TranslatorPool on its worker', () => {
  it.each([
    ['SELECT txn_month, total_amount DIV 1000 AS k FROM monthly_trend WHERE txn_month BETWEEN 1 AND 3', 'duckdb'],
    ['SELECT concat_ws(\'-\', \'a\', \'b\') AS s, nvl(NULL, 1) AS n', 'trino'],
    [`SELECT ${Array.from({ length: 600 }, (_, i) => `${i} AS c${i}`).join(', ')}`, 'duckdb'],
  ])('answers %# as the calling thread does', async (sql, to) => {
    const here = translate({ sql, from: 'hive', to, resolveTable: catalogResolver(tables) });
    expect(await pool.translate({ sql, from: 'hive', to, tables })).toEqual(here);
  });

  it('throws the AppError the translation threw, with its code and details', async () => {
    const err = await pool.translate({ sql: 'SELECT * FROM nowhere', from: 'hive', to: 'duckdb', tables }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'TABLE_NOT_FOUND', details: { table: 'nowhere' } });
    for (const sql of ['SELECT 1 +', 'DROP TABLE monthly_trend']) {
      let here: unknown;
      try {
        translate({ sql, from: 'hive', to: 'duckdb' });
      } catch (e) {
        here = e;
      }
      const there = await pool.translate({ sql, from: 'hive', to: 'duckdb' }).catch((e: unknown) => e);
      expect(there).toBeInstanceOf(AppError);
      expect({ code: (there as AppError).code, message: (there as AppError).message }).toEqual({ code: (here as AppError).code, message: (here as AppError).message });
    }
  });
});

describe('TranslatorPool bounds', () => {
  // About 60,000 characters that take the parser a few hundred milliseconds.
  const slow = `SELECT ${Array.from({ length: 12_000 }, () => 'x').join(',')} FROM t`;

  it('replaces a worker busy past the deadline, and the next text is translated', async () => {
    const p = new TranslatorPool({ inlineBelowChars: 0 });
    try {
      const late = await p.translate({ sql: slow, from: 'hive', to: 'duckdb' }, { timeoutMs: 5 }).catch((e: unknown) => e);
      expect(late).toMatchObject({ code: 'QUERY_TIMEOUT' });
      expect(await p.translate({ sql: 'SELECT 1 AS a', from: 'hive', to: 'duckdb' })).toMatchObject({ sql: 'SELECT 1 AS "a"' });
    } finally {
      await p.close();
    }
  });

  it('drops a waiting text whose caller left, refuses past its queue, and fails what waits at close', async () => {
    const p = new TranslatorPool({ inlineBelowChars: 0, maxQueue: 2 });
    const outcome = (t: Promise<unknown>): Promise<unknown> => t.catch((e: unknown) => e);
    const first = outcome(p.translate({ sql: slow, from: 'hive', to: 'duckdb' }));
    const left = new AbortController();
    const second = outcome(p.translate({ sql: slow, from: 'hive', to: 'duckdb' }, { signal: left.signal }));
    const third = outcome(p.translate({ sql: slow, from: 'hive', to: 'duckdb' }));
    expect(p.depth).toBe(3);
    const refused = await p.translate({ sql: slow, from: 'hive', to: 'duckdb' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'OVERLOADED' });
    left.abort(new AppError('QUERY_CANCELLED', 'the client left'));
    expect(await second).toMatchObject({ code: 'QUERY_CANCELLED' });
    expect(p.depth).toBe(2);
    await p.close();
    for (const job of [first, third]) expect(await job).toMatchObject({ code: 'OVERLOADED' });
    expect(await p.translate({ sql: slow, from: 'hive', to: 'duckdb' }).catch((e: unknown) => e)).toMatchObject({ code: 'OVERLOADED' });
  });
});
