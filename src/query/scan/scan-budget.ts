import { AppError } from '../../errors.js';
import type { ScanEstimate } from './scan-estimator.js';

/** Partitions named in a SCAN_BUDGET_EXCEEDED answer; `partitionCount` has them all. */
const LISTED = 100;

/**
 * Throws 422 SCAN_BUDGET_EXCEEDED when the estimate is past `maxScanBytes`, with the estimate, the
 * budget, the partitions it would read (`database.table/key=value/...`, the first 100) and their count.
 */
export function checkScanBudget(estimate: ScanEstimate, maxScanBytes: number): void {
  if (estimate.estimatedBytes <= maxScanBytes) return;
  const partitions = estimate.tables.flatMap((t) => t.partitions.list.map((p) => `${t.name}/${p}`));
  const partitionCount = estimate.tables.reduce((n, t) => n + t.partitions.read, 0);
  const read = estimate.tables.map((t) => (t.partitions.total ? `${t.name} (${t.partitions.read} of ${t.partitions.total} partitions)` : t.name)).join(', ');
  throw new AppError(
    'SCAN_BUDGET_EXCEEDED',
    `the query would scan about ${estimate.estimatedBytes} bytes of ${read}, more than its budget of ${maxScanBytes} (maxScanBytes); filter on partition columns or raise maxScanBytes`,
    { details: { estimatedBytes: estimate.estimatedBytes, maxScanBytes, partitions: partitions.slice(0, LISTED), partitionCount, tables: estimate.tables } },
  );
}
