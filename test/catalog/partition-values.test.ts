import { describe, expect, it } from 'vitest';
import { parseHiveType } from '../../src/catalog/ddl/hive-ddl-parser.js';
import { checkPartitionValue } from '../../src/catalog/ddl/hive-type.js';
import { escapePartitionValue, isJunkName, parseSegment, partitionPath, unescapePartitionValue } from '../../src/catalog/partition/partition-path.js';

const check = (type: string, raw: string) => checkPartitionValue(parseHiveType(type), raw);

describe('partition values', () => {
  it.each([
    ['INT', '2024', '2024'], ['INT', '01', '1'], ['INT', '-7', '-7'], ['TINYINT', '127', '127'],
    ['BIGINT', '9223372036854775807', '9223372036854775807'], ['DOUBLE', '1.50', '1.5'], ['DOUBLE', '1e3', '1000'],
    ['DECIMAL(5,2)', '012.30', '12.3'], ['DECIMAL(5,2)', '-0.00', '0'], ['BOOLEAN', 'TRUE', 'true'],
    ['DATE', '2024-02-29', '2024-02-29'], ['TIMESTAMP', '2024-01-01T10:00:00.5', '2024-01-01 10:00:00.5'],
    ['STRING', 'anything at all', 'anything at all'], ['VARCHAR(3)', '서울시', '서울시'],
    ['INT', '__HIVE_DEFAULT_PARTITION__', '__HIVE_DEFAULT_PARTITION__'],
  ])('%s accepts %j as %j', (type, raw, canonical) => {
    expect(check(type, raw)).toEqual({ ok: true, canonical });
  });

  it.each([
    ['INT', 'abc'], ['INT', '2147483648'], ['TINYINT', '128'], ['INT', '1.5'], ['INT', ''], ['DOUBLE', 'NaN'],
    ['DECIMAL(5,2)', '1234.5'], ['DECIMAL(5,2)', '1.234'], ['BOOLEAN', 'yes'], ['DATE', '2023-02-29'], ['DATE', '2024-1-1'],
    ['TIMESTAMP', '2024-01-01 24:00:00'], ['VARCHAR(2)', 'abc'],
  ])('%s refuses %j', (type, raw) => {
    const r = check(type, raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(`'${raw}' is not a valid`);
  });

  it('escapes and unescapes like Hive', () => {
    expect(escapePartitionValue('2024-01-01 10:00:00')).toBe('2024-01-01 10%3A00%3A00');
    expect(escapePartitionValue('a/b=c%d#e')).toBe('a%2Fb%3Dc%25d%23e');
    expect(escapePartitionValue('')).toBe('__HIVE_DEFAULT_PARTITION__');
    expect(escapePartitionValue('서울')).toBe('서울');
    expect(unescapePartitionValue('2024-01-01 10%3A00%3A00')).toBe('2024-01-01 10:00:00');
    expect(unescapePartitionValue('100%')).toBe('100%');
    expect(unescapePartitionValue('%zz%2f')).toBe('%zz/');
    for (const v of ['a:b', 'x=y/z', "it's", '%41', '\t']) expect(unescapePartitionValue(escapePartitionValue(v))).toBe(v);
  });

  it('splits segments at the first = and names junk', () => {
    expect(parseSegment('k=a=b')).toEqual({ key: 'k', value: 'a=b' });
    expect(parseSegment('k=')).toEqual({ key: 'k', value: '' });
    expect(parseSegment('=v')).toBeUndefined();
    expect(parseSegment('plain')).toBeUndefined();
    expect(partitionPath([{ name: 'ts', type: 'STRING' }, { name: 'm', type: 'INT' }], { ts: '10:00', m: '1' })).toBe('ts=10%3A00/m=1');
    for (const junk of ['_SUCCESS', '_temporary', '.hidden', 'part-0.parquet.crc', 'x_$folder$', '_committed_123']) expect(isJunkName(junk)).toBe(true);
    for (const data of ['part-0.parquet', 'data_0.parquet', 'txn_year=2024']) expect(isJunkName(data)).toBe(false);
  });
});
