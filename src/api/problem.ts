import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, STATUS_BY_CODE, type ErrorCode } from '../errors.js';

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway',
  503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** Maps Fastify's own errors (validation, body parsing, limits) onto our codes. */
function fromFastify(err: FastifyError): AppError | undefined {
  if (err.validation) {
    return new AppError('VALIDATION_FAILED', `${err.validationContext ?? 'request'} ${err.message.replace(/^(body|params|querystring)\/?\s*/, '')}`.trim(), {
      details: { errors: err.validation.map((v) => ({ path: v.instancePath, message: v.message })) },
    });
  }
  const byCode: Record<string, ErrorCode> = {
    FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
    FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
    FST_ERR_CTP_EMPTY_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  };
  const code = err.code ? byCode[err.code] : undefined;
  if (code) return new AppError(code, err.message);
  if (err.statusCode === 429) return new AppError('RATE_LIMITED', err.message);
  if (err instanceof SyntaxError || (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500)) {
    return new AppError('BAD_REQUEST', err.message);
  }
  return undefined;
}

/** The one error handler: every failure becomes application/problem+json with a stable code. */
export function sendProblem(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appErr = err instanceof AppError ? err : fromFastify(err as FastifyError);
  const status = appErr ? STATUS_BY_CODE[appErr.code] : 500;
  if (!appErr || status >= 500) request.log.error({ err }, 'request failed');
  const body: Record<string, unknown> = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    code: appErr?.code ?? 'INTERNAL',
    // A 5xx never leaks internals: only our own message, never the cause's.
    detail: appErr ? appErr.message : 'internal error; see the gateway log for request ' + request.id,
    instance: request.url,
    ...(appErr?.details ?? {}),
  };
  if (status === 429 && reply.getHeader('retry-after') === undefined) reply.header('retry-after', '1');
  return reply.code(status).type('application/problem+json').send(body);
}
