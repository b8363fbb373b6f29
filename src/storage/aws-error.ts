import { AppError } from '../errors.js';

/** The fields AWS SDK v3 service exceptions carry. */
interface AwsErrorShape {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

/** The exception name (`NoSuchBucket`, `EntityNotFoundException`, ...), or '' for non-AWS errors. */
export function awsErrorName(err: unknown): string {
  return typeof err === 'object' && err !== null ? ((err as AwsErrorShape).name ?? '') : '';
}

/** HTTP status of a failed AWS call, when the service answered at all. */
export function awsStatus(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? (err as AwsErrorShape).$metadata?.httpStatusCode : undefined;
}

const UNREACHABLE = new Set([
  'NoSuchBucket', 'NoSuchKey', 'NotFound', 'AccessDenied', 'AccessDeniedException', 'InvalidAccessKeyId',
  'SignatureDoesNotMatch', 'AllAccessDisabled', 'InvalidBucketName', 'PermanentRedirect',
]);

/** The SDK found no credentials (no env keys, profile, container or instance role): a setup matter, not a failing backend. */
// Only the chain's verdict that no source is configured: a ProviderError from a failing instance or
// container credential endpoint is a passing upstream failure (UPSTREAM_FAILED, retryable).
const NO_CREDENTIALS = new Set(['CredentialsProviderError']);

/**
 * Maps a failed AWS call onto our codes: no credentials at all is AWS_NOT_CONFIGURED (422); a location that cannot be read (no bucket, no permission) is
 * LOCATION_UNREACHABLE (422); anything else the backend did wrong (5xx, throttling that outlived the
 * SDK's retries, the network) is UPSTREAM_FAILED (502, retryable). The cause is kept, never shown.
 */
export function fromAwsError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const name = awsErrorName(err);
  // Whose signal fired (a timer, a client that left) only the caller knows: it passes abortError(signal) instead.
  if (name === 'AbortError') return new AppError('QUERY_CANCELLED', `${what}: cancelled`, { cause: err });
  if (NO_CREDENTIALS.has(name)) {
    return new AppError('AWS_NOT_CONFIGURED', `${what}: this gateway has no AWS credentials configured (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or an instance role)`, { cause: err });
  }
  const status = awsStatus(err);
  if (UNREACHABLE.has(name) || status === 403 || status === 404 || status === 301) {
    return new AppError('LOCATION_UNREACHABLE', `${what}: ${name || `HTTP ${status}`}`, { cause: err });
  }
  return new AppError('UPSTREAM_FAILED', `${what}: ${name || 'the service could not be reached'}`, { cause: err, retryable: true });
}
