import { CARD_DOMAIN } from '../../domain/card-domain.js';
import type { QualityCounts } from '../../pipeline/quality-rules.js';
import { ident, literal } from './duckdb-sql.js';

const inList = (values: { name: string }[]): string => values.map((v) => literal(v.name)).join(', ');
const outside = (col: string, values: { name: string }[]): string =>
  `count(*) FILTER (WHERE ${ident(col)} NOT IN (${inList(values)}))`;


/**
 * One aggregate pass over the raw input (see rawSelectSql) computing every per-row check,
 * `$future` being the earliest local time that is in the future everywhere.
 */
export function qualityCountsSql(raw: string): string {
  const d = CARD_DOMAIN;
  const nulls = d.columns.map((c) => `count(*) - count(${ident(c)}) AS ${ident('null_' + c)}`).join(',\n  ');
  return `SELECT
  count(*) AS total,
  ${nulls},
  count(*) FILTER (WHERE amount IS NOT NULL AND _amount IS NULL) AS invalid_amount,
  count(*) FILTER (WHERE _amount < 0) AS negative_amount,
  count(*) FILTER (WHERE _amount = 0) AS zero_amount,
  count(*) FILTER (WHERE _amount > ${d.maxAmountWarn}) AS huge_amount,
  count(*) FILTER (WHERE installment_months IS NOT NULL AND coalesce(_installment < 0, true)) AS invalid_installment,
  count(*) FILTER (WHERE transaction_date IS NOT NULL AND _ts IS NULL) AS invalid_date,
  count(*) FILTER (WHERE _ts > $future::TIMESTAMP) AS future_date,
  ${outside('category', d.categories)} AS bad_category,
  ${outside('card_type', d.cardTypes)} AS bad_card_type,
  ${outside('approval_status', d.approvalStatuses)} AS bad_approval_status,
  ${outside('region', d.regions)} AS bad_region,
  count(*) FILTER (WHERE NOT regexp_full_match(card_no, ${literal(d.cardNoPattern.replace(/^\^|\$$/g, ''))})) AS bad_card_no,
  count(*) FILTER (WHERE approval_status = 'declined') AS declined
FROM ${raw}`;
}

/**
 * The input CSV files as one relation, every column as text, NULL for the null texts. The files
 * share one header (checked at submit); `.gz` files are decompressed (DuckDB goes by the extension).
 */
export function readCsvSql(csvPaths: readonly string[]): string {
  // The domain's null texts become NULL, so that every null check is a plain count.
  const nullstr = CARD_DOMAIN.nullTexts.map(literal).join(', ');
  return `read_csv([${csvPaths.map(literal).join(', ')}], header = true, all_varchar = true, delim = ',', quote = '"', nullstr = [${nullstr}])`;
}

/**
 * The input CSV files as rows: every column as text (NULL for the null texts), plus the parsed
 * timestamp, amount and installment that both the checks and the ETL use, parsed once.
 */
export function rawSelectSql(csvPaths: readonly string[]): string {
  const cols = CARD_DOMAIN.columns.map(ident).join(', ');
  return `SELECT ${cols},
       -- Strict shapes first: DuckDB's casts alone would round '12.5', read '1e3' or ' 100', and
       -- accept '2024-1-5 1:2:3'; the Spark jobs refuse all of these, and so must we.
       CASE WHEN regexp_full_match(transaction_date, '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}')
            THEN try_strptime(transaction_date, '%Y-%m-%d %H:%M:%S') END AS _ts,
       CASE WHEN regexp_full_match(amount, '[+-]?[0-9]+') THEN TRY_CAST(amount AS BIGINT) END AS _amount,
       CASE WHEN regexp_full_match(installment_months, '[+-]?[0-9]+') THEN TRY_CAST(installment_months AS INTEGER) END AS _installment
FROM ${readCsvSql(csvPaths)}`;
}

/** Two rows with one transaction_id: the second is a duplicate. */
export const ID_KEY = ['transaction_id'] as const;
/** Rows that look like the same purchase charged more than once. */
export const DOUBLE_CHARGE_KEY = ['transaction_date', 'card_no', 'amount', 'merchant'] as const;

const keyHash = (key: readonly string[]): string => `hash(${key.map(ident).join(', ')})`;
const keyPresent = (key: readonly string[]): string => key.map((c) => `${ident(c)} IS NOT NULL`).join(' AND ');

/**
 * The 64-bit hashes of `key` seen on more than one row (rows with a NULL in the key left out), with
 * their rows: the candidates for repeatedKeysSql. Grouping by a fixed-width hash is what lets DuckDB's
 * aggregate spill within its memory limit; grouping (or counting distinct) by the text of 100M
 * distinct keys runs out of memory at 1GB, and text min/max states ignore the limit (measured on the
 * 100M-row bench input).
 */
export function repeatedHashesSql(raw: string, key: readonly string[]): string {
  return `SELECT ${keyHash(key)} AS h, count(*) AS n FROM ${raw} WHERE ${keyPresent(key)} GROUP BY h HAVING count(*) > 1`;
}

/**
 * Exactly: the keys seen on more than one row and those rows, among the rows whose hash is one of
 * `hashes` (see repeatedHashesSql), in bucket `bucket.k` of `bucket.of` by hash, so that many
 * candidates are counted a bounded share at a time.
 */
export function repeatedKeysSql(raw: string, key: readonly string[], hashes: string, bucket = { k: 0, of: 1 }): string {
  const h = keyHash(key);
  const split = bucket.of > 1;
  return `SELECT count(*) AS keys, coalesce(sum(n), 0) AS rows FROM (
  SELECT count(*) AS n FROM ${raw}
  WHERE ${keyPresent(key)}${split ? ` AND ${h} % ${bucket.of} = ${bucket.k}` : ''}
    AND ${h} IN (SELECT h FROM ${hashes}${split ? ` WHERE h % ${bucket.of} = ${bucket.k}` : ''})
  GROUP BY ${key.map(ident).join(', ')} HAVING count(*) > 1)`;
}

/** Keys seen on more than one row, and those rows. */
export interface RepeatedKeys {
  keys: number;
  rows: number;
}

/** Maps the row of qualityCountsSql and the repeated ids and double-charge keys onto QualityCounts. */
export function toQualityCounts(row: Record<string, unknown>, ids: RepeatedKeys, dbl: RepeatedKeys): QualityCounts {
  const n = (v: unknown): number => Number(v ?? 0);
  const nulls: Record<string, number> = {};
  for (const c of CARD_DOMAIN.columns) nulls[c] = n(row[`null_${c}`]);
  return {
    total: n(row.total),
    nulls,
    duplicateIds: ids.keys,
    // Rows beyond the first of each repeated id.
    duplicateRows: ids.rows - ids.keys,
    doubleChargeGroups: dbl.keys,
    doubleChargeRows: dbl.rows,
    invalidAmount: n(row.invalid_amount),
    negativeAmount: n(row.negative_amount),
    zeroAmount: n(row.zero_amount),
    hugeAmount: n(row.huge_amount),
    invalidInstallment: n(row.invalid_installment),
    invalidDate: n(row.invalid_date),
    futureDate: n(row.future_date),
    badCategory: n(row.bad_category),
    badCardType: n(row.bad_card_type),
    badApprovalStatus: n(row.bad_approval_status),
    badRegion: n(row.bad_region),
    badCardNo: n(row.bad_card_no),
    declined: n(row.declined),
  };
}
