import { AppError } from '../errors.js';

/**
 * The limits policy of a query: the request's own values, the caller's caps (its API key) and the
 * gateway's defaults and hard caps. Pure: values in, values or a 400 out.
 */
/**
 * A limit of a request: its own value, else the smaller of the gateway's default and its key's cap
 * (undefined when neither is set); 400 VALIDATION_FAILED above the gateway's hard cap or the key's cap.
 */
export function limitOf(name: string, requested: number | undefined, fallback: number, keyCap: number | undefined, hardCap?: number): number;
export function limitOf(name: string, requested: number | undefined, fallback: number | undefined, keyCap: number | undefined): number | undefined;
export function limitOf(name: string, requested: number | undefined, fallback: number | undefined, keyCap: number | undefined, hardCap?: number): number | undefined {
  const defaults = [fallback, keyCap].filter((n): n is number => n !== undefined);
  const value = requested ?? (defaults.length ? Math.min(...defaults) : undefined);
  if (value === undefined) return undefined;
  if (hardCap !== undefined && value > hardCap) throw new AppError('VALIDATION_FAILED', `${name} ${value} exceeds the cap of ${hardCap}`);
  if (keyCap !== undefined && value > keyCap) throw new AppError('VALIDATION_FAILED', `${name} ${value} exceeds this API key's cap of ${keyCap}`);
  return value;
}

/**
 * Parsing runs on the event loop and costs microseconds a character: a text past the cap is refused
 * before it is parsed, so one request cannot hold every other (/healthz included) for seconds.
 */
export function checkSqlLength(sql: string, max: number): void {
  if (sql.length > max) {
    throw new AppError('SQL_NOT_ALLOWED', `the SQL text has ${sql.length} characters, more than the limit of ${max} (LAKEGATE_QUERY_MAX_SQL_KB)`, {
      details: { sqlChars: sql.length, maxSqlChars: max },
    });
  }
}
