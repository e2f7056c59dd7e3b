// HTTP errors as JSON `{ error: { code, message, details } }`; stack traces never leave the process.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isStoreUnavailable } from '../stores/store-unavailable';
import { answerAfterDraining } from './body-drain';
import { StoredRowInvalid } from '../stores/stored-row';

/** What a client is told to wait before trying again while the database is out of reach. */
export const STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** Thrown by route handlers to answer with a specific status and error code. */
export class HttpError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string, readonly details?: unknown, readonly headers?: Readonly<Record<string, string>>) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string, id: string) => new HttpError(404, 'not_found', `${what} ${id} not found`);

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/**
 * Every error answer waits until the request's body is read (api/body-drain.ts): a refusal before the
 * body (an unknown key, a suspended tenant, a body over the limit) otherwise closes the connection
 * under a client still sending it.
 */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  answerAfterDraining(request.raw, () => answerError(error, request, reply));
}

function answerError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof HttpError) {
    if (error.headers) void reply.headers(error.headers);
    void reply.status(error.statusCode).send(errorBody(error.code, error.message, error.details));
    return;
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      field: [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
      message: issue.message,
    }));
    const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    void reply.status(400).send(errorBody('invalid_request', `invalid request: ${summary}`, { issues }));
    return;
  }
  const statusCode = (error as FastifyError).statusCode;
  if (statusCode && statusCode >= 400 && statusCode < 500) {
    // Fastify's own client errors: unparsable JSON, body too large, unsupported media type.
    const code = (error as FastifyError).code?.toLowerCase().replace(/^fst_err_/, '') ?? 'bad_request';
    void reply.status(statusCode).send(errorBody(code, error.message));
    return;
  }
  if (isStoreUnavailable(error)) {
    request.log.warn({ err: error }, 'database unreachable');
    void reply.status(503).header('retry-after', String(STORE_UNAVAILABLE_RETRY_AFTER_SECONDS))
      .send(errorBody('database_unavailable', 'the database is unreachable; try again shortly', { retryAfterSeconds: STORE_UNAVAILABLE_RETRY_AFTER_SECONDS }));
    return;
  }
  if (error instanceof StoredRowInvalid) {
    // Which row, not what it holds: its content may be another tenant's or a secret.
    request.log.error({ err: error, table: error.table, id: error.id, issues: error.issues }, 'stored row does not match its schema');
    void reply.status(500).send(errorBody('stored_row_invalid', `a stored ${error.table} row does not match its schema; see the server log for the request id`, { table: error.table, requestId: request.id }));
    return;
  }
  request.log.error({ err: error }, 'unhandled error');
  void reply.status(500).send(errorBody('internal_error', 'internal error; see the server log for the request id', { requestId: request.id }));
}

/**
 * A request Node's HTTP parser refused (conflicting lengths, bad header bytes, headers too large):
 * the same JSON error shape, written on the socket, which is then closed.
 */
export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = error.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'headers_too_large', 'the request headers are too large']
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'the request took too long to arrive']
      : [400, 'bad_request', `malformed HTTP request${error.code ? ` (${error.code})` : ''}`];
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : status === 431 ? 'Request Header Fields Too Large' : 'Request Timeout'}\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
