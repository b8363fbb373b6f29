/**
 * Every failure the gateway reports carries one of these codes. The code is the stable contract for
 * clients; the HTTP status is derived from it in one place (STATUS_BY_CODE).
 */
export const STATUS_BY_CODE = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  DDL_SYNTAX: 400,
  SQL_SYNTAX: 400,
  SQL_NOT_ALLOWED: 400,
  SQL_UNTRANSLATABLE: 400,
  INVALID_NAME: 400,
  UNKNOWN_DIALECT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  TABLE_NOT_FOUND: 404,
  QUERY_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  TABLE_EXISTS: 409,
  RUN_CONFLICT: 409,
  OUTPUT_OVERLAPS: 409,
  RUN_NOT_CANCELLABLE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INPUT_NOT_FOUND: 422,
  INPUT_INVALID: 422,
  LOCATION_UNREACHABLE: 422,
  AWS_NOT_CONFIGURED: 422,
  ENGINE_UNSUPPORTED_LOCATION: 422,
  QUERY_FAILED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  INPUT_CHANGED: 422,
  INPUT_TOO_MANY_FILES: 422,
  EMPTY_OUTPUT: 422,
  // The answer, not the request, is too big: 413 would blame the request body.
  RESULT_TOO_WIDE: 422,
  RESULT_TOO_LARGE: 422,
  // The query would scan more than its budget (maxScanBytes) on an engine that bills by bytes scanned.
  SCAN_BUDGET_EXCEEDED: 422,
  // The client left (or cancelled) before its answer: it never reads this status, the audit line and metrics do.
  QUERY_CANCELLED: 409,
  RATE_LIMITED: 429,
  TOO_MANY_RUNS: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
  UPSTREAM_FAILED: 502,
  OVERLOADED: 503,
  // A pipeline stage needed more memory than LAKEGATE_PIPELINE_MEMORY_LIMIT lets the embedded engine use.
  OUT_OF_MEMORY: 503,
  // A configured engine (Trino, HiveServer2) that does not answer: the message names it.
  ENGINE_UNAVAILABLE: 503,
  // The web console's bundle is missing (`npm run build:console`; `npm start` builds it).
  CONSOLE_NOT_BUILT: 503,
  QUERY_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

export interface AppErrorOptions {
  cause?: unknown;
  /** Extra machine-readable fields merged into the problem body (e.g. `position`). */
  details?: Record<string, unknown>;
  /** Whether retrying the same work may succeed (pipeline stage retries read this). */
  retryable?: boolean;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details ?? {};
    this.retryable = options.retryable ?? false;
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/**
 * The error an aborted operation should surface: the signal's reason when it is an AppError,
 * QUERY_TIMEOUT when a timer fired (AbortSignal.timeout), else QUERY_CANCELLED (the client left, a cancel).
 */
export function abortError(signal: AbortSignal): AppError {
  const reason: unknown = signal.reason;
  if (reason instanceof AppError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return new AppError('QUERY_TIMEOUT', 'the operation did not finish in time', { cause: reason });
  return new AppError('QUERY_CANCELLED', 'the operation was cancelled', { cause: reason });
}

/**
 * An error's message as records, logs and problem bodies keep it: its first line, at most 500
 * characters. Engines append the offending input line or candidate names from other files on later
 * lines ("Original Line: ...", "Candidate bindings: ..."); those are data, and stay out.
 */
/** An engine that does not answer (not reachable, no session in time): 503 ENGINE_UNAVAILABLE naming it, retryable. */
export function engineUnavailable(engine: string, why: string, cause?: unknown): AppError {
  return new AppError('ENGINE_UNAVAILABLE', `engine '${engine}' is not available: ${why}`, { details: { engine }, retryable: true, ...(cause === undefined ? {} : { cause }) });
}

export function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const first = text.split(/\r?\n/, 1)[0]!.trim();
  return first.length > 500 ? `${first.slice(0, 497)}...` : first;
}
