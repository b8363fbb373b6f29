import { describe, expect, it } from 'vitest';
import { convertPattern } from '../../src/sql/patterns.js';
import { expectError } from './support/golden.js';

describe('date pattern conversion', () => {
  it.each([
    ['yyyy-MM-dd HH:mm:ss', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%i:%s'],
    ['yy/M/d H:m:s', '%y/%-m/%-d %-H:%-M:%-S', undefined],
    ['EEE, MMM d yyyy h a', '%a, %b %-d %Y %-I %p', '%a, %b %e %Y %l %p'],
    ['EEEE MMMM', '%A %B', '%W %M'],
    ['HH:mm:ss.SSS', '%H:%M:%S.%g', undefined],
    ["yyyy'T'HH 'o''clock' 100%", "%YT%H o'clock 100%%", "%YT%H o'clock 100%%"],
    ['D', '%-j', undefined],
  ])('%s', (java, strftime, mysql) => {
    expect(convertPattern(java, 'java', 'strftime')).toBe(strftime);
    if (mysql === undefined) expectError(() => convertPattern(java, 'java', 'mysql'), 'SQL_UNTRANSLATABLE');
    else expect(convertPattern(java, 'java', 'mysql')).toBe(mysql);
  });

  it('reads strftime and MySQL patterns back into Java ones', () => {
    expect(convertPattern('%Y-%m-%d %H:%M:%S', 'strftime', 'java')).toBe('yyyy-MM-dd HH:mm:ss');
    expect(convertPattern('%d.%m.%Y at %H%%', 'strftime', 'java')).toBe("dd.MM.yyyy' at 'HH%");
    expect(convertPattern('%Y-%m-%d %H:%i:%s', 'mysql', 'java')).toBe('yyyy-MM-dd HH:mm:ss');
    expect(convertPattern('%b %e, %Y %l %p', 'mysql', 'java')).toBe('MMM d, yyyy h a');
  });

  it('keeps Impala to the fields it knows', () => {
    expect(convertPattern('yyyy-MM-dd HH:mm:ss.SSS', 'java', 'impala')).toBe('yyyy-MM-dd HH:mm:ss.SSS');
    expectError(() => convertPattern('MMM yyyy', 'java', 'impala'), 'SQL_UNTRANSLATABLE');
  });

  it('refuses letters it cannot carry over instead of printing something else', () => {
    for (const p of ['w', 'u', 'Q', 'z', 'XXX', 'yyyy-ww', 'S', 'G']) expectError(() => convertPattern(p, 'java', 'strftime'), 'SQL_UNTRANSLATABLE', p);
    for (const p of ['%f', '%z', '%U', '%q']) expectError(() => convertPattern(p, 'strftime', 'java'), 'SQL_UNTRANSLATABLE', p);
    expectError(() => convertPattern("yyyy 'unterminated", 'java', 'strftime'), 'SQL_UNTRANSLATABLE');
  });
});
