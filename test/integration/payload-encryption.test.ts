// Encrypted history end to end: with KEEL_PAYLOAD_KEYS the API and the worker encrypt every payload,
// so the Temporal server holds no clear text of a phrase from the prompt or the tool output, while
// the codec endpoint (a tenant admin's key, or the Web UI's token path) decodes it and the Temporal
// Web UI, given that endpoint, shows it decoded in headless Chromium.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { chromium, type Browser } from 'playwright-core';
import { ulid } from 'ulid';
import { findTemporalCli } from '../../scripts/temporal-cli';
import { startDevServer, type DevServer } from '../../scripts/dev-server';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { freePort } from '../support/prometheus-server';
import { CHROMIUM_PATH, describeWith } from '../support/prerequisites';
import { TenantsRepository } from '../../stores/tenants-repository';

const PHRASE = `heliotrope-${ulid().toLowerCase()}`;
const UI_TOKEN = randomBytes(24).toString('hex');

type RawPayload = { metadata?: Record<string, Uint8Array | null | undefined> | null; data?: Uint8Array | null };

/** Every payload in a history, found by shape (an object with `data` bytes), with where it sits. */
function payloadsIn(value: unknown, at = '', found: Array<RawPayload & { at: string }> = []): Array<RawPayload & { at: string }> {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const candidate = value as RawPayload;
  if (candidate.data instanceof Uint8Array && candidate.metadata) found.push({ ...candidate, at });
  for (const [key, child] of Object.entries(value)) payloadsIn(child, `${at}.${key}`, found);
  return found;
}

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('latin1');
const base64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('base64');

describe('encrypted history (KEEL_PAYLOAD_KEYS)', () => {
  let dev: DevServer;
  let harness: Harness;
  let rawClient: Client;
  let connection: Connection;
  let adminKey: string;
  let runId: string;

  beforeAll(async () => {
    const cli = findTemporalCli();
    if (!cli) throw new Error('no Temporal CLI: run npm run temporal:install');
    const apiPort = await freePort();
    dev = await startDevServer({
      cli, home: mkdtempSync(path.join(os.tmpdir(), 'keel-codec-')), port: await freePort(), uiPort: await freePort(),
      uiCodecEndpoint: `http://127.0.0.1:${apiPort}/codec/ui/${UI_TOKEN}`,
    });
    harness = await startHarness({
      temporalAddress: dev.address,
      apiPort,
      environment: {
        KEEL_PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        KEEL_CODEC_UI_TOKEN: UI_TOKEN,
        KEEL_CODEC_CORS_ORIGINS: dev.uiUrl,
      },
    });
    adminKey = (await new TenantsRepository(harness.services.database.db).createApiKey({ tenantId: harness.tenantIds.a, userId: 'admin-a', name: 'codec admin', role: 'admin' })).key;
    connection = await Connection.connect({ address: dev.address });
    rawClient = new Client({ connection });

    const name = `codec-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'secret.txt', content: `the phrase is ${PHRASE}` } }] } },
        { reply: { text: `Wrote the phrase ${PHRASE}.` } },
      ],
    });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Remember ${PHRASE}`, model: `local/${name}`, tools: ['write_file'] } });
    expect(created.status).toBe(202);
    runId = created.body.id as string;
    const finished = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(finished.status).toBe('completed');
  }, 180_000);

  afterAll(async () => {
    await harness?.close();
    await connection?.close();
    await dev?.stop();
  });

  it('leaves no clear text of the prompt, tool output or answer in the server\'s history', async () => {
    const history = await rawClient.workflow.getHandle(runId).fetchHistory();
    const payloads = payloadsIn(history.events);
    const encrypted = payloads.filter((payload) => text(payload.metadata?.encoding) === 'binary/encrypted');
    expect(encrypted.length).toBeGreaterThan(2);
    // Clear by design: search attributes (the server indexes them: tenant and user ids), headers (the
    // request id and trace context) and the SDK's own marker bookkeeping (patch ids; a local
    // activity's seq, type and times; its result is encrypted).
    const bookkeeping = /searchAttributes|\.header\.fields\.|markerRecordedEventAttributes\.details\.(patch-data|data)\./;
    const clear = payloads.filter((payload) => !encrypted.includes(payload));
    expect(clear.filter((payload) => !bookkeeping.test(payload.at)).map((payload) => `${payload.at}: ${text(payload.data).slice(0, 80)}`)).toEqual([]);
    expect(payloads.filter((payload) => text(payload.data).includes(PHRASE))).toEqual([]);
  });

  it('decodes the run input at the codec endpoint for a tenant admin, and refuses others', async () => {
    const history = await rawClient.workflow.getHandle(runId).fetchHistory();
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const body = { payloads: [{ metadata: Object.fromEntries(Object.entries(input?.metadata ?? {}).map(([key, value]) => [key, base64(value)])), data: base64(input?.data) }] };

    const decoded = await api(harness.apiUrl, 'POST', '/codec/decode', { key: adminKey, body });
    expect(decoded.status).toBe(200);
    const plain = Buffer.from(decoded.body.payloads[0].data, 'base64').toString('utf8');
    expect(plain).toContain(PHRASE);
    expect(Buffer.from(decoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');

    expect((await api(harness.apiUrl, 'POST', '/codec/decode', { key: harness.keys.a, body })).status).toBe(403);
    expect((await api(harness.apiUrl, 'POST', '/codec/decode', { body })).status).toBe(401);
    expect((await api(harness.apiUrl, 'POST', `/codec/ui/${UI_TOKEN}/decode`, { body })).status).toBe(200);
    const wrongToken = await api(harness.apiUrl, 'POST', '/codec/ui/not-the-token/decode', { body });
    expect(wrongToken.status).toBe(404);
    expect(wrongToken.body.error.code).toBe('not_found');
  });

  it('answers the Web UI\'s CORS preflight for its origin only', async () => {
    const preflight = await fetch(`${harness.apiUrl}/codec/ui/${UI_TOKEN}/decode`, { method: 'OPTIONS', headers: { origin: dev.uiUrl, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(dev.uiUrl);
    const elsewhere = await fetch(`${harness.apiUrl}/codec/ui/${UI_TOKEN}/decode`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  describeWith('chromium')('in the Temporal Web UI', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'] });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('shows the run\'s input decoded through the codec endpoint', async () => {
      const page = await browser.newPage();
      const decodeCalls: number[] = [];
      page.on('response', (response) => {
        if (response.url().includes('/codec/ui/')) decodeCalls.push(response.status());
      });
      const history = await harness.api.client.workflow.getHandle(runId).describe();
      await page.goto(`${dev.uiUrl}/namespaces/default/workflows/${runId}/${history.runId}/history`);
      await page.getByText(PHRASE).first().waitFor({ timeout: 45_000 });
      expect(decodeCalls.length).toBeGreaterThan(0);
      expect(decodeCalls.every((status) => status === 200)).toBe(true);
    }, 90_000);
  });
});
