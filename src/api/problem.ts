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

/** The one error handler: every failure becomes application/problem+json with a stable code. */
export function sendProblem(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appErr = err instanceof AppError ? err : fromFastify(err as FastifyError);
  const status = appErr ? STATUS_BY_CODE[appErr.code] : 500;
  if (!appErr || status >= 500) request.log.error({ err }, 'request failed');
  const body: Record<string, unknown> = {
    // A 5xx never leaks internals: only our own message, never the cause's.
    ...problem(status, appErr?.code ?? 'INTERNAL', appErr ? appErr.message : 'internal error; see the gateway log for request ' + request.id, request.url),
    ...(appErr?.details ?? {}),
  };
  if (status === 429 && reply.getHeader('retry-after') === undefined) reply.header('retry-after', '1');
  return reply.code(status).type('application/problem+json').send(body);
}
