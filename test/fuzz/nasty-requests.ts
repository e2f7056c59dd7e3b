// Hand-written hostile requests: huge and deeply nested bodies, bytes that are not UTF-8, the wrong
// content type, path ids with `../` and encoded variants, SQL and header injection, duplicate and
// conflicting headers, bad idempotency keys and bad Last-Event-IDs on the event stream.
import { ulid } from 'ulid';

export type FuzzRequest = {
  route: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Sent over a raw socket: `head` is the request line and headers exactly as written. */
  rawHead?: string;
  /** The field a 400 must name (its last segment is looked for in the message or details). */
  field?: string;
  label: string;
};

export type NastyContext = { key: string; realRunId: string; realReviewId: string; realNoteId: string };

const json = { 'content-type': 'application/json' };

function deepNesting(depth: number, open: string, close: string, inner = '1'): string {
  return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
}

export function nastyRequests(context: NastyContext): FuzzRequest[] {
  const auth = { authorization: `Bearer ${context.key}` };
  const run = context.realRunId;
  const requests: FuzzRequest[] = [];
  const add = (request: Omit<FuzzRequest, 'headers'> & { headers?: Record<string, string> }) => requests.push({ headers: { ...auth }, ...request, ...(request.headers && { headers: { ...auth, ...request.headers } }) });
  const createRun = (label: string, body: string | Buffer, headers: Record<string, string> = json, field?: string) =>
    add({ route: 'POST /v1/runs', method: 'POST', path: '/v1/runs', headers, body, field, label });

  // Huge bodies and strings.
  createRun('a body over the limit', JSON.stringify({ message: 'x'.repeat(1_100_000) }));
  createRun('a message one character over its maximum', JSON.stringify({ message: 'x'.repeat(200_001) }), json, 'message');
  createRun('instructions over their maximum', JSON.stringify({ message: 'hi', instructions: 'y'.repeat(100_001) }), json, 'instructions');
  add({ route: 'POST /v1/notes', method: 'POST', path: '/v1/notes', headers: json, body: JSON.stringify({ content: 'n'.repeat(4001) }), field: 'content', label: 'a note over its maximum' });
  add({ route: 'GET /v1/notes', method: 'GET', path: `/v1/notes?query=${'q'.repeat(6000)}`, field: 'query', label: 'a huge search query' });
  add({ route: 'GET /v1/runs', method: 'GET', path: `/v1/runs?limit=${'9'.repeat(400)}`, field: 'limit', label: 'a huge number' });
  // Deep nesting.
  for (const depth of [100, 5_000, 100_000]) {
    createRun(`arrays nested ${depth} deep`, deepNesting(depth, '[', ']'));
    createRun(`a policy nested ${depth} deep`, `{"message":"hi","policy":${deepNesting(depth, '{"a":', '}')}}`);
    add({ route: 'PUT /v1/policy', method: 'PUT', path: '/v1/policy', headers: json, body: `{"safety":${deepNesting(depth, '{"a":', '}')}}`, label: `a policy body nested ${depth} deep` });
    add({ route: 'POST /v1/runs/{id}/reviews/{reviewId}', method: 'POST', path: `/v1/runs/${run}/reviews/${context.realReviewId}`, headers: json, body: `{"action":"edit","arguments":${deepNesting(depth, '{"a":', '}')}}`, label: `edited arguments nested ${depth} deep` });
  }
  // Not UTF-8, NUL and lone surrogates.
  createRun('bytes that are not UTF-8', Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('"}')]));
  createRun('a NUL character escaped in JSON', JSON.stringify({ message: 'before\u0000after' }));
  createRun('a lone surrogate escaped in JSON', '{"message":"\\ud800 alone"}');
  createRun('a NUL in instructions', JSON.stringify({ message: 'hi', instructions: 'a\u0000b' }));
  add({ route: 'POST /v1/notes', method: 'POST', path: '/v1/notes', headers: json, body: JSON.stringify({ content: 'nul \u0000 note', category: 'x' }), label: 'a NUL in a note' });
  add({ route: 'POST /v1/notes', method: 'POST', path: '/v1/notes', headers: json, body: '{"content":"\\udfff lone low surrogate"}', label: 'a lone low surrogate in a note' });
  add({ route: 'POST /v1/runs/{id}/messages', method: 'POST', path: `/v1/runs/${run}/messages`, headers: json, body: JSON.stringify({ text: 'nul \u0000' }), label: 'a NUL in a message' });
  add({ route: 'POST /v1/runs/{id}/cancel', method: 'POST', path: `/v1/runs/${run}/cancel`, headers: json, body: JSON.stringify({ reason: 'nul \u0000' }), label: 'a NUL in a cancel reason' });
  add({ route: 'PUT /v1/policy', method: 'PUT', path: '/v1/policy', headers: json, body: JSON.stringify({ 'nul\u0000key': 1 }), label: 'a NUL in a policy key' });
  add({ route: 'GET /v1/notes', method: 'GET', path: '/v1/notes?query=%00%00', label: 'a NUL in a search' });
  add({ route: 'GET /v1/notes', method: 'GET', path: '/v1/notes?userId=%00', label: 'a NUL in a user filter' });
  add({ route: 'GET /v1/notes', method: 'GET', path: '/v1/notes?query=%ff%fe', label: 'percent-encoded bytes that are not UTF-8' });
  add({ route: 'GET /v1/notes', method: 'GET', path: '/v1/notes?query=%E0%A4%A', label: 'a truncated percent escape' });
  // Malformed JSON and wrong content types.
  for (const body of ['{"message": ', '{"message": "hi",}', 'null', '[]', '"just a string"', '1e999', '{"message": "hi"}{"message": "again"}', '', '{"__proto__": {"admin": true}, "message": "hi"}', '{"constructor": {"prototype": {"x": 1}}, "message": "hi"}']) {
    createRun(`the body ${JSON.stringify(body.slice(0, 30))}`, body);
  }
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/jsonx', '*/*', 'application/json, text/plain']) {
    createRun(`content type ${type}`, type.startsWith('multipart') ? '--x\r\ncontent-disposition: form-data; name="message"\r\n\r\nhi\r\n--x--' : '{"message":"hi"}', { 'content-type': type });
  }
  add({ route: 'POST /v1/runs/{id}/cancel', method: 'POST', path: `/v1/runs/${run}/cancel`, headers: { 'content-type': 'text/plain' }, body: 'stop', label: 'cancel with a text body' });
  add({ route: 'POST /v1/runs/{id}/cancel', method: 'POST', path: `/v1/runs/${run}/cancel`, headers: json, body: '', label: 'cancel with an empty JSON body' });
  // Path ids: traversal, encodings, near misses.
  const badIds = ['..', '../..', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%2e%2e%2f%2e%2e', '..%252F..', '%252e%252e', 'run_%00', `run_${ulid()}%00`, `run_${ulid().toLowerCase()}`, `run_${ulid()}X`, 'run_', "run_' OR '1'='1", '%C0%AE%C0%AE', '%uff0e%uff0e', encodeURIComponent('run_01J/../../x'), 'x'.repeat(5000), '%', '%zz'];
  for (const id of badIds) {
    for (const [route, suffix, method] of [['GET /v1/runs/{id}', '', 'GET'], ['GET /v1/runs/{id}/messages', '/messages', 'GET'], ['GET /v1/runs/{id}/events', '/events', 'GET'], ['POST /v1/runs/{id}/cancel', '/cancel', 'POST']] as const) {
      add({ route, method, path: `/v1/runs/${id}${suffix}`, ...(method === 'POST' && { headers: json, body: '{}' }), label: `run id ${id.slice(0, 40)}` });
    }
    add({ route: 'GET /v1/reviews/{reviewId}', method: 'GET', path: `/v1/reviews/${id}`, label: `review id ${id.slice(0, 40)}` });
    add({ route: 'GET /v1/notes/{id}', method: 'GET', path: `/v1/notes/${id}`, label: `note id ${id.slice(0, 40)}` });
    add({ route: 'DELETE /v1/notes/{id}', method: 'DELETE', path: `/v1/notes/${id}`, label: `delete note id ${id.slice(0, 40)}` });
  }
  for (const path of ['/v1/runs/../../etc/passwd', '/v1/runs/%2e%2e/%2e%2e/healthz', '//v1//runs', '/v1/runs/./', '/v1/./runs', '/v1/runs?limit=1&limit=2', '/v1/runs#frag', '/v1/runs/\\..\\..\\x']) {
    add({ route: 'GET /v1/runs', method: 'GET', path, rawHead: `GET ${path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${context.key}`, label: `raw path ${path}` });
  }
  // SQL injection in queries.
  const sql = ["' OR 1=1 --", "'; DROP TABLE runs; --", '1; SELECT pg_sleep(5)', "\\' OR \\'1\\'=\\'1", "' UNION SELECT key FROM api_keys --", '%', '_', '\\', "$$; DROP TABLE notes; $$"];
  for (const injection of sql) {
    const value = encodeURIComponent(injection);
    add({ route: 'GET /v1/notes', method: 'GET', path: `/v1/notes?query=${value}&userId=${value}&category=${value}`, label: `SQL in note filters: ${injection}` });
    add({ route: 'GET /v1/notes', method: 'GET', path: `/v1/notes?userId=${value}`, label: `SQL in the user filter: ${injection}` });
    add({ route: 'GET /v1/reviews', method: 'GET', path: `/v1/reviews?runId=${value}&status=${value}`, label: `SQL in review filters: ${injection}` });
    add({ route: 'GET /v1/usage', method: 'GET', path: `/v1/usage?from=${value}`, field: 'from', label: `SQL in usage from: ${injection}` });
    add({ route: 'GET /v1/runs/{id}/messages', method: 'GET', path: `/v1/runs/${run}/messages?after=${value}`, field: 'after', label: `SQL in after: ${injection}` });
    add({ route: 'POST /v1/notes', method: 'POST', path: '/v1/notes', headers: json, body: JSON.stringify({ content: injection, userId: injection, supersedes: injection }), label: `SQL in a note body: ${injection}` });
    add({ route: 'POST /v1/runs', method: 'POST', path: '/v1/runs', headers: { ...json, 'idempotency-key': injection.replace(/\s/g, '') || 'x' }, body: JSON.stringify({ message: injection, model: injection }), label: `SQL in a run body: ${injection}` });
  }
  add({ route: 'GET /v1/usage', method: 'GET', path: '/v1/usage?from=2025-01-01T00:00:00Z&to=1999-01-01T00:00:00Z', label: 'a window that ends before it starts' });
  add({ route: 'GET /v1/usage', method: 'GET', path: '/v1/usage?from=9999-12-31T23:59:59.999999999Z', label: 'the far future with nanoseconds' });
  add({ route: 'GET /v1/usage', method: 'GET', path: '/v1/usage?from=0000-01-01T00:00:00Z', label: 'year zero' });
  add({ route: 'GET /v1/usage', method: 'GET', path: '/v1/usage?from=2024-01-01T00:00:00%2B99:99', field: 'from', label: 'an impossible offset' });
  // Header injection, duplicates and conflicts (raw: fetch refuses them).
  const bearer = `authorization: Bearer ${context.key}`;
  const rawCreate = (label: string, head: string, body = '{"message":"hi"}') =>
    add({ route: 'POST /v1/runs', method: 'POST', path: '/v1/runs', rawHead: `POST /v1/runs HTTP/1.1\r\nhost: x\r\n${head}`, body, label });
  rawCreate('two authorization headers', `${bearer}\r\nauthorization: Bearer keel_other\r\ncontent-type: application/json\r\ncontent-length: 16`);
  rawCreate('two content types', `${bearer}\r\ncontent-type: application/json\r\ncontent-type: text/plain\r\ncontent-length: 16`);
  rawCreate('two idempotency keys', `${bearer}\r\ncontent-type: application/json\r\nidempotency-key: a\r\nidempotency-key: b\r\ncontent-length: 16`);
  rawCreate('two content lengths that disagree', `${bearer}\r\ncontent-type: application/json\r\ncontent-length: 16\r\ncontent-length: 3`);
  rawCreate('a content length longer than the body', `${bearer}\r\ncontent-type: application/json\r\ncontent-length: 5000`);
  rawCreate('content length and chunked together', `${bearer}\r\ncontent-type: application/json\r\ncontent-length: 16\r\ntransfer-encoding: chunked`, '10\r\n{"message":"hi"}\r\n0\r\n\r\n');
  rawCreate('a header folded onto two lines', `${bearer}\r\ncontent-type: application/json\r\nx-request-id: a\r\n injected: yes\r\ncontent-length: 16`);
  rawCreate('a bare LF inside a header value', `${bearer}\r\ncontent-type: application/json\r\nx-request-id: a\nset-cookie: evil=1\r\ncontent-length: 16`);
  rawCreate('a header value that is not UTF-8', `${bearer}\r\ncontent-type: application/json\r\nidempotency-key: \xff\xfe\r\ncontent-length: 16`);
  rawCreate('a NUL in a header value', `${bearer}\r\ncontent-type: application/json\r\nidempotency-key: a\x00b\r\ncontent-length: 16`);
  rawCreate('a lowercase bearer scheme with tabs', `authorization: bearer\t${context.key}\t\r\ncontent-type: application/json\r\ncontent-length: 16`);
  add({ route: 'GET /v1/runs', method: 'GET', path: '/v1/runs', rawHead: `GET /v1/runs HTTP/1.1\r\nhost: x\r\n${bearer}\r\nx-request-id: ${'r'.repeat(20_000)}`, label: 'a 20 KB request id' });
  add({ route: 'GET /v1/runs', method: 'GET', path: '/v1/runs', rawHead: `GET /v1/runs HTTP/1.1\r\nhost: x\r\n${bearer}\r\nx-request-id: ../../etc`, label: 'a request id with slashes' });
  add({ route: 'GET /v1/runs', method: 'GET', path: '/v1/runs', rawHead: `GET /v1/runs HTTP/1.1\r\nhost: x\r\nauthorization: Bearer`, label: 'a bearer without a key' });
  add({ route: 'GET /v1/runs', method: 'GET', path: '/v1/runs', rawHead: `GET /v1/runs HTTP/1.1\r\nhost: x\r\nauthorization: Basic YTpi`, label: 'basic auth' });
  add({ route: 'GET /v1/runs', method: 'GET', path: '/v1/runs', rawHead: `GET /v1/runs HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${'k'.repeat(10_000)}`, label: 'a 10 KB key' });
  add({ route: 'GET /v1/runs', method: 'GET', path: '/v1/runs', rawHead: `GET /v1/runs HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ' OR 1=1 --`, label: 'SQL in the key' });
  // Bad idempotency keys.
  for (const key of ['', ' ', 'k'.repeat(201), 'tab\there', 'ключ', '😀', 'a b', "' OR 1=1", 'x'.repeat(10_000)]) {
    add({ route: 'POST /v1/runs', method: 'POST', path: '/v1/runs', headers: { ...json, 'idempotency-key': key }, body: '{"message":"hi"}', field: 'idempotency-key', label: `idempotency key ${JSON.stringify(key.slice(0, 20))}` });
  }
  // Bad Last-Event-ID and after on the event stream of a real (finished) run.
  for (const lastEventId of ['-1', 'abc', '1e3', '1.5', '99999999999999999999999', '', ' ', '0x10', 'NaN', 'Infinity', '9007199254740993', "1' OR '1'='1"]) {
    add({ route: 'GET /v1/runs/{id}/events', method: 'GET', path: `/v1/runs/${run}/events`, headers: { accept: 'text/event-stream', 'last-event-id': lastEventId }, label: `Last-Event-ID ${JSON.stringify(lastEventId)}` });
  }
  for (const after of ['-1', 'abc', '1e400', '99999999999999999999999', '1.5', '']) {
    add({ route: 'GET /v1/runs/{id}/events', method: 'GET', path: `/v1/runs/${run}/events?after=${encodeURIComponent(after)}`, headers: { accept: 'text/event-stream' }, label: `after ${JSON.stringify(after)}` });
  }
  // Methods and routes that do not exist.
  for (const [method, path] of [['PATCH', '/v1/runs'], ['DELETE', `/v1/runs/${run}`], ['PUT', '/v1/runs'],  ['OPTIONS', '/v1/runs'], ['GET', '/v1/runs/'], ['GET', '/v2/runs'], ['POST', '/v1/policy']]) {
    add({ route: 'unknown', method: method!, path: path!, label: `${method} ${path}` });
  }
  add({ route: 'unknown', method: 'TRACE', path: '/v1/runs', rawHead: `TRACE /v1/runs HTTP/1.1\r\nhost: x\r\n${bearer}`, label: 'TRACE' });
  return requests;
}
