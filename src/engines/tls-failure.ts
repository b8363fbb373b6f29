import { AppError } from '../errors.js';

/** Node's codes for a certificate the client would not accept (unknown CA, self-signed, expired, wrong host name) or a failed handshake. */
const TLS_CODE = /CERT|TLS|SSL|SELF_SIGNED/;

/**
 * A TLS handshake an engine's client refused, as 502 UPSTREAM_FAILED naming the engine, the endpoint,
 * Node's reason and the setting that supplies the CA; undefined when `err` is not a TLS failure. Not
 * retryable: the same certificate is refused again until the configuration changes.
 *
 * @example tlsFailure('trino', 'trino.internal:8443', err, 'LAKEGATE_TRINO_TLS_CA_FILE')
 */
export function tlsFailure(engine: string, endpoint: string, err: unknown, caSetting: string): AppError | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !TLS_CODE.test(code)) return undefined;
  const reason = err instanceof Error && err.message ? `${code}: ${err.message}` : code;
  return new AppError('UPSTREAM_FAILED', `engine '${engine}': the TLS handshake with ${endpoint} failed (${reason}); check ${caSetting}`, { details: { engine }, cause: err });
}
