/**
 * Translation time of the SQL layer alone: every query of test/fixtures/hive-corpus and every golden
 * input of test/sql/translate-*.test.ts, translated to DuckDB and to Trino (parse, checks, typing and
 * rendering; catalog tables resolved with their DDL columns). Prints p50 and p99 per call, and the same
 * for parsing alone (validateSql).
 *
 *   npx tsx bench/translate-bench.ts [--rounds 30]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { translate, validateSql, type SqlDialectName } from '../src/sql/index.js';
import { catalogResolver } from '../test/sql/support/catalog-resolver.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' } } });
const rounds = Number(values.rounds);

interface Input {
  sql: string;
  from: SqlDialectName;
}

const corpusDir = path.resolve('test/fixtures/hive-corpus');
const corpus: Input[] = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.sql'))
  .map((f) => ({ sql: readFileSync(path.join(corpusDir, f), 'utf8'), from: 'hive' }));

/** `expectSql("<sql>", { ... }[, '<dialect>'])` calls: the first argument is a JSON string literal. */
const testDir = path.resolve('test/sql');
const golden: Input[] = readdirSync(testDir)
  .filter((f) => /^translate-.*\.test\.ts$/.test(f))
  .flatMap((f) => {
    const text = readFileSync(path.join(testDir, f), 'utf8');
    return [...text.matchAll(/expectSql\(\s*("(?:[^"\\]|\\.)*")[\s\S]*?\n\s*\},\s*(?:'(\w+)',\s*)?\);/g)].map((m) => ({
      sql: JSON.parse(m[1] as string) as string,
      from: (m[2] ?? 'hive') as SqlDialectName,
    }));
  });

const inputs = [...corpus, ...golden];
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const fmt = (ms: number): string => `${ms.toFixed(3)} ms`;

function measure(run: (input: Input, to: SqlDialectName) => void, targets: SqlDialectName[]): number[] {
  const times: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    for (const input of inputs) {
      for (const to of targets) {
        const t0 = performance.now();
        try {
          run(input, to);
        } catch {
          /* a query refused for a target still costs its translation attempt */
        }
        if (round > 0) times.push(performance.now() - t0);
      }
    }
  }
  return times;
}

const translated = measure((input, to) => translate({ ...input, to, resolveTable: catalogResolver(to) }), ['duckdb', 'trino']);
const parsed = measure((input) => validateSql(input.sql, input.from), ['duckdb']);
console.log(`${corpus.length} corpus queries + ${golden.length} golden inputs, ${rounds} rounds (after one warm-up)`);
console.log(`translate() to duckdb and trino: p50 ${fmt(pct(translated, 50))}, p99 ${fmt(pct(translated, 99))}, max ${fmt(pct(translated, 100))}`);
console.log(`parse alone (validateSql):       p50 ${fmt(pct(parsed, 50))}, p99 ${fmt(pct(parsed, 99))}, max ${fmt(pct(parsed, 100))}`);
