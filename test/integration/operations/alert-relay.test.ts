// The alert relay over real HTTP: Alertmanager's webhook in, signed DingTalk and Feishu messages
// out to local receivers that check the signatures as those platforms document them, a Slack
// receiver that fails twice before it takes the message (retries), and a webhook that always fails
// (dead letter in alert_dead_letters).
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { api } from '../../support/api-client';
import { startHarness, type Harness } from '../../support/keel-harness';
import { alertDeadLetters } from '../../../stores/schema';

type Received = { path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders; body: any };
type Receiver = { url: string; received: Received[]; close(): Promise<void> };

async function startReceiver(answer: (request: Received, count: number) => { status: number; body: unknown }): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => { text += chunk.toString(); });
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://receiver');
      const entry = { path: url.pathname, query: url.searchParams, headers: request.headers, body: JSON.parse(text) };
      received.push(entry);
      const { status, body } = answer(entry, received.length);
      response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const DINGTALK_SECRET = 'SEC0123456789abcdef-dingtalk';
const FEISHU_SECRET = 'feishu-robot-secret-42';
const TOKEN = 'alertmanager-token-0123456789';

/** DingTalk's check: sign = urlEncode(base64(HmacSHA256(key = secret, "timestamp\nsecret"))), the timestamp within an hour. */
function dingTalkAccepts(request: Received): boolean {
  const timestamp = request.query.get('timestamp') ?? '';
  const expected = createHmac('sha256', DINGTALK_SECRET).update(`${timestamp}\n${DINGTALK_SECRET}`).digest('base64');
  return request.query.get('sign') === expected && Math.abs(Date.now() - Number(timestamp)) < 3_600_000;
}

/** Feishu's check: sign = base64(HmacSHA256(key = "timestamp\nsecret", message = "")), timestamp in seconds. */
function feishuAccepts(request: Received): boolean {
  const { timestamp, sign } = request.body as { timestamp?: string; sign?: string };
  const expected = createHmac('sha256', `${timestamp}\n${FEISHU_SECRET}`).update('').digest('base64');
  return sign === expected && Math.abs(Date.now() / 1000 - Number(timestamp)) < 3600;
}

function notification(overrides: Record<string, unknown> = {}) {
  return {
    version: '4',
    groupKey: '{}:{alertname="KeelWorkerDown"}',
    status: 'firing',
    receiver: 'keel',
    groupLabels: { alertname: 'KeelWorkerDown' },
    commonLabels: { alertname: 'KeelWorkerDown', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: [{
      status: 'firing',
      labels: { alertname: 'KeelWorkerDown', severity: 'critical', instance: 'worker-1:9464' },
      annotations: { summary: 'A Keel worker is down', description: 'Prometheus cannot scrape worker-1:9464.' },
      startsAt: '2026-12-02T19:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: 'abc123',
    }],
    ...overrides,
  };
}

describe('the alert relay', () => {
  let harness: Harness;
  let dingtalk: Receiver;
  let feishu: Receiver;
  let slack: Receiver;
  let broken: Receiver;

  beforeAll(async () => {
    dingtalk = await startReceiver((request) => (dingTalkAccepts(request) ? { status: 200, body: { errcode: 0, errmsg: 'ok' } } : { status: 200, body: { errcode: 310000, errmsg: 'sign not match' } }));
    feishu = await startReceiver((request) => (feishuAccepts(request) ? { status: 200, body: { code: 0, msg: 'success' } } : { status: 200, body: { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' } }));
    slack = await startReceiver((_request, count) => (count <= 2 ? { status: 500, body: 'internal_error' } : { status: 200, body: 'ok' }));
    broken = await startReceiver(() => ({ status: 503, body: { error: 'down for maintenance' } }));
    const routes = [
      { type: 'dingtalk', name: 'ops-dingtalk', url: `${dingtalk.url}/robot/send?access_token=abc`, secret: DINGTALK_SECRET },
      { type: 'dingtalk', name: 'stale-secret', url: `${dingtalk.url}/robot/send?access_token=abc`, secret: 'SEC-not-the-robots-secret' },
      { type: 'feishu', name: 'ops-feishu', url: `${feishu.url}/open-apis/bot/v2/hook/xyz`, secret: FEISHU_SECRET },
      { type: 'slack', name: 'ops-slack', url: `${slack.url}/services/T/B/X` },
      { type: 'webhook', name: 'pager', url: `${broken.url}/hook` },
      { type: 'webhook', name: 'acme-only', url: `${broken.url}/acme`, match: { tenant: 'acme' } },
    ];
    harness = await startHarness({
      worker: false,
      environment: { KEEL_ALERT_ROUTES: JSON.stringify(routes), KEEL_ALERT_WEBHOOK_TOKEN: TOKEN, KEEL_ALERT_RETRY_DELAYS_MS: '10,20,40' },
    });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all([dingtalk, feishu, slack, broken].map((receiver) => receiver?.close()));
  });

  const post = (body: unknown, token: string | null = TOKEN) => api(harness.apiUrl, 'POST', '/v1/alerts/webhook', { body, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('refuses a request without the webhook token, or with another, with 401 before reading the body', async () => {
    for (const token of [null, 'not-the-token-at-all']) {
      const response = await post({ nonsense: true }, token);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
    }
    expect(dingtalk.received).toHaveLength(0);
  });

  it('answers a body that is not an Alertmanager notification with 400 naming the field', async () => {
    const response = await post({ status: 'firing' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('body.alerts');
  });

  it('delivers signed DingTalk and Feishu messages, retries Slack, dead-letters what keeps failing', async () => {
    const response = await post(notification());
    expect(response.status).toBe(200);
    const byRoute = Object.fromEntries((response.body.deliveries as Array<{ route: string }>).map((delivery) => [delivery.route, delivery]));
    expect(byRoute['ops-dingtalk']).toMatchObject({ outcome: 'delivered', attempts: 1, alerts: 1 });
    expect(byRoute['ops-feishu']).toMatchObject({ outcome: 'delivered', attempts: 1 });
    expect(byRoute['ops-slack']).toMatchObject({ outcome: 'delivered', attempts: 3 });
    expect(byRoute.pager).toMatchObject({ outcome: 'dead-lettered', attempts: 4, error: expect.stringContaining('HTTP 503') });
    expect(byRoute['stale-secret']).toMatchObject({ outcome: 'dead-lettered', error: expect.stringContaining('310000') });
    expect(byRoute['acme-only']).toMatchObject({ outcome: 'skipped', attempts: 0 });

    const signed = dingtalk.received.find(dingTalkAccepts);
    expect(signed?.body).toMatchObject({ msgtype: 'markdown', markdown: { title: '[FIRING:1] KeelWorkerDown', text: expect.stringContaining('A Keel worker is down') } });
    expect(signed?.query.get('access_token')).toBe('abc');
    const card = feishu.received[0]!;
    expect(feishuAccepts(card)).toBe(true);
    expect(card.body).toMatchObject({ msg_type: 'interactive', card: { header: { template: 'red', title: { content: '[FIRING:1] KeelWorkerDown' } } } });
    expect(card.body.card.elements[0].content).toContain('instance=worker-1:9464');
    expect(slack.received).toHaveLength(3);
    expect(slack.received[2]!.body.text).toContain('KeelWorkerDown');
    // Four attempts at the pager (one and three retries), none at the route whose match the alert lacks.
    expect(broken.received.filter((request) => request.path === '/hook')).toHaveLength(4);
    expect(broken.received.filter((request) => request.path === '/acme')).toHaveLength(0);

    const letters = await harness.services.database.db.select().from(alertDeadLetters).where(eq(alertDeadLetters.route, 'pager'));
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ routeType: 'webhook', status: 'firing', attempts: 4, groupKey: '{}:{alertname="KeelWorkerDown"}', lastError: expect.stringContaining('503') });
    expect((letters[0]!.payload as { alerts: unknown[] }).alerts).toHaveLength(1);
  });

  it('sends a route only the alerts its match selects, and a resolved notification in green', async () => {
    const resolved = notification({
      status: 'resolved',
      alerts: [{ status: 'resolved', labels: { alertname: 'KeelTenantBudgetBurn', tenant: 'acme' }, annotations: { summary: 'Tenant acme spends more than 10 USD an hour' } }],
    });
    const response = await post(resolved);
    const acme = (response.body.deliveries as Array<{ route: string; alerts: number }>).find((delivery) => delivery.route === 'acme-only');
    expect(acme).toMatchObject({ alerts: 1, outcome: 'dead-lettered' });
    expect(feishu.received.at(-1)?.body.card.header.template).toBe('green');
  });

  it('counts deliveries by route and outcome on /metrics', async () => {
    const metrics = await fetch(`${harness.apiUrl}/metrics`).then((answer) => answer.text());
    expect(metrics).toMatch(/keel_alert_deliveries_total\{[^}]*route="ops-dingtalk"[^}]*outcome="delivered"[^}]*\} 2/);
    expect(metrics).toMatch(/keel_alert_deliveries_total\{[^}]*route="pager"[^}]*outcome="dead-lettered"[^}]*\} 2/);
  });
});
