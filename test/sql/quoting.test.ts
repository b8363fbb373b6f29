import { describe, expect, it } from 'vitest';
import { backtick, dquote, hiveString, sqlString } from '../../src/catalog/ddl/sql-text.js';
import { parseHiveDdl } from '../../src/catalog/ddl/hive-ddl-parser.js';
import { dialectFor } from '../../src/sql/dialects/registry.js';

describe('quoting: one identifier and one string quoting per dialect', () => {
  it('DDL quotes with the dialect objects', () => {
    expect(hiveString).toBe(dialectFor('hive').stringLiteral);
    expect(backtick).toBe(dialectFor('hive').quote);
    expect(sqlString).toBe(dialectFor('duckdb').stringLiteral);
    expect(dquote).toBe(dialectFor('duckdb').quote);
  });

  it('a Hive string literal escapes NUL, quotes, backslashes and line breaks', () => {
    expect(dialectFor('hive').stringLiteral("a\0b'c\\d\ne")).toBe("'a\\0b\\'c\\\\d\\ne'");
    expect(dialectFor('spark').stringLiteral('\0')).toBe("'\\0'");
    expect(dialectFor('trino').stringLiteral("it's")).toBe("'it''s'");
  });

  it('a DDL comment with NUL and escapes reads back the same', () => {
    const comment = "nul\0 quote' back\\slash\ttab";
    const ddl = parseHiveDdl(`CREATE EXTERNAL TABLE t (a INT COMMENT ${hiveString(comment)}) STORED AS PARQUET LOCATION 's3://b/t'`);
    expect(ddl.columns[0]?.comment).toBe(comment);
  });
});
