import { CARD_DOMAIN } from '../domain/card-domain.js';
import type { QualityCheck, QualityReport, QualityStatus, RunRules } from './pipeline-types.js';

/**
 * The data-quality rules of the domain, independent of the engine that counts: an engine returns
 * the raw counts (QualityCounts) and these rules turn them into PASS/WARN/FAIL checks.
 */
export interface QualityCounts {
  total: number;
  /** Null, empty or the text 'null', per CSV column. */
  nulls: Record<string, number>;
  /** transaction_ids that occur more than once (what the original batch counted). */
  duplicateIds: number;
  /** Rows beyond the first of each such id. */
  duplicateRows: number;
  doubleChargeGroups: number;
  doubleChargeRows: number;
  invalidAmount: number;
  negativeAmount: number;
  zeroAmount: number;
  hugeAmount: number;
  invalidInstallment: number;
  invalidDate: number;
  futureDate: number;
  badCategory: number;
  badCardType: number;
  badApprovalStatus: number;
  badRegion: number;
  badCardNo: number;
  declined: number;
}

const RANK: Record<QualityStatus, number> = { PASS: 0, WARN: 1, FAIL: 2 };

export function worst(statuses: QualityStatus[]): QualityStatus {
  return statuses.reduce<QualityStatus>((a, b) => (RANK[b] > RANK[a] ? b : a), 'PASS');
}

const pct = (n: number, total: number): string => (total === 0 ? '0' : ((100 * n) / total).toFixed(3).replace(/\.?0+$/, ''));

function check(name: string, issueCount: number, failStatus: QualityStatus, detail: string): QualityCheck {
  return { name, status: issueCount > 0 ? failStatus : 'PASS', issueCount, detail };
}

function domainList(values: { name: string }[]): string {
  return values.map((v) => v.name).join(', ');
}

/** Applies every rule of the domain facts to the counts. */
export function evaluateQuality(c: QualityCounts): QualityReport {
  const d = CARD_DOMAIN;
  const checks: QualityCheck[] = [];
  for (const col of d.columns) {
    const n = c.nulls[col] ?? 0;
    const status: QualityStatus = n === 0 ? 'PASS' : n > c.total * d.nullFailRatio ? 'FAIL' : 'WARN';
    checks.push({ name: `null_${col}`, status, issueCount: n, detail: `${n} of ${c.total} rows (${pct(n, c.total)}%) have no ${col}; FAIL above ${d.nullFailRatio * 100}%` });
  }
  checks.push(
    check('duplicate_transaction_id', c.duplicateIds, 'FAIL', `${c.duplicateIds} transaction_ids occur more than once (${c.duplicateRows} rows beyond the first of each)`),
    check('suspected_double_charge', c.doubleChargeGroups, 'WARN', `${c.doubleChargeGroups} groups (${c.doubleChargeRows} rows) share transaction_date, card_no, amount and merchant`),
    check('invalid_amount', c.invalidAmount, 'FAIL', `${c.invalidAmount} amounts are not whole numbers`),
    check('negative_amount', c.negativeAmount, 'FAIL', `${c.negativeAmount} amounts are below zero`),
    check('zero_amount', c.zeroAmount, 'WARN', `${c.zeroAmount} amounts are zero`),
    check('amount_over_limit', c.hugeAmount, 'WARN', `${c.hugeAmount} amounts exceed ${d.maxAmountWarn.toLocaleString('en')} KRW`),
    check('invalid_installment_months', c.invalidInstallment, 'FAIL', `${c.invalidInstallment} installment_months are not whole numbers >= 0`),
    check('invalid_transaction_date', c.invalidDate, 'FAIL', `${c.invalidDate} transaction_date values do not parse as yyyy-MM-dd HH:mm:ss`),
    check('future_transaction_date', c.futureDate, 'WARN', `${c.futureDate} transaction_date values are later than now in every time zone`),
    check('category_domain', c.badCategory, 'FAIL', `${c.badCategory} categories outside ${domainList(d.categories)}`),
    check('card_type_domain', c.badCardType, 'FAIL', `${c.badCardType} card types outside ${domainList(d.cardTypes)}`),
    check('approval_status_domain', c.badApprovalStatus, 'FAIL', `${c.badApprovalStatus} approval statuses outside ${domainList(d.approvalStatuses)}`),
    check('region_domain', c.badRegion, 'FAIL', `${c.badRegion} regions outside ${domainList(d.regions)}`),
    check('card_no_pattern', c.badCardNo, 'FAIL', `${c.badCardNo} card numbers do not match ${d.cardNoPattern}`),
  );
  const declinedHigh = c.total > 0 && c.declined > c.total * d.declinedWarnRatio;
  checks.push({
    name: 'declined_ratio',
    status: declinedHigh ? 'WARN' : 'PASS',
    issueCount: declinedHigh ? c.declined : 0,
    detail: `${c.declined} of ${c.total} rows (${pct(c.declined, c.total)}%) declined; WARN above ${d.declinedWarnRatio * 100}%`,
  });
  return { overall: worst(checks.map((x) => x.status)), checks };
}

/** What the row-count checks compare the input with. */
export interface RowCountContext {
  rules: RunRules;
  /** Data rows of the last successful run of the same output, when there is one. */
  previousRows?: number;
}

/**
 * The checks on the size of the input, independent of the engine: `row_count` (no data rows, or
 * fewer than `minRows`) and, when `maxRowDropPct` is set, `row_drop` against the previous run.
 * An empty input FAILs unless the run allows empty inputs, when it only WARNs.
 */
export function rowCountChecks(total: number, { rules, previousRows }: RowCountContext): QualityCheck[] {
  const floor = Math.max(1, rules.minRows);
  const short = total < floor;
  const status: QualityStatus = !short ? 'PASS' : total === 0 && rules.allowEmpty ? 'WARN' : 'FAIL';
  const checks: QualityCheck[] = [
    {
      name: 'row_count',
      status,
      issueCount: short ? floor - total : 0,
      detail: total === 0
        ? `the input has no data rows${rules.allowEmpty ? ' (allowEmpty)' : '; FAIL unless the run says allowEmpty'}`
        : `${total} data rows; FAIL below ${floor} (minRows)`,
    },
  ];
  if (rules.maxRowDropPct !== null && previousRows !== undefined && previousRows > 0) {
    const dropPct = (100 * (previousRows - total)) / previousRows;
    const dropped = dropPct > rules.maxRowDropPct;
    checks.push({
      name: 'row_drop',
      status: dropped ? rules.onRowDrop : 'PASS',
      issueCount: dropped ? previousRows - total : 0,
      detail: `${total} rows against ${previousRows} in the last successful run of this output (${dropPct > 0 ? '-' : '+'}${pct(Math.abs(previousRows - total), previousRows)}%); ${rules.onRowDrop} above a ${rules.maxRowDropPct}% drop`,
    });
  }
  return checks;
}

/** The report with the row-count checks added (once) and the overall status recomputed. */
export function withRowCountChecks(report: QualityReport, total: number, ctx: RowCountContext): QualityReport {
  if (report.checks.some((c) => c.name === 'row_count')) return report;
  const checks = [...rowCountChecks(total, ctx), ...report.checks];
  return { overall: worst(checks.map((c) => c.status)), checks };
}
