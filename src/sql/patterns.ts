import { AppError } from '../errors.js';

/**
 * Date/time format patterns. The IR keeps java.time patterns (Hive, Spark: `yyyy-MM-dd HH:mm:ss`);
 * DuckDB uses strftime (`%Y-%m-%d %H:%M:%S`), Trino's date_format MySQL's (`%Y-%m-%d %H:%i:%s`), and
 * Impala a subset of the Java letters. Patterns go through a list of fields so that a field one side
 * cannot express is an error rather than a different output.
 */
export type DateField =
  | 'year4'
  | 'year2'
  | 'month2'
  | 'month1'
  | 'monthAbbr'
  | 'monthName'
  | 'day2'
  | 'day1'
  | 'hour24_2'
  | 'hour24_1'
  | 'hour12_2'
  | 'hour12_1'
  | 'minute2'
  | 'minute1'
  | 'second2'
  | 'second1'
  | 'millis3'
  | 'ampm'
  | 'weekdayAbbr'
  | 'weekdayName'
  | 'doy3'
  | 'doy1';

export type PatternPart = { field: DateField } | { literal: string };

export type PatternLanguage = 'java' | 'strftime' | 'mysql' | 'impala';

const JAVA: Readonly<Record<DateField, string>> = {
  year4: 'yyyy',
  year2: 'yy',
  month2: 'MM',
  month1: 'M',
  monthAbbr: 'MMM',
  monthName: 'MMMM',
  day2: 'dd',
  day1: 'd',
  hour24_2: 'HH',
  hour24_1: 'H',
  hour12_2: 'hh',
  hour12_1: 'h',
  minute2: 'mm',
  minute1: 'm',
  second2: 'ss',
  second1: 's',
  millis3: 'SSS',
  ampm: 'a',
  weekdayAbbr: 'EEE',
  weekdayName: 'EEEE',
  doy3: 'DDD',
  doy1: 'D',
};

const STRFTIME: Readonly<Record<DateField, string>> = {
  year4: '%Y',
  year2: '%y',
  month2: '%m',
  month1: '%-m',
  monthAbbr: '%b',
  monthName: '%B',
  day2: '%d',
  day1: '%-d',
  hour24_2: '%H',
  hour24_1: '%-H',
  hour12_2: '%I',
  hour12_1: '%-I',
  minute2: '%M',
  minute1: '%-M',
  second2: '%S',
  second1: '%-S',
  millis3: '%g',
  ampm: '%p',
  weekdayAbbr: '%a',
  weekdayName: '%A',
  doy3: '%j',
  doy1: '%-j',
};

const MYSQL: Readonly<Partial<Record<DateField, string>>> = {
  year4: '%Y',
  year2: '%y',
  month2: '%m',
  month1: '%c',
  monthAbbr: '%b',
  monthName: '%M',
  day2: '%d',
  day1: '%e',
  hour24_2: '%H',
  hour24_1: '%k',
  hour12_2: '%h',
  hour12_1: '%l',
  minute2: '%i',
  second2: '%s',
  ampm: '%p',
  weekdayAbbr: '%a',
  weekdayName: '%W',
  doy3: '%j',
};

const IMPALA: Readonly<Partial<Record<DateField, string>>> = {
  year4: 'yyyy',
  month2: 'MM',
  day2: 'dd',
  hour24_2: 'HH',
  minute2: 'mm',
  second2: 'ss',
  millis3: 'SSS',
};

const JAVA_RUNS: Readonly<Record<string, DateField>> = Object.fromEntries(
  Object.entries(JAVA).map(([field, letters]) => [letters, field as DateField]),
);
const JAVA_ALIASES: Readonly<Record<string, DateField>> = { y: 'year4', yyy: 'year4', E: 'weekdayAbbr', EE: 'weekdayAbbr' };

function unsupported(what: string): AppError {
  return new AppError('SQL_UNTRANSLATABLE', `cannot translate date pattern: ${what}`);
}

/** Reads a java.time pattern (letters repeat; text in single quotes, '' for a quote). */
export function parseJavaPattern(pattern: string): PatternPart[] {
  const parts: PatternPart[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] ?? '';
    if (ch === "'") {
      const { text, next } = readQuotedJava(pattern, i);
      parts.push({ literal: text });
      i = next;
    } else if (/[A-Za-z]/.test(ch)) {
      let j = i;
      while (pattern[j] === ch) j++;
      const run = pattern.slice(i, j);
      const field = JAVA_RUNS[run] ?? JAVA_ALIASES[run] ?? (ch === 'M' && run.length > 4 ? 'monthName' : undefined) ?? (ch === 'E' && run.length > 4 ? 'weekdayName' : undefined);
      if (!field) throw unsupported(`'${run}' in '${pattern}'`);
      parts.push({ field });
      i = j;
    } else {
      parts.push({ literal: ch });
      i++;
    }
  }
  return mergeLiterals(parts);
}

function readQuotedJava(pattern: string, start: number): { text: string; next: number } {
  if (pattern[start + 1] === "'") return { text: "'", next: start + 2 };
  let text = '';
  let i = start + 1;
  while (i < pattern.length) {
    if (pattern[i] === "'" && pattern[i + 1] === "'") {
      text += "'";
      i += 2;
    } else if (pattern[i] === "'") {
      return { text, next: i + 1 };
    } else {
      text += pattern[i];
      i++;
    }
  }
  throw unsupported(`unterminated quote in '${pattern}'`);
}

function parsePercentPattern(pattern: string, table: Readonly<Partial<Record<DateField, string>>>, name: string): PatternPart[] {
  const byCode = new Map<string, DateField>();
  for (const [field, code] of Object.entries(table)) if (code) byCode.set(code, field as DateField);
  const parts: PatternPart[] = [];
  for (let i = 0; i < pattern.length; ) {
    if (pattern[i] !== '%') {
      parts.push({ literal: pattern[i] ?? '' });
      i++;
      continue;
    }
    if (pattern[i + 1] === '%') {
      parts.push({ literal: '%' });
      i += 2;
      continue;
    }
    const code = pattern[i + 1] === '-' ? pattern.slice(i, i + 3) : pattern.slice(i, i + 2);
    const field = byCode.get(code) ?? (name === 'mysql' && code === '%I' ? 'hour12_2' : undefined) ?? (name === 'mysql' && code === '%S' ? 'second2' : undefined);
    if (!field) throw unsupported(`'${code}' in ${name} pattern '${pattern}'`);
    parts.push({ field });
    i += code.length;
  }
  return mergeLiterals(parts);
}

function mergeLiterals(parts: PatternPart[]): PatternPart[] {
  const out: PatternPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if ('literal' in p && last && 'literal' in last) last.literal += p.literal;
    else out.push({ ...p });
  }
  return out;
}

/** Renders fields in a target pattern language; a field it lacks is SQL_UNTRANSLATABLE. */
export function renderPattern(parts: readonly PatternPart[], language: PatternLanguage): string {
  return parts
    .map((p) => {
      if ('literal' in p) return renderLiteral(p.literal, language);
      const table = language === 'java' ? JAVA : language === 'strftime' ? STRFTIME : language === 'mysql' ? MYSQL : IMPALA;
      const code = table[p.field];
      if (!code) throw unsupported(`${describe(p.field)} has no ${language === 'mysql' ? 'Trino' : language} equivalent`);
      return code;
    })
    .join('');
}

function renderLiteral(text: string, language: PatternLanguage): string {
  if (language === 'strftime' || language === 'mysql') return text.replace(/%/g, '%%');
  if (language === 'impala') {
    if (/[A-Za-z']/.test(text)) throw unsupported(`literal text '${text}' in an Impala pattern`);
    return text;
  }
  if (!/[A-Za-z']/.test(text)) return text;
  return `'${text.replace(/'/g, "''")}'`;
}

function describe(field: DateField): string {
  return `${JAVA[field]} (${field})`;
}

/** Converts between pattern languages through the field list. */
export function convertPattern(pattern: string, from: PatternLanguage, to: PatternLanguage): string {
  const parts =
    from === 'java' || from === 'impala'
      ? parseJavaPattern(pattern)
      : parsePercentPattern(pattern, from === 'strftime' ? STRFTIME : MYSQL, from);
  return renderPattern(parts, to);
}

export const fromStrftimePattern = (pattern: string): string => convertPattern(pattern, 'strftime', 'java');
export const fromMysqlPattern = (pattern: string): string => convertPattern(pattern, 'mysql', 'java');
