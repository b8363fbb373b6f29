/**
 * Generates docs/sql-coverage.md: every Spark built-in (docs/spark-functions.txt, from SHOW FUNCTIONS
 * of the pinned pyspark) with its status per target, from the Spark lowering (hive-functions.ts) and
 * the target dialects' function tables. `npx tsx scripts/sql-coverage.ts` rewrites the file;
 * test/sql/sql-coverage.test.ts fails when the committed file is not current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlDialectName } from '../src/sql/dialect.js';
import { dialectFor } from '../src/sql/dialects/registry.js';
import { isCanonical } from '../src/sql/functions.js';
import { HIVE_FUNCTIONS } from '../src/sql/lower/hive-functions.js';
import { describeLowering } from '../src/sql/lower/lower-functions.js';
import { structureOf } from '../src/sql/render/structure.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const COVERAGE_FILE = path.join(ROOT, 'docs/sql-coverage.md');
const TARGETS: readonly SqlDialectName[] = ['duckdb', 'trino', 'spark', 'hive', 'impala'];

type Status =
  | { kind: 'translated' }
  | { kind: 'warned'; why: string }
  | { kind: 'refused'; why: string; noEquivalent: boolean }
  | { kind: 'missing'; why: string }
  | { kind: 'n/a'; why: string };

/** Spark built-ins that are not scalar or aggregate functions, or have no meaning outside Spark. */
const NOT_APPLICABLE: ReadonlyArray<[RegExp, string]> = [
  [/^[^a-z]+$|^(and|or|not|in|between|like|ilike|rlike_op|case|when|div|cast)$/, 'operator or syntax, not a function call'],
  [/^(explode|explode_outer|inline|inline_outer|posexplode|posexplode_outer|json_tuple|stack|range|sql_keywords|collations|variant_explode|variant_explode_outer)$/, 'table-valued: yields rows'],
  [/^(rand|randn|random|uniform|randstr|uuid|monotonically_increasing_id|spark_partition_id|input_file_name|input_file_block_length|input_file_block_start)$/, 'random or execution-dependent'],
  [/^(current_catalog|current_database|current_schema|current_path|current_user|session_user|user|current_timezone|version|python_worker_logs)$/, 'session or engine state'],
  [/^(kll_|hll_|theta_|tuple_|approx_top_k|bitmap_|count_min_sketch)/, 'Spark sketch format'],
  [/^(st_|vector_)/, 'Spark geospatial or vector type'],
  [/variant|xpath|xml|avro|protobuf|_csv$|^from_csv$|^(try_)?parse_json$/, 'Spark-specific data format'],
  [/^(url_|try_url_|parse_url|try_parse_url|reflect|java_method)/, "denied by the gateway's function guard (src/sql/guards.ts)"],
  [/^(aes_|try_aes_|hmac|luhn_check|mask|java_method|reflect|try_reflect|is_valid_utf8|make_valid_utf8|validate_utf8|try_validate_utf8|collate|collation|measure|counter_diff)/, 'no counterpart on the targets'],
  [/interval|^(window|session_window|window_time|grouping|grouping_id)$/, 'interval types or grouping syntax'],
  [/^(time|make_time|to_time|try_to_time|current_time|localtime|time_trunc|time_diff|time_bucket)$|^time_/, 'Spark TIME type'],
  [/^(binary|to_binary|try_to_binary|encode|unhex|unbase64|from_base32|to_base32)$/, 'BINARY values (not in the IR)'],
  [/^(to_char|to_varchar|to_number|try_to_number)$/, 'Spark number format strings'],
];

/** Spark built-ins with counterparts on DuckDB and Trino that the IR cannot express yet. */
const MISSING: ReadonlyArray<[RegExp, string]> = [
  [/^(transform|filter|exists|forall|aggregate|reduce|zip_with|map_filter|map_zip_with|transform_keys|transform_values)$/, 'needs lambda expressions in the IR'],
  [/^(from_json|to_json|schema_of_json)$/, 'needs Spark schema strings and struct-to-JSON writing in the IR'],
];

function classifyUnlowered(name: string): Status {
  for (const [re, why] of NOT_APPLICABLE) if (re.test(name)) return { kind: 'n/a', why };
  for (const [re, why] of MISSING) if (re.test(name)) return { kind: 'missing', why };
  return { kind: 'missing', why: 'not translated yet' };
}

/** Spark calls the parser reads as IR values (map, struct), rendered by each target's constructor syntax. */
const CONSTRUCTORS: ReadonlySet<string> = new Set(['map', 'struct', 'named_struct']);

function statusOn(name: string, target: SqlDialectName): Status {
  if (CONSTRUCTORS.has(name)) {
    return structureOf(target).constructors === null
      ? { kind: 'refused', why: `${target} has no map or struct values in queries`, noEquivalent: true }
      : { kind: 'translated' };
  }
  const lowering = Object.prototype.hasOwnProperty.call(HIVE_FUNCTIONS, name) ? HIVE_FUNCTIONS[name] : undefined;
  if (!lowering) return classifyUnlowered(name);
  const info = describeLowering(lowering, 'spark');
  if (!info) throw new Error(`the Spark lowering of ${name} does not say what it yields (use lowersTo/refusedLowering)`);
  if ('refused' in info) return info.noEquivalent ? { kind: 'n/a', why: `refused: ${info.refused}` } : { kind: 'refused', why: info.refused, noEquivalent: false };
  const table = dialectFor(target).functions;
  const refusals: string[] = [];
  const warnings: string[] = [];
  let noEquivalent = true;
  for (const fn of info.fns) {
    if (!isCanonical(fn)) throw new Error(`${name} lowers to ${fn}, which is not canonical`);
    const entry = table[fn];
    if (typeof entry === 'function') continue;
    if ('refused' in entry) {
      refusals.push(entry.refused);
      noEquivalent &&= entry.noEquivalent === true;
    } else warnings.push(entry.warned);
  }
  if (refusals.length > 0) return { kind: 'refused', why: [...new Set(refusals)].join('; '), noEquivalent };
  if (warnings.length > 0) return { kind: 'warned', why: warnings.join('; ') };
  return { kind: 'translated' };
}

const cell = (s: Status): string => {
  switch (s.kind) {
    case 'translated':
      return 'yes';
    case 'warned':
      return `yes, with warning: ${s.why}`;
    case 'refused':
      return `${s.noEquivalent ? 'no equivalent' : 'refused'}: ${s.why}`;
    case 'missing':
      return `missing: ${s.why}`;
    case 'n/a':
      return `n/a: ${s.why}`;
  }
};

/** Counted: functions with an equivalent on the target (translated, warned, refused with one, missing). */
const hasEquivalent = (s: Status): boolean => s.kind === 'translated' || s.kind === 'warned' || s.kind === 'missing' || (s.kind === 'refused' && !s.noEquivalent);
const isTranslated = (s: Status): boolean => s.kind === 'translated' || s.kind === 'warned';

export function renderCoverage(): string {
  const names = readFileSync(path.join(ROOT, 'docs/spark-functions.txt'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  const rows = names.map((name) => ({ name, statuses: TARGETS.map((t) => statusOn(name, t)) }));
  const summary = TARGETS.map((t, i) => {
    const counted = rows.filter((r) => hasEquivalent(r.statuses[i]!));
    const done = counted.filter((r) => isTranslated(r.statuses[i]!));
    const warned = done.filter((r) => r.statuses[i]!.kind === 'warned').length;
    const pct = counted.length === 0 ? 0 : (100 * done.length) / counted.length;
    return `| ${t} | ${done.length} | ${warned} | ${counted.length} | ${pct.toFixed(1)}% |`;
  });
  const escape = (s: string): string => s.replace(/\|/g, '\\|');
  return [
    '# SQL function coverage: Spark built-ins per target',
    '',
    'Generated by `npx tsx scripts/sql-coverage.ts` from `docs/spark-functions.txt` (SHOW FUNCTIONS of the pinned pyspark),',
    'the Spark lowering (`src/sql/lower/hive-functions.ts`, `hive-family-builtins.ts`) and each target\'s function table',
    '(`src/sql/dialects/*-dialect.ts`). Do not edit by hand: `test/sql/sql-coverage.test.ts` checks it is current.',
    '',
    'Status: **yes** (translated), **yes, with warning**, **refused** (the target has an equivalent, not translated faithfully yet),',
    '**no equivalent** (refused: the target cannot mean the same), **missing** (not translated; the targets have an',
    'equivalent), **n/a** (not a scalar or aggregate function, or nothing outside Spark means the same).',
    'A function that is translated may still refuse some argument forms (e.g. a non-literal pattern); the refusal names them.',
    '',
    'Coverage = translated / functions with an equivalent on the target (translated + refused + missing).',
    '',
    '| target | translated | of which with warning | with an equivalent | coverage |',
    '| --- | --- | --- | --- | --- |',
    ...summary,
    '',
    `| function | ${TARGETS.join(' | ')} |`,
    `| --- | ${TARGETS.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| \`${escape(r.name)}\` | ${r.statuses.map((s) => escape(cell(s))).join(' | ')} |`),
    '',
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(COVERAGE_FILE, renderCoverage());
  console.log(`wrote ${path.relative(ROOT, COVERAGE_FILE)}`);
}
