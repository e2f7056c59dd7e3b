// Fuzzing the HTTP API: requests generated from the OpenAPI document (fast-check arbitraries over
// each route's params, querystring, headers and body, valid-shaped and mutated) plus hand-written
// hostile ones. Asserts 0 5xx, 0 hangs, a live server between batches, and a JSON error naming the
// field for every 4xx. `KEEL_FUZZ_MODE=bounded` (CI) sends about 1,800 requests; full mode 10,000.
import fc from 'fast-check';
import { TenantsRepository } from '../../stores/tenants-repository';
import { api, waitForReview, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordReliability } from '../support/reliability-report';
import { nastyRequests, type FuzzRequest } from './nasty-requests';
import { rawRequest } from './raw-http';
import { mutated, valid, type JsonSchema } from './schema-arbitraries';

const MODE = process.env.KEEL_FUZZ_MODE === 'bounded' ? 'bounded' : 'full';
const TOTAL_REQUESTS = Number(process.env.KEEL_FUZZ_REQUESTS ?? (MODE === 'bounded' ? 1_800 : 10_000));
const SEED = Number(process.env.KEEL_FUZZ_SEED ?? Date.now() % 1_000_000);
const BATCH_SIZE = 200;
const CONCURRENCY = 6;
const REQUEST_TIMEOUT_MS = 10_000;
const HEALTH_TIMEOUT_MS = 2_000;
const QUICK_MODEL = 'fuzz-quick';
const STACK_TRACE = /\n\s+at .+:\d+:\d+|\.ts:\d+:\d+|node_modules\//;

type Parameter = { in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: JsonSchema };
type Operation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema: JsonSchema }> } };
type Real = { runId: string; reviewId: string; noteId: string };
type Finding = { request: string; problem: string };

/** encodeURIComponent, except that a lone surrogate goes out as bytes (as a hostile client would send it). */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  }
}

function queryString(values: Record<string, unknown>): string {
  const entries = Object.entries(values).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return '';
  return `?${entries.map(([name, value]) => `${encode(name)}=${encode(typeof value === 'string' ? value : JSON.stringify(value))}`).join('&')}`;
}

/** The arbitrary of one route's requests: each part valid-shaped, or one part mutated. */
function routeArbitrary(method: string, path: string, operation: Operation, real: Real, keys: string[]): fc.Arbitrary<FuzzRequest> {
  const parameters = operation.parameters ?? [];
  const part = (location: Parameter['in']) => {
    const own = parameters.filter((parameter) => parameter.in === location);
    const schema: JsonSchema = {
      type: 'object',
      properties: Object.fromEntries(own.map((parameter) => [parameter.name, parameter.schema])),
      required: own.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    };
    return { own, schema };
  };
  const pathPart = part('path');
  const queryPart = part('query');
  const headerPart = part('header');
  const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
  const realIds = fc.constantFrom<Record<string, string>>({ id: real.runId, reviewId: real.reviewId }, { id: real.noteId });
  const pathValues = fc.oneof({ weight: 3, arbitrary: valid(pathPart.schema) as fc.Arbitrary<Record<string, unknown>> }, { weight: 1, arbitrary: realIds });
  const parts = ['path', 'query', 'header', ...(bodySchema ? ['body'] : [])] as const;
  const mutatedPart = fc.option(fc.constantFrom(...parts), { freq: 2 });
  return fc.tuple(mutatedPart, pathValues, fc.constantFrom(...keys)).chain(([which, pathValue, key]) => {
    const value = (name: (typeof parts)[number], schema: JsonSchema, prefix: string) =>
      which === name ? mutated(schema, prefix) : (valid(schema).map((generated) => ({ value: generated, field: undefined })));
    return fc.record({
      path: which === 'path' ? mutated(pathPart.schema, 'params') : fc.constant({ value: pathValue, field: undefined }),
      query: value('query', queryPart.schema, 'querystring'),
      headers: value('header', headerPart.schema, 'headers'),
      body: bodySchema ? value('body', bodySchema, 'body') : fc.constant({ value: undefined, field: undefined }),
      key: fc.constant(key),
    });
  }).map(({ path: pathValue, query, headers, body, key }) => {
    const pathParams = (pathValue.value ?? {}) as Record<string, unknown>;
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => encode(String(pathParams[name] ?? '')));
    const headerValues = Object.fromEntries(Object.entries((headers.value ?? {}) as Record<string, unknown>)
      .filter(([, headerValue]) => headerValue !== undefined)
      .map(([name, headerValue]) => [name, typeof headerValue === 'string' ? headerValue : JSON.stringify(headerValue)]));
    const queryValue = query.value && typeof query.value === 'object' && !Array.isArray(query.value) ? query.value as Record<string, unknown> : { q: query.value };
    return {
      route: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      path: `${filled}${queryString(queryValue)}`,
      headers: {
        ...(key && { authorization: `Bearer ${key}` }),
        ...headerValues,
        ...(method === 'get' && path.endsWith('/events') && { accept: 'text/event-stream' }),
        ...(body.value !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body.value !== undefined && { body: JSON.stringify(body.value) }),
      field: path === '/v1/policy' ? undefined : (pathValue.field ?? query.field ?? headers.field ?? body.field),
      label: 'generated',
    };
  });
}

/** Headers fetch cannot carry (CR, LF, NUL, non-Latin-1) are dropped: the raw cases cover them. */
function sendableHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name, value]) => /^[!#$%&'*+.^_`|~\w-]+$/.test(name) && /^[\t\x20-\x7e\x80-\xff]*$/.test(value)));
}

async function send(baseUrl: string, request: FuzzRequest): Promise<{ status: number; text: string }> {
  if (request.rawHead) return rawRequest(baseUrl, request.rawHead, request.body ?? '');
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method, headers: sendableHeaders(request.headers), body: request.body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  // A stream that opened (a real run's events) is read to its end: the run finished, so it ends.
  return { status: response.status, text: await response.text() };
}

function checkResponse(request: FuzzRequest, status: number, text: string): string | undefined {
  if (status >= 500) return `${status}: ${text.slice(0, 300)}`;
  if (STACK_TRACE.test(text)) return `a stack trace in the answer: ${text.slice(0, 300)}`;
  if (status < 400) return undefined;
  let body: { error?: { code?: unknown; message?: unknown; details?: unknown } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `${status} without a JSON body: ${JSON.stringify(text.slice(0, 200))}`;
  }
  if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string') return `${status} without {error:{code,message}}: ${text.slice(0, 200)}`;
  const details = body.error.details as { field?: unknown; fields?: unknown; issues?: Array<{ field?: unknown }> } | undefined;
  const namesAField = typeof details?.field === 'string' || Array.isArray(details?.fields) || (details?.issues ?? []).some((issue) => typeof issue.field === 'string');
  if (status === 400 && body.error.code === 'invalid_request' && !namesAField) return `400 names no field: ${text.slice(0, 300)}`;
  // A hand-written case breaks one field of an otherwise valid request: the 400 must name that one.
  // A generated request may break another part too, so it only has to name some field.
  if (status === 400 && request.field && request.label !== 'generated') {
    const name = request.field.split('.').at(-1)!;
    if (!`${body.error.message} ${JSON.stringify(body.error.details ?? null)}`.includes(name)) return `400 does not name ${request.field}: ${text.slice(0, 300)}`;
  }
  return undefined;
}

describe(`fuzzing the HTTP API (${MODE}: ${TOTAL_REQUESTS} requests, seed ${SEED})`, () => {
  let harness: Harness;
  let real: Real;
  let keys: string[];
  let document: { paths: Record<string, Record<string, Operation>> };

  beforeAll(async () => {
    harness = await startHarness({ environment: { KEEL_DEFAULT_MODEL: `local/${QUICK_MODEL}` } });
    harness.modelServer.addScenario({ name: QUICK_MODEL, models: `${QUICK_MODEL}*`, rules: [{ reply: { text: 'Quick answer.' } }] } as never);
    const admin = await new TenantsRepository(harness.services.database.db).createApiKey({ tenantId: harness.tenantIds.a, userId: 'fuzz-admin', name: 'fuzz', role: 'admin' });
    // A finished run, and one waiting for a review, so generated ids sometimes hit real rows.
    const done = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'hello' } });
    await waitForRun(harness.apiUrl, harness.keys.a, done.body.id);
    const waiting = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a, body: { message: 'write it', model: `local/${QUICK_MODEL}-review`, policy: { safety: { riskVerdicts: { none: 'confirm', low: 'confirm' } }, outcomePrediction: false } },
    });
    harness.modelServer.addScenario({ name: `${QUICK_MODEL}-review`, models: `${QUICK_MODEL}-review*`, rules: [{ turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a' } }] } }, { reply: { text: 'ok' } }] } as never);
    const review = await waitForReview(harness.apiUrl, harness.keys.a, waiting.body.id);
    const note = await api(harness.apiUrl, 'POST', '/v1/notes', { key: harness.keys.a, body: { content: 'fuzz note' } });
    real = { runId: done.body.id, reviewId: review.id, noteId: note.body.note.id };
    keys = [harness.keys.a, harness.keys.a, admin.key, harness.keys.b, '', 'keel_not-a-key'];
    document = (await api(harness.apiUrl, 'GET', '/docs/json')).body;
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('answers every request below 500, with a JSON error naming the field, and stays up', async () => {
    const nasty = nastyRequests({ key: harness.keys.a, realRunId: real.runId, realReviewId: real.reviewId, realNoteId: real.noteId });
    const routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => routeArbitrary(method, path, operation, real, keys)));
    const generatedCount = Math.max(0, TOTAL_REQUESTS - nasty.length);
    const generated = fc.sample(fc.oneof(...routes), { numRuns: generatedCount, seed: SEED });
    const requests = [...nasty, ...generated];
    const findings: Finding[] = [];
    const byStatus = new Map<number, number>();
    const routesCovered = new Set<string>();
    let fiveHundreds = 0;
    let crashes = 0;
    let sent = 0;

    for (let start = 0; start < requests.length; start += BATCH_SIZE) {
      const batch = requests.slice(start, start + BATCH_SIZE);
      let next = 0;
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        for (let index = next++; index < batch.length; index = next++) {
          const request = batch[index]!;
          sent += 1;
          const name = `${request.method} ${request.path.slice(0, 160)} [${request.label}]`;
          try {
            const { status, text } = await send(harness.apiUrl, request);
            byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
            if (status < 500 && request.route !== 'unknown') routesCovered.add(request.route);
            if (status >= 500) fiveHundreds += 1;
            const problem = checkResponse(request, status, text);
            if (problem) findings.push({ request: `${name}${status >= 500 && request.body ? ` ${String(request.body).slice(0, 300)}` : ''}`, problem });
          } catch (error) {
            // A raw request the server refuses at the HTTP layer may be closed without an answer; fetch never should be.
            if (request.rawHead && /no HTTP answer|ECONNRESET|EPIPE/.test(String(error))) continue;
            // fetch's own message is "fetch failed": the cause (a reset, a closed socket) says why.
            const cause = (error as { cause?: unknown }).cause;
            findings.push({ request: name, problem: `no answer: ${String(error)}${cause === undefined ? '' : ` (cause: ${String(cause)})`}` });
          }
        }
      }));
      const health = await fetch(`${harness.apiUrl}/healthz`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) }).then((response) => response.status).catch(() => 0);
      if (health !== 200) {
        crashes += 1;
        findings.push({ request: `health probe after ${sent} requests`, problem: `answered ${health}` });
      }
    }

    const fourHundreds = [...byStatus.entries()].filter(([status]) => status >= 400 && status < 500).sort(([a], [b]) => a - b);
    recordReliability('fuzz', MODE, { fuzzRequests: sent, fuzz5xx: fiveHundreds }, {
      requests: sent,
      generated: generated.length,
      handWritten: nasty.length,
      fiveHundreds,
      crashes,
      findings: findings.length,
      byStatus4xx: fourHundreds.map(([status, count]) => `${status}:${count}`).join(' '),
      routesCovered: `${routesCovered.size}/${routes.length}`,
      seed: SEED,
    });
    if (findings.length > 0) console.log(findings.slice(0, 40).map((finding) => `${finding.request}\n  ${finding.problem}`).join('\n'));
    expect(sent).toBe(requests.length);
    expect(routesCovered.size).toBe(routes.length);
    expect(findings).toEqual([]);
    expect(fiveHundreds).toBe(0);
    expect(crashes).toBe(0);
  }, 30 * 60_000);
});
