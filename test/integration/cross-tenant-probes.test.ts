// Cross-tenant probes: for every route in the OpenAPI document, tenant B's keys try to read, list,
// stream, message, cancel, review, supersede and delete what tenant A owns (runs, transcripts, events,
// reviews, notes, agent definitions, usage, policy, tool outputs, workspace files). A leak is any answer that confirms
// or shows A's data: a status other than 404 for A's ids (403 would confirm them), an answer that
// differs from the one for an id nobody has, or any of A's ids or secrets in B's response body.
import { ulid } from 'ulid';
import { REVIEW_STATUSES } from '../../core/review';
import { TenantsRepository } from '../../stores/tenants-repository';
import { api, waitForReview, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordReliability } from '../support/reliability-report';

const SECRET = `A-SECRET-${ulid()}`;
const REVIEW_EVERYTHING = { safety: { riskVerdicts: { none: 'confirm', low: 'confirm' } }, outcomePrediction: false };
/** B's run lets risky paths reach the tools, so the probe tests the tools' own confinement, not the review gate. */
const LET_TOOLS_TRY = { safety: { riskVerdicts: { high: 'allow', medium: 'allow' } }, outcomePrediction: false };
/** Steps are numbered from 1 and call ids are call_<turn>_<index>: every run's first call has this reference. */
const FIRST_CALL_REFERENCE = 's1_0_call_0_0';
const PROBE_TIMEOUT_MS = 5_000;

type Probe = { label: string; method: string; path: string; key: 'b' | 'bAdmin'; body?: unknown; headers?: Record<string, string>; expect: 'not-found' | 'ok' | 'any' };
type ProbeResponse = { status: number; text: string; json: any };
type Fixture = {
  runDone: string; runWaiting: string; runB: string; reviewId: string; noteId: string; agentA: string; skillA: string; modelA: string; experimentA: string;
  idempotencyKey: string; policyA: unknown; policyBBaseline: unknown; tenantA: string; tenantB: string; keyA: string;
};

const fakeRun = () => `run_${ulid()}`;
const fakeReview = () => `rev_${ulid()}`;
const fakeNote = () => `note_${ulid()}`;
const fakeAgent = () => `agent-${ulid().toLowerCase()}`;
const fakeSkill = () => `skill-${ulid().toLowerCase()}`;
const fakeTenant = () => `tx_${ulid().toLowerCase()}`;
const fakeKey = () => `key_${ulid()}`;
const fakeExperiment = () => `exp_${ulid()}`;

/** What tenant B tries on each route. Keyed by the OpenAPI document's method and path: a new route fails the suite until it has a rule. */
const PROBE_RULES: Record<string, (fixture: Fixture) => Probe[]> = {
  'GET /healthz': () => [{ label: 'liveness carries no tenant data', method: 'GET', path: '/healthz', key: 'b', expect: 'ok' }],
  'GET /readyz': () => [{ label: 'readiness carries no tenant data', method: 'GET', path: '/readyz', key: 'b', expect: 'ok' }],
  // Tenant ids are label values: a tenant's API key is not the operator's metrics token.
  'GET /metrics': () => [{ label: "B's API key does not open the operator's metrics", method: 'GET', path: '/metrics', key: 'b', expect: 'any' }],
  'POST /v1/alerts/webhook': () => [{ label: "B's API key is not Alertmanager's token", method: 'POST', path: '/v1/alerts/webhook', key: 'b', body: { status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'probe' } }] }, expect: 'any' }],
  // Payloads are ciphertext only Temporal holds (tenants cannot read it); here the codec is off.
  'POST /codec/encode': () => [{ label: "B's key on the codec", method: 'POST', path: '/codec/encode', key: 'bAdmin', body: { payloads: [] }, expect: 'any' }],
  'POST /codec/decode': () => [{ label: "B's key on the codec", method: 'POST', path: '/codec/decode', key: 'bAdmin', body: { payloads: [] }, expect: 'any' }],
  'POST /codec/ui/{token}/encode': () => [{ label: 'a guessed Web UI codec token', method: 'POST', path: '/codec/ui/guess/encode', key: 'b', body: { payloads: [] }, expect: 'any' }],
  'POST /codec/ui/{token}/decode': () => [{ label: 'a guessed Web UI codec token', method: 'POST', path: '/codec/ui/guess/decode', key: 'b', body: { payloads: [] }, expect: 'any' }],
  'GET /v1/models': () => [{ label: 'the catalog carries no tenant data', method: 'GET', path: '/v1/models', key: 'b', expect: 'ok' }],
  'GET /v1/usage': () => [
    { label: "B's usage", method: 'GET', path: '/v1/usage', key: 'b', expect: 'ok' },
    { label: "B's usage in a window", method: 'GET', path: `/v1/usage?from=${encodeURIComponent('2000-01-01T00:00:00Z')}`, key: 'b', expect: 'ok' },
    { label: "B's usage by purpose", method: 'GET', path: '/v1/usage?groupBy=purpose', key: 'b', expect: 'ok' },
    { label: "B's usage by user", method: 'GET', path: '/v1/usage?groupBy=user', key: 'b', expect: 'ok' },
  ],
  'GET /v1/usage/daily': () => [
    { label: "B's usage per day", method: 'GET', path: '/v1/usage/daily', key: 'b', expect: 'ok' },
    { label: "B's usage per day over a year", method: 'GET', path: '/v1/usage/daily?days=366', key: 'b', expect: 'ok' },
  ],
  'GET /v1/runs/{id}/tool-outputs/{callId}': (fixture) => [
    { label: "read A's tool output", method: 'GET', path: `/v1/runs/${fixture.runDone}/tool-outputs/${FIRST_CALL_REFERENCE}`, key: 'b', expect: 'not-found' },
    { label: "read A's tool output through B's own run", method: 'GET', path: `/v1/runs/${fixture.runB}/tool-outputs/${FIRST_CALL_REFERENCE}`, key: 'b', expect: 'any' },
  ],
  'GET /v1/runs': () => [
    { label: "B's runs", method: 'GET', path: '/v1/runs?limit=200', key: 'b', expect: 'ok' },
  ],
  'POST /v1/runs': (fixture) => [{
    label: "A's idempotency key starts B's own run, not A's", method: 'POST', path: '/v1/runs', key: 'b',
    headers: { 'idempotency-key': fixture.idempotencyKey }, body: { message: 'try to get the other run back', model: 'local/keel-probe-b' }, expect: 'any',
  },
  { label: "start a run from A's agent", method: 'POST', path: '/v1/runs', key: 'b', body: { agent: fixture.agentA, message: 'use their agent' }, expect: 'not-found' },
  { label: "start a run from A's agent's first version", method: 'POST', path: '/v1/runs', key: 'b', body: { agent: `${fixture.agentA}@1`, message: 'use their agent' }, expect: 'not-found' }],
  'GET /v1/agents': () => [{ label: "B's agents", method: 'GET', path: '/v1/agents', key: 'b', expect: 'ok' }],
  'POST /v1/agents': (fixture) => [{ label: "B's own agent under A's agent's name", method: 'POST', path: '/v1/agents', key: 'b', body: { name: `${fixture.agentA}-b`, instructions: 'B\'s own' }, expect: 'any' }],
  'GET /v1/agents/{name}': (fixture) => [
    { label: "read A's agent", method: 'GET', path: `/v1/agents/${fixture.agentA}`, key: 'b', expect: 'not-found' },
    { label: "read A's agent's first version", method: 'GET', path: `/v1/agents/${fixture.agentA}?version=1`, key: 'b', expect: 'not-found' },
  ],
  'PUT /v1/agents/{name}': (fixture) => [{ label: "add a version to A's agent", method: 'PUT', path: `/v1/agents/${fixture.agentA}`, key: 'bAdmin', body: { instructions: 'taken over' }, expect: 'not-found' }],
  'DELETE /v1/agents/{name}': (fixture) => [{ label: "delete A's agent", method: 'DELETE', path: `/v1/agents/${fixture.agentA}`, key: 'bAdmin', expect: 'not-found' }],
  'GET /v1/experiments': (fixture) => [
    { label: "B's experiments", method: 'GET', path: '/v1/experiments', key: 'b', expect: 'ok' },
    { label: "B's experiments on A's agent's name", method: 'GET', path: `/v1/experiments?agent=${fixture.agentA}&limit=200`, key: 'b', expect: 'ok' },
  ],
  'POST /v1/experiments': (fixture) => [{ label: "an experiment on A's agent", method: 'POST', path: '/v1/experiments', key: 'bAdmin', body: { name: 'probe', agent: fixture.agentA, arms: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }] }, expect: 'not-found' }],
  'GET /v1/experiments/{id}': (fixture) => [{ label: "read A's experiment", method: 'GET', path: `/v1/experiments/${fixture.experimentA}`, key: 'b', expect: 'not-found' }],
  'GET /v1/experiments/{id}/report': (fixture) => [{ label: "read A's experiment's report", method: 'GET', path: `/v1/experiments/${fixture.experimentA}/report`, key: 'b', expect: 'not-found' }],
  'POST /v1/experiments/{id}/stop': (fixture) => [{ label: "stop A's experiment", method: 'POST', path: `/v1/experiments/${fixture.experimentA}/stop`, key: 'bAdmin', body: { winner: 'control' }, expect: 'not-found' }],
  'GET /v1/skills': () => [{ label: "B's skills", method: 'GET', path: '/v1/skills', key: 'b', expect: 'ok' }],
  'GET /v1/skills/{name}': (fixture) => [{ label: "read A's skill", method: 'GET', path: `/v1/skills/${fixture.skillA}`, key: 'b', expect: 'not-found' }],
  'PUT /v1/skills/{name}': (fixture) => [{ label: "B's own skill beside A's", method: 'PUT', path: `/v1/skills/${fixture.skillA}-b`, key: 'b', body: { description: "B's own", body: 'B' }, expect: 'any' }],
  'DELETE /v1/skills/{name}': (fixture) => [{ label: "delete A's skill", method: 'DELETE', path: `/v1/skills/${fixture.skillA}`, key: 'b', expect: 'not-found' }],
  'GET /v1/runs/{id}': (fixture) => [fixture.runDone, fixture.runWaiting].map((id) => ({ label: "read A's run", method: 'GET', path: `/v1/runs/${id}`, key: 'b', expect: 'not-found' })),
  'GET /v1/runs/{id}/messages': (fixture) => [
    { label: "read A's transcript", method: 'GET', path: `/v1/runs/${fixture.runDone}/messages`, key: 'b', expect: 'not-found' },
    { label: "page A's transcript", method: 'GET', path: `/v1/runs/${fixture.runDone}/messages?after=1&limit=1000`, key: 'b', expect: 'not-found' },
  ],
  'POST /v1/runs/{id}/messages': (fixture) => [{ label: "message A's run", method: 'POST', path: `/v1/runs/${fixture.runWaiting}/messages`, key: 'b', body: { text: 'let me in' }, expect: 'not-found' }],
  'GET /v1/runs/{id}/scores': (fixture) => [{ label: "read A's run's scores", method: 'GET', path: `/v1/runs/${fixture.runDone}/scores`, key: 'b', expect: 'not-found' }],
  'POST /v1/runs/{id}/scores': (fixture) => [
    { label: "score A's run", method: 'POST', path: `/v1/runs/${fixture.runDone}/scores`, key: 'bAdmin', body: { scorers: [{ kind: 'answer_regex', pattern: '.' }] }, expect: 'not-found' },
    { label: "score A's run with its agent's scorers", method: 'POST', path: `/v1/runs/${fixture.runDone}/scores`, key: 'bAdmin', body: {}, expect: 'not-found' },
  ],
  'GET /v1/agents/{name}/scores': (fixture) => [
    { label: "A's agent's scores", method: 'GET', path: `/v1/agents/${fixture.agentA}/scores`, key: 'b', expect: 'not-found' },
    { label: "A's agent's first version's scores", method: 'GET', path: `/v1/agents/${fixture.agentA}/scores?version=1`, key: 'b', expect: 'not-found' },
  ],
  'POST /v1/runs/{id}/fork': (fixture) => [
    { label: "fork A's finished run", method: 'POST', path: `/v1/runs/${fixture.runDone}/fork`, key: 'b', body: { fromStep: 1, message: 'continue with their files' }, expect: 'not-found' },
    { label: "fork A's finished run as B's admin", method: 'POST', path: `/v1/runs/${fixture.runDone}/fork`, key: 'bAdmin', body: { fromStep: 1, message: 'continue with their files' }, expect: 'not-found' },
    { label: "fork A's waiting run", method: 'POST', path: `/v1/runs/${fixture.runWaiting}/fork`, key: 'b', body: { fromStep: 1 }, expect: 'not-found' },
  ],
  'GET /v1/runs/{id}/history': (fixture) => [{ label: "A's run's workflow history", method: 'GET', path: `/v1/runs/${fixture.runDone}/history`, key: 'b', expect: 'not-found' }],
  'POST /v1/runs/{id}/cancel': (fixture) => [{ label: "cancel A's run", method: 'POST', path: `/v1/runs/${fixture.runWaiting}/cancel`, key: 'b', body: { reason: 'probe' }, expect: 'not-found' }],
  'GET /v1/runs/{id}/events/list': (fixture): Probe[] => [
    { label: "list A's events", method: 'GET', path: `/v1/runs/${fixture.runDone}/events/list`, key: 'b', expect: 'not-found' },
    { label: "page A's events", method: 'GET', path: `/v1/runs/${fixture.runDone}/events/list?after=1&limit=5`, key: 'b', expect: 'not-found' },
  ],
  'GET /v1/runs/{id}/events': (fixture): Probe[] => [
    { label: "stream A's events", method: 'GET', path: `/v1/runs/${fixture.runDone}/events`, key: 'b', headers: { accept: 'text/event-stream' }, expect: 'not-found' },
    { label: "resume A's events", method: 'GET', path: `/v1/runs/${fixture.runDone}/events?after=0`, key: 'b', headers: { accept: 'text/event-stream', 'last-event-id': '1' }, expect: 'not-found' },
  ],
  'GET /v1/reviews': (fixture) => [
    { label: "B's pending reviews", method: 'GET', path: '/v1/reviews', key: 'b', expect: 'ok' },
    { label: "B's reviews of A's run", method: 'GET', path: `/v1/reviews?runId=${fixture.runWaiting}&limit=200`, key: 'b', expect: 'ok' },
    ...REVIEW_STATUSES.map((status) => ({ label: `B's ${status} reviews`, method: 'GET', path: `/v1/reviews?status=${status}`, key: 'b' as const, expect: 'ok' as const })),
  ],
  'GET /v1/reviews/{reviewId}': (fixture) => [{ label: "read A's review", method: 'GET', path: `/v1/reviews/${fixture.reviewId}`, key: 'b', expect: 'not-found' }],
  'POST /v1/runs/{id}/reviews/{reviewId}': (fixture) => [
    { label: "decide A's review on A's run", method: 'POST', path: `/v1/runs/${fixture.runWaiting}/reviews/${fixture.reviewId}`, key: 'bAdmin', body: { action: 'approve' }, expect: 'not-found' },
    { label: "decide A's review through B's own run", method: 'POST', path: `/v1/runs/${fixture.runB}/reviews/${fixture.reviewId}`, key: 'bAdmin', body: { action: 'reject', reason: 'probe' }, expect: 'not-found' },
  ],
  'GET /v1/policy': () => [{ label: "B's policy", method: 'GET', path: '/v1/policy', key: 'b', expect: 'ok' }],
  'PUT /v1/policy': () => [{ label: "B's admin replaces B's policy (A's stays)", method: 'PUT', path: '/v1/policy', key: 'bAdmin', body: { review: { timeoutSeconds: 999 } }, expect: 'ok' }],
  'GET /v1/notes': () => [
    { label: "B's newest notes", method: 'GET', path: '/v1/notes?limit=100&history=true', key: 'b', expect: 'ok' },
    { label: "B searches for A's note", method: 'GET', path: `/v1/notes?query=${encodeURIComponent(SECRET)}&history=true`, key: 'b', expect: 'ok' },
    { label: "B lists A's user's notes", method: 'GET', path: '/v1/notes?userId=user-a', key: 'b', expect: 'ok' },
  ],
  'GET /v1/notes/{id}': (fixture) => [{ label: "read A's note", method: 'GET', path: `/v1/notes/${fixture.noteId}`, key: 'b', expect: 'not-found' }],
  'POST /v1/notes': (fixture) => [{ label: "supersede A's note", method: 'POST', path: '/v1/notes', key: 'b', body: { content: 'overwrite it', supersedes: fixture.noteId }, expect: 'not-found' }],
  'DELETE /v1/notes/{id}': (fixture) => [{ label: "delete A's note", method: 'DELETE', path: `/v1/notes/${fixture.noteId}`, key: 'b', expect: 'not-found' }],
  // Tenant routes are the platform operator's: B's admin is refused (403) whatever the id, so nothing is confirmed.
  'POST /v1/tenants': (fixture) => [{ label: "B's admin creates a tenant under A's id", method: 'POST', path: '/v1/tenants', key: 'bAdmin', body: { id: fixture.tenantA, name: 'taken' }, expect: 'any' }],
  'GET /v1/tenants': () => [{ label: "B's admin lists tenants", method: 'GET', path: '/v1/tenants', key: 'bAdmin', expect: 'any' }],
  'GET /v1/tenants/{tenantId}': (fixture) => [{ label: "B's admin reads A's tenant", method: 'GET', path: `/v1/tenants/${fixture.tenantA}`, key: 'bAdmin', expect: 'any' }],
  'POST /v1/tenants/{tenantId}/suspend': (fixture) => [{ label: "B's admin suspends A", method: 'POST', path: `/v1/tenants/${fixture.tenantA}/suspend`, key: 'bAdmin', body: {}, expect: 'any' }],
  'POST /v1/tenants/{tenantId}/resume': (fixture) => [{ label: "B's admin resumes A", method: 'POST', path: `/v1/tenants/${fixture.tenantA}/resume`, key: 'bAdmin', body: {}, expect: 'any' }],
  'GET /v1/tenants/{tenantId}/users': (fixture) => [
    { label: "list A's users", method: 'GET', path: `/v1/tenants/${fixture.tenantA}/users`, key: 'bAdmin', expect: 'not-found' },
    { label: "B's own users", method: 'GET', path: `/v1/tenants/${fixture.tenantB}/users`, key: 'bAdmin', expect: 'ok' },
  ],
  'POST /v1/tenants/{tenantId}/users': (fixture) => [{ label: "add a user to A", method: 'POST', path: `/v1/tenants/${fixture.tenantA}/users`, key: 'bAdmin', body: { id: 'mole', name: 'mole', role: 'member' }, expect: 'not-found' }],
  'GET /v1/tenants/{tenantId}/users/{userId}': (fixture) => [{ label: "read A's user", method: 'GET', path: `/v1/tenants/${fixture.tenantA}/users/user-a`, key: 'bAdmin', expect: 'not-found' }],
  'PATCH /v1/tenants/{tenantId}/users/{userId}': (fixture) => [{ label: "disable A's user", method: 'PATCH', path: `/v1/tenants/${fixture.tenantA}/users/user-a`, key: 'bAdmin', body: { disabled: true }, expect: 'not-found' }],
  'GET /v1/tenants/{tenantId}/keys': (fixture) => [
    { label: "list A's keys", method: 'GET', path: `/v1/tenants/${fixture.tenantA}/keys?revoked=true`, key: 'bAdmin', expect: 'not-found' },
    { label: "B's own keys by A's key prefix", method: 'GET', path: `/v1/tenants/${fixture.tenantB}/keys?prefix=keel_`, key: 'bAdmin', expect: 'ok' },
  ],
  'POST /v1/tenants/{tenantId}/keys': (fixture) => [{ label: "mint a key for A's user", method: 'POST', path: `/v1/tenants/${fixture.tenantA}/keys`, key: 'bAdmin', body: { userId: 'user-a', name: 'mine' }, expect: 'not-found' }],
  'POST /v1/tenants/{tenantId}/keys/{keyId}/rotate': (fixture) => [
    { label: "rotate A's key", method: 'POST', path: `/v1/tenants/${fixture.tenantA}/keys/${fixture.keyA}/rotate`, key: 'bAdmin', body: {}, expect: 'not-found' },
    { label: "rotate A's key through B's tenant", method: 'POST', path: `/v1/tenants/${fixture.tenantB}/keys/${fixture.keyA}/rotate`, key: 'bAdmin', body: {}, expect: 'not-found' },
  ],
  'DELETE /v1/tenants/{tenantId}/keys/{keyId}': (fixture) => [
    { label: "revoke A's key", method: 'DELETE', path: `/v1/tenants/${fixture.tenantA}/keys/${fixture.keyA}`, key: 'bAdmin', expect: 'not-found' },
    { label: "revoke A's key through B's tenant", method: 'DELETE', path: `/v1/tenants/${fixture.tenantB}/keys/${fixture.keyA}`, key: 'bAdmin', expect: 'not-found' },
  ],
  'PUT /v1/tenants/{tenantId}/quotas': (fixture) => [{ label: "B's admin lifts A's quotas", method: 'PUT', path: `/v1/tenants/${fixture.tenantA}/quotas`, key: 'bAdmin', body: {}, expect: 'any' }],
  'PUT /v1/tenants/{tenantId}/users/{userId}/quotas': (fixture) => [{ label: "set A's user's quotas", method: 'PUT', path: `/v1/tenants/${fixture.tenantA}/users/user-a/quotas`, key: 'bAdmin', body: { runsPerDay: 0 }, expect: 'not-found' }],
  // Worker Deployments are the platform's (workers serve every tenant): B's admin is refused (403) whatever the name.
  'GET /v1/deployments': () => [{ label: "B's admin lists the worker deployments", method: 'GET', path: '/v1/deployments', key: 'bAdmin', expect: 'any' }],
  'GET /v1/deployments/{name}': () => [{ label: "B's admin reads the worker deployment", method: 'GET', path: '/v1/deployments/keel', key: 'bAdmin', expect: 'any' }],
  'POST /v1/deployments/{name}/ramp': () => [{ label: "B's admin ramps a build", method: 'POST', path: '/v1/deployments/keel/ramp', key: 'bAdmin', body: { buildId: 'b', percentage: 100 }, expect: 'any' }],
  'POST /v1/deployments/{name}/promote': () => [{ label: "B's admin promotes a build", method: 'POST', path: '/v1/deployments/keel/promote', key: 'bAdmin', body: {}, expect: 'any' }],
  'POST /v1/deployments/{name}/rollback': () => [{ label: "B's admin rolls back", method: 'POST', path: '/v1/deployments/keel/rollback', key: 'bAdmin', body: {}, expect: 'any' }],
  'GET /v1/audit': (fixture) => [
    { label: "B's own audit log", method: 'GET', path: '/v1/audit?limit=200', key: 'bAdmin', expect: 'ok' },
    { label: "B's audit log about A's review", method: 'GET', path: `/v1/audit?targetId=${fixture.reviewId}`, key: 'bAdmin', expect: 'ok' },
    { label: "A's audit log", method: 'GET', path: `/v1/audit?tenantId=${fixture.tenantA}`, key: 'bAdmin', expect: 'not-found' },
  ],
};

/** A's ids paired with ids nobody has: A's ids must get exactly the answer unknown ids get. */
function unknownIdsFor(fixture: Fixture): Array<[string, string]> {
  return [
    [fixture.runDone, fakeRun()], [fixture.runWaiting, fakeRun()], [fixture.reviewId, fakeReview()], [fixture.noteId, fakeNote()], [fixture.agentA, fakeAgent()],
    [fixture.skillA, fakeSkill()], [fixture.tenantA, fakeTenant()], [fixture.keyA, fakeKey()], [fixture.experimentA, fakeExperiment()],
  ];
}

function substitute(text: string, pairs: Array<[string, string]>): string {
  return pairs.reduce((result, [from, to]) => result.replaceAll(from, to), text);
}

describe('cross-tenant probes', () => {
  let harness: Harness;
  let fixture: Fixture;
  let keys: { b: string; bAdmin: string; aAdmin: string };
  let keyA = '';
  let documentRoutes: string[] = [];
  const leaks: string[] = [];
  let probes = 0;

  async function send(probe: Pick<Probe, 'method' | 'path' | 'body' | 'headers'>, key: string): Promise<ProbeResponse> {
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...probe.headers };
    if (probe.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${harness.apiUrl}${probe.path}`, {
      method: probe.method, headers, body: probe.body === undefined ? undefined : JSON.stringify(probe.body), signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json };
  }

  /** Everything of A's that must never appear in an answer to B. */
  const secretsOfA = () => [SECRET, fixture.runDone, fixture.runWaiting, fixture.reviewId, fixture.noteId, fixture.agentA, fixture.modelA, harness.tenantIds.a, 'user-a', fixture.keyA, fixture.experimentA];

  async function runProbe(probe: Probe): Promise<string[]> {
    probes += 1;
    const found: string[] = [];
    const response = await send(probe, keys[probe.key]);
    const where = `${probe.method} ${probe.path} (${probe.label})`;
    // An id B sent may be echoed in the error ("run … not found"); anything else of A's is a leak.
    const sent = `${probe.path} ${JSON.stringify(probe.body ?? null)} ${JSON.stringify(probe.headers ?? {})}`;
    for (const secret of secretsOfA().filter((candidate) => !sent.includes(candidate))) {
      if (response.text.includes(secret)) found.push(`${where}: the answer contains A's ${secret}`);
    }
    if (response.status >= 500) found.push(`${where}: ${response.status}`);
    if (probe.expect === 'ok' && response.status !== 200) found.push(`${where}: expected 200 for B's own view, got ${response.status} ${response.text.slice(0, 200)}`);
    if (probe.expect === 'not-found') {
      if (response.status !== 404 || response.json?.error?.code !== 'not_found') found.push(`${where}: expected 404 not_found, got ${response.status} ${response.text.slice(0, 200)}`);
      const pairs = unknownIdsFor(fixture);
      const body = probe.body === undefined ? undefined : JSON.parse(substitute(JSON.stringify(probe.body), pairs)) as unknown;
      const unknown = await send({ ...probe, path: substitute(probe.path, pairs), body }, keys[probe.key]);
      if (unknown.status !== response.status || unknown.text !== substitute(response.text, pairs)) {
        found.push(`${where}: A's id answers ${response.status} ${response.text.slice(0, 200)} but an unknown id ${unknown.status} ${unknown.text.slice(0, 200)}: the id is confirmed`);
      }
    }
    leaks.push(...found);
    return found;
  }

  beforeAll(async () => {
    // Operator tokens set, as in a deployment tenants can reach: their keys must not open these routes.
    harness = await startHarness({ environment: { KEEL_METRICS_TOKEN: `metrics-${ulid()}`, KEEL_ALERT_WEBHOOK_TOKEN: `alerts-${ulid()}` } });
    const tenants = new TenantsRepository(harness.services.database.db);
    const aAdmin = await tenants.createApiKey({ tenantId: harness.tenantIds.a, userId: 'user-a', name: 'probe', role: 'admin' });
    keyA = aAdmin.id;
    keys = {
      b: harness.keys.b,
      bAdmin: (await tenants.createApiKey({ tenantId: harness.tenantIds.b, userId: 'user-b-admin', name: 'probe', role: 'admin' })).key,
      aAdmin: aAdmin.key,
    };
    const policyBBaseline = (await api(harness.apiUrl, 'GET', '/v1/policy', { key: keys.b })).body.policy;
    const putA = await api(harness.apiUrl, 'PUT', '/v1/policy', { key: keys.aAdmin, body: { review: { timeoutSeconds: 4321 } } });
    expect(putA.status).toBe(200);

    const modelA = `probe-a-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name: modelA,
      models: `${modelA}*`,
      rules: [
        { promptIncludes: 'wait for review', reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'pending.txt', content: SECRET } }] } },
        { turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'secret.txt', content: `${SECRET}\n` } }] } },
        { turn: 1, reply: { toolCalls: [{ name: 'read_file', arguments: { path: 'secret.txt' } }] } },
        { reply: { text: `Done: ${SECRET}` } },
      ],
    } as never);
    const idempotencyKey = `probe-${ulid()}`;
    const done = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a, headers: { 'idempotency-key': idempotencyKey }, body: { message: `Write the secret ${SECRET}`, model: `local/${modelA}` },
    });
    expect(done.status).toBe(202);
    const waiting = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a, body: { message: `Write it and wait for review ${SECRET}`, model: `local/${modelA}`, policy: REVIEW_EVERYTHING },
    });
    expect(waiting.status).toBe(202);
    const note = await api(harness.apiUrl, 'POST', '/v1/notes', { key: harness.keys.a, body: { content: `Tenant A's note ${SECRET}`, category: 'project_info' } });
    expect(note.status).toBe(201);
    const agentA = `agent-${ulid().toLowerCase()}`;
    const agent = await api(harness.apiUrl, 'POST', '/v1/agents', { key: harness.keys.a, body: { name: agentA, instructions: `Tenant A's agent ${SECRET}`, model: `local/${modelA}` } });
    expect(agent.status).toBe(201);
    const experiment = await api(harness.apiUrl, 'POST', '/v1/experiments', {
      key: keys.aAdmin, body: { name: `A's experiment ${SECRET}`, agent: agentA, arms: [{ name: 'control', weight: 1 }, { name: 'terse', weight: 1, overrides: { instructions: `Be terse ${SECRET}` } }] },
    });
    expect(experiment.status).toBe(201);
    const skillA = `skill-${ulid().toLowerCase()}`;
    const skill = await api(harness.apiUrl, 'PUT', `/v1/skills/${skillA}`, { key: harness.keys.a, body: { description: `Tenant A's skill ${SECRET}`, body: `A's skill body ${SECRET}` } });
    expect(skill.status).toBe(201);

    harness.modelServer.addScenario({ name: 'keel-probe-b', models: 'keel-probe-b', rules: [{ reply: { text: 'B is on its own.' } }] } as never);
    // B's own run probes A's tool outputs and workspace from inside the agent loop (bash is confined
    // by the sandbox, whose own tests cover it; unsandboxed bash is an explicit unsafe opt-in).
    const modelB = `probe-b-${ulid().toLowerCase()}`;
    const workspaceA = `${harness.config.workspaceRoot}/${harness.tenantIds.a}/${done.body.id}`;
    harness.modelServer.addScenario({
      name: modelB,
      models: `${modelB}*`,
      rules: [
        {
          turn: 0,
          reply: {
            toolCalls: [
              { name: 'read_tool_output', arguments: { reference: FIRST_CALL_REFERENCE } },
              { name: 'read_file', arguments: { path: `../${done.body.id}/secret.txt` } },
              { name: 'read_file', arguments: { path: `../../${harness.tenantIds.a}/${done.body.id}/secret.txt` } },
              { name: 'read_file', arguments: { path: `${workspaceA}/secret.txt` } },
              { name: 'read_file', arguments: { path: `..%2F..%2F${harness.tenantIds.a}%2F${done.body.id}%2Fsecret.txt` } },
            ],
          },
        },
        { reply: { text: 'Probed.' } },
      ],
    } as never);
    const runB = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.b, body: { message: 'Probe the other tenant', model: `local/${modelB}`, tools: ['read_file', 'read_tool_output'], policy: LET_TOOLS_TRY }  });
    expect(runB.status).toBe(202);

    await waitForRun(harness.apiUrl, harness.keys.a, done.body.id);
    const review = await waitForReview(harness.apiUrl, harness.keys.a, waiting.body.id);
    await waitForRun(harness.apiUrl, harness.keys.b, runB.body.id);
    fixture = {
      runDone: done.body.id, runWaiting: waiting.body.id, runB: runB.body.id, reviewId: review.id, noteId: note.body.note.id, agentA, skillA, modelA, experimentA: experiment.body.id,
      idempotencyKey, policyA: (await api(harness.apiUrl, 'GET', '/v1/policy', { key: harness.keys.a })).body.policy, policyBBaseline,
      tenantA: harness.tenantIds.a, tenantB: harness.tenantIds.b, keyA,
    };
    const documentResponse = await api(harness.apiUrl, 'GET', '/docs/json');
    documentRoutes = Object.entries(documentResponse.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
  }, 120_000);

  afterAll(async () => {
    if (documentRoutes.length > 0) {
      recordReliability('cross-tenant', 'full', { crossTenantLeaks: leaks.length }, {
        routes: documentRoutes.length, probes, leaks: leaks.length,
      });
    }
    await harness?.close();
  });

  it('has a probe rule for every route in the OpenAPI document, and no rule for a route that is gone', () => {
    expect(documentRoutes.length).toBeGreaterThan(10);
    expect(documentRoutes.filter((route) => !(route in PROBE_RULES))).toEqual([]);
    expect(Object.keys(PROBE_RULES).filter((route) => !documentRoutes.includes(route))).toEqual([]);
  });

  it.each(Object.keys(PROBE_RULES))('leaks nothing of tenant A on %s', async (route) => {
    const found: string[] = [];
    for (const probe of PROBE_RULES[route]!(fixture)) found.push(...await runProbe(probe));
    expect(found).toEqual([]);
  });

  it("B's own views hold only B's data: policy, usage and the run its idempotency key started", async () => {
    const policy = await api(harness.apiUrl, 'GET', '/v1/policy', { key: keys.b });
    expect(policy.body.tenantId).toBe(harness.tenantIds.b);
    expect(JSON.stringify(fixture.policyBBaseline)).not.toContain('4321');
    const usage = await api(harness.apiUrl, 'GET', '/v1/usage', { key: keys.b });
    expect(usage.body.tenantId).toBe(harness.tenantIds.b);
    expect(usage.body.byModel.map((entry: { model: string }) => entry.model)).not.toContain(`local/${fixture.modelA}`);
    const byModel = await api(harness.apiUrl, 'GET', '/v1/usage?groupBy=model', { key: keys.b });
    expect(byModel.body.groups.map((entry: { key: string }) => entry.key)).not.toContain(`local/${fixture.modelA}`);
    const runs = await api(harness.apiUrl, 'GET', '/v1/runs?limit=200', { key: keys.b });
    expect(runs.body.runs.map((run: { id: string }) => run.id)).not.toEqual(expect.arrayContaining([fixture.runDone]));
  });

  it("B's agent cannot read A's tool outputs or workspace files", async () => {
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${fixture.runB}/messages?limit=1000`, { key: keys.b });
    expect(transcript.status).toBe(200);
    const results = (transcript.body.messages as Array<{ message: { type: string; toolName?: string; output?: string } }>)
      .map((entry) => entry.message).filter((message) => message.type === 'tool-result');
    expect(results.map((message) => message.toolName)).toEqual(['read_tool_output', 'read_file', 'read_file', 'read_file', 'read_file']);
    probes += results.length;
    for (const message of results) {
      if (message.output?.includes(SECRET)) leaks.push(`B's ${message.toolName} returned A's secret: ${message.output.slice(0, 200)}`);
    }
    expect(results.filter((message) => message.output?.includes(SECRET))).toEqual([]);
  });

  it("leaves A's run, review, note, transcript and policy as they were", async () => {
    const run = await api(harness.apiUrl, 'GET', `/v1/runs/${fixture.runWaiting}`, { key: harness.keys.a });
    expect(run.body.status).toBe('awaiting_review');
    const review = await api(harness.apiUrl, 'GET', `/v1/reviews/${fixture.reviewId}`, { key: harness.keys.a });
    expect(review.body).toMatchObject({ status: 'pending', audit: [] });
    const note = await api(harness.apiUrl, 'GET', `/v1/notes/${fixture.noteId}`, { key: harness.keys.a });
    expect(note.body).toMatchObject({ id: fixture.noteId, supersededBy: null });
    const agent = await api(harness.apiUrl, 'GET', `/v1/agents/${fixture.agentA}`, { key: harness.keys.a });
    expect(agent.body).toMatchObject({ name: fixture.agentA, version: 1 });
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${fixture.runWaiting}/messages`, { key: harness.keys.a });
    expect(JSON.stringify(transcript.body)).not.toContain('let me in');
    const policy = await api(harness.apiUrl, 'GET', '/v1/policy', { key: harness.keys.a });
    expect(policy.body.policy).toEqual(fixture.policyA);
    expect(policy.body.policy.review.timeoutSeconds).toBe(4321);
    // A is neither suspended nor lost its keys: B's admin could not rotate or revoke them.
    expect((await api(harness.apiUrl, 'GET', '/v1/policy', { key: keys.aAdmin })).status).toBe(200);
    await api(harness.apiUrl, 'POST', `/v1/runs/${fixture.runWaiting}/cancel`, { key: harness.keys.a, body: {} });
  });
});
