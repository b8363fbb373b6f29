import { describe, expect, it } from 'vitest';
import { PathGlob } from '../../src/storage/path-glob.js';

describe('PathGlob', () => {
  it.each([
    ['/drops/2024-*/*.csv.gz', '/drops/2024-01/a.csv.gz', true],
    ['/drops/2024-*/*.csv.gz', '/drops/2023-12/a.csv.gz', false],
    ['/drops/2024-*/*.csv.gz', '/drops/2024-01/x/a.csv.gz', false],
    ['/drops/2024-*/*.csv.gz', '/drops/2024-01/a.csv', false],
    ['/drops/2024-*/*.csv.gz', '/drops/2024-01/_tmp.csv.gz', false],
    ['/drops/2024-*/*.csv.gz', '/drops/2024-01/.a.csv.gz', false],
    ['/d/part-?.csv', '/d/part-1.csv', true],
    ['/d/part-?.csv', '/d/part-10.csv', false],
    ['/d/**/*.csv', '/d/a.csv', true],
    ['/d/**/*.csv', '/d/x/y/a.csv', true],
    ['/d/**/*.csv', '/d/x/_temporary/a.csv', false],
    ['/d/**/*.csv', '/d/.staging/a.csv', false],
    ['/d/**', '/d/x/a.csv', true],
    ['/d/_lit/*.csv', '/d/_lit/a.csv', true],
    ['/d/a+b(1).csv', '/d/a+b(1).csv', true],
    ['in/*.csv', 'in/a.csv', true],
  ])('%s matches %s: %s', (pattern, p, expected) => {
    expect(new PathGlob(pattern).matches(p)).toBe(expected);
  });

  it('knows where a listing starts and whether it goes below one level', () => {
    expect(new PathGlob('/drops/2024-*/*.csv.gz')).toMatchObject({ base: '/drops', deep: true, depth: 1 });
    expect(new PathGlob('/drops/*.csv')).toMatchObject({ base: '/drops', deep: false, depth: 0 });
    expect(new PathGlob('/drops/*/x/*.csv')).toMatchObject({ base: '/drops', deep: true, depth: 2 });
    expect(new PathGlob('/drops/**/*.csv')).toMatchObject({ base: '/drops', deep: true, depth: Infinity });
    // A trailing ** reaches every level below its base: an S3 listing of it must not stop at one.
    expect(new PathGlob('data/**')).toMatchObject({ base: 'data', deep: true, depth: Infinity });
    expect(new PathGlob('*.csv')).toMatchObject({ base: '', deep: false });
  });

  it('refuses [ ] { } and a ** inside a name', () => {
    expect(() => new PathGlob('/d/{a,b}.csv')).toThrow(/only \* \? and \*\* are supported/);
    expect(() => new PathGlob('/d/a**.csv')).toThrow(/whole path segment/);
  });
});
