import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, STATUS_BY_CODE, type ErrorCode } from '../errors.js';

/** The RFC 9457 fields of a problem; callers add their details. */
function problem(status: number, code: string, detail: string, instance?: string): Record<string, unknown> {
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, code, detail, ...(instance === undefined ? {} : { instance }) };
}

/**
 * For requests Node's HTTP parser refuses before Fastify sees them (an unknown method, a malformed
 * request line, headers too large): the same problem+json shape, then the connection is closed.
 */
export function sendClientError(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, detail]: [number, ErrorCode, string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'the request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'the request was not received in time']
        : [400, 'BAD_REQUEST', err.code === 'HPE_INVALID_METHOD' ? 'unknown HTTP method' : 'malformed HTTP request'];
  const body = JSON.stringify(problem(status, code, detail));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/problem+json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

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

/** The codes answered with a 5xx status. */
type ServerErrorCode = { [K in ErrorCode]: (typeof STATUS_BY_CODE)[K] extends 500 | 501 | 502 | 503 | 504 ? K : never }[ErrorCode];

/**
 * What a 5xx body says, whatever the error's own message was (it may name files, buckets or hosts:
 * it goes to the log). Complete by type: a new 5xx code must say here what clients are told.
 */
const SERVER_ERROR_DETAIL: Record<ServerErrorCode, string> = {
  INTERNAL: 'internal error',
  NOT_IMPLEMENTED: 'this is not implemented by the gateway',
  UPSTREAM_FAILED: 'a backend service (AWS, Spark, EMR) failed or could not be reached; retry later',
  OVERLOADED: 'the gateway is overloaded; retry after the Retry-After delay',
  OUT_OF_MEMORY: 'the embedded engine needed more memory than LAKEGATE_PIPELINE_MEMORY_LIMIT allows',
  ENGINE_UNAVAILABLE: 'the query engine named in `engine` did not answer (not reachable, or it did not open a session in time); retry later',
  QUERY_TIMEOUT: 'the query did not finish within its timeout (timeoutMs)',
  CONSOLE_NOT_BUILT: 'the web console is not built: run `npm run build:console` (`npm start` builds it)',
};

const isServerError = (code: ErrorCode): code is ServerErrorCode => STATUS_BY_CODE[code] >= 500;

/**
 * The one error handler: every failure becomes application/problem+json with a stable code. A 5xx
 * body gives a generic detail and the request id; the real message is logged.
 */
export function sendProblem(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appErr = err instanceof AppError ? err : fromFastify(err as FastifyError);
  const code: ErrorCode = appErr?.code ?? 'INTERNAL';
  const status = STATUS_BY_CODE[code];
  if (status >= 500) request.log.error({ err }, 'request failed');
  const detail = isServerError(code) ? `${SERVER_ERROR_DETAIL[code]}; see the gateway log for request ${request.id}` : appErr!.message;
  // The problem's own fields come last: a detail named `status` or `code` cannot change them.
  const body: Record<string, unknown> = { ...(appErr?.details ?? {}), ...problem(status, code, detail, request.url) };
  if (status === 429 && reply.getHeader('retry-after') === undefined) reply.header('retry-after', '1');
  return reply.code(status).type('application/problem+json').send(body);
}
