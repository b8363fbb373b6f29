import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { athenaRenderer } from '../../src/catalog/ddl/render-athena.js';
import type { TableDef } from '../../src/catalog/table-def.js';
import { removeDir, startGateway, type TestGateway } from '../support/gateway.js';

/**
 * Issue 10, items 9 and 13: a newline in a location ended the `--` comment of the Athena DDL and left
 * an executable line; glob characters in a location silently matched nothing. Both are refused when
 * the location is parsed, and the Athena renderer stays safe for a location it did not parse.
 */
describe('the text of a location', () => {
  let gw: TestGateway;
  beforeAll(async () => (gw = await startGateway()));
  afterAll(async () => {
    await gw.close();
    await removeDir(gw.home);
  });

  const create = (payload: object) => gw.app.inject({ method: 'POST', url: '/tables', payload });
  const columns = [{ name: 'a', type: 'int' }];

  it.each([
    ['a newline', 'lab/t\nDROP TABLE card_analytics.x;', 'contains a control character'],
    ['a carriage return', 'lab/t\r--', 'contains a control character'],
    ['a NUL', 'lab/t\u0000x', 'contains a control character'],
    ['a star', 'lab/t*', 'contains a glob character'],
    ['a question mark', 'lab/t?', 'contains a glob character'],
    ['brackets', 'lab/t[0-9]', 'contains a glob character'],
    ['braces', 'lab/{a,b}', 'contains a glob character'],
    ['a glob in an s3 URL', 's3://bucket/t/*', 'contains a glob character'],
  ])('refuses %s with 400 VALIDATION_FAILED, by location and by DDL', async (_what, location, message) => {
    for (const payload of [{ name: 'bad_loc', location, columns }, { ddl: `CREATE EXTERNAL TABLE bad_loc (a INT) STORED AS PARQUET LOCATION '${location.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'` }]) {
      const res = await create(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().detail).toContain(message);
      expect(res.json().detail).not.toContain('\n');
    }
    expect((await gw.app.inject({ method: 'GET', url: '/tables/bad_loc' })).statusCode).toBe(404);
  });

  it('still registers an ordinary location with spaces and non-ASCII letters', async () => {
    const res = await create({ name: 'fine_loc', location: 'lab/my table/카드', columns });
    expect(res.statusCode).toBe(201);
    expect(res.json().location).toBe(path.join(gw.home, 'warehouse', 'lab/my table/카드'));
  });

  it('renders Athena DDL for a local location holding a newline (from another catalog writer) as one comment line', () => {
    const def: TableDef = { database: 'db', name: 't', columns: [{ name: 'a', type: 'int' }], partitionKeys: [], location: '/lake/t\nDROP TABLE db.x;\r--', format: 'parquet', properties: {} };
    const [ddl] = athenaRenderer.create(def);
    const lines = ddl!.split('\n');
    expect(lines[0]).toBe("-- Athena reads only S3: this table's location is local (/lake/t\\u000aDROP TABLE db.x;\\u000d--)");
    expect(lines[1]).toBe('CREATE EXTERNAL TABLE IF NOT EXISTS `db`.`t` (');
    expect(lines.filter((l) => /^\s*DROP/i.test(l))).toEqual([]);
    expect(ddl).not.toContain('\r');
  });
});
