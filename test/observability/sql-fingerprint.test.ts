import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeSql, sqlFingerprint } from '../../src/observability/sql-fingerprint.js';

describe('SQL fingerprints', () => {
  it.each([
    ["SELECT * FROM t WHERE a = 'x' AND b IN (1, 2, 3)", 'select * from t where a = ? and b in (?+)'],
    ['select  *\n from T -- who\n where a = "double" and b = 1.5e3', 'select * from t where a = ? and b = ?'],
    ["SELECT /* hint */ `Col1`, c2 FROM db.t1 WHERE d = DATE '2024-01-31' LIMIT 10", 'select `Col1`, c2 from db.t1 where d = date ? limit ?'],
    ["SELECT 'it''s', 'a\\'b', -42, 0x1F, .5 FROM t", 'select ?+, -?+ from t'],
    ['SELECT * FROM t WHERE d = :day AND n > 3', 'select * from t where d = :day and n > ?'],
    ["SELECT 'unterminated", 'select ?'],
  ])('%s', (sql, shape) => {
    expect(normalizeSql(sql)).toBe(shape);
    expect(sqlFingerprint(sql)).toBe(createHash('sha256').update(shape).digest('hex'));
  });

  it('is the same for different literal values and different for a different shape', () => {
    const a = sqlFingerprint("SELECT n FROM t WHERE card = '1234-5678' AND amount > 100");
    expect(sqlFingerprint("select n from t where card = '9999-0000' and amount > 7")).toBe(a);
    expect(sqlFingerprint("SELECT n FROM t WHERE card = '1234-5678' OR amount > 100")).not.toBe(a);
  });

  it('keeps no literal text', () => {
    const shape = normalizeSql("SELECT * FROM t WHERE name = 'Kim Minsu' AND phone = \"010-1234\" AND id = 880101");
    for (const secret of ['kim', 'minsu', '010', '1234', '880101']) expect(shape).not.toContain(secret);
  });
});
