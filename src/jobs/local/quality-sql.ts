import { CARD_DOMAIN } from '../../domain/card-domain.js';
import type { QualityCounts } from '../../pipeline/quality-rules.js';
import { ident, literal } from './duckdb-sql.js';

const inList = (values: { name: string }[]): string => values.map((v) => literal(v.name)).join(', ');
const outside = (col: string, values: { name: string }[]): string =>
  `count(*) FILTER (WHERE ${ident(col)} NOT IN (${inList(values)}))`;

/** Texts the CSV reader turns into NULL, so that every null check is a plain count. */
export const NULL_TEXTS = ['', 'null', 'NULL', 'Null'];

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
  count(transaction_id) - count(DISTINCT transaction_id) AS duplicate_ids,
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
  const nullstr = NULL_TEXTS.map(literal).join(', ');
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

/** Groups of rows that look like the same purchase charged more than once. */
export function doubleChargeSql(raw: string): string {
  return `SELECT count(*) AS groups, coalesce(sum(n), 0) AS rows FROM (
  SELECT count(*) AS n FROM ${raw}
  WHERE transaction_date IS NOT NULL AND card_no IS NOT NULL AND amount IS NOT NULL AND merchant IS NOT NULL
  GROUP BY transaction_date, card_no, amount, merchant HAVING count(*) > 1)`;
}

/** Maps the row of qualityCountsSql and doubleChargeSql onto QualityCounts. */
export function toQualityCounts(row: Record<string, unknown>, dbl: Record<string, unknown>): QualityCounts {
  const n = (v: unknown): number => Number(v ?? 0);
  const nulls: Record<string, number> = {};
  for (const c of CARD_DOMAIN.columns) nulls[c] = n(row[`null_${c}`]);
  return {
    total: n(row.total),
    nulls,
    duplicateIds: n(row.duplicate_ids),
    doubleChargeGroups: n(dbl.groups),
    doubleChargeRows: n(dbl.rows),
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
