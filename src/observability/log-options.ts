import type { LoggerOptions } from 'pino';

/** Where a credential could appear in a log line; pino replaces these values before writing. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'request.headers.authorization',
  'headers.authorization',
  'authorization',
  '*.authorization',
  'token',
  '*.token',
];

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  id?: string;
  routeOptions?: { url?: string };
}

/**
 * The gateway's pino settings: JSON lines, credentials redacted, and requests logged without their
 * query string (canned-query parameters are literal values) and without headers.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: req.url?.split('?')[0],
        route: req.routeOptions?.url,
        remoteAddress: req.ip,
      }),
    },
  };
}
