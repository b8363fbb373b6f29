import { AppError } from '../../errors.js';
import { awsErrorName, awsStatus } from '../../storage/aws-error.js';

/**
 * Maps a failed EMR call onto our codes. Throttling has already been retried by the client's retry
 * strategy when it gets here. A client fault (unknown cluster, invalid request, no permission) will
 * not succeed on retry; a server fault or an unreachable endpoint may.
 */
export function fromEmrError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const name = awsErrorName(err);
  const status = awsStatus(err);
  const detail = err instanceof Error && err.message ? `${name || 'Error'}: ${err.message}` : name || 'the service could not be reached';
  const retryable = status === undefined || status >= 500 || status === 429 || /Throttl/i.test(name);
  return new AppError('UPSTREAM_FAILED', `${what}: ${detail}`, { cause: err, retryable });
}

/** Whether an SDK call failed because its abortSignal fired. */
export function isAbortError(err: unknown): boolean {
  return awsErrorName(err) === 'AbortError' || (err instanceof Error && err.name === 'AbortError');
}
