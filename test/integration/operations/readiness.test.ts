// /healthz and /readyz on a real API: ready with PostgreSQL, Temporal, Redis and a worker up; 503
// naming postgres when a second API instance points at a port where no database listens.
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createApiServer } from '../../../api/create-server';
import { TOOL_NAMES } from '../../../core/tool-names';
import { createLogger } from '../../../runtime/logger';
import { openDatabase, type DatabaseHandle } from '../../../stores/database';
import { api } from '../../support/api-client';
import { startHarness, type Harness } from '../../support/keel-harness';
import { describeWith, TEST_REDIS_URL } from '../../support/prerequisites';

/** A port that was free a moment ago: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describeWith('redis')('health and readiness', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ redisUrl: TEST_REDIS_URL });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('answers /healthz with 200 ok', async () => {
    const response = await api(harness.apiUrl, 'GET', '/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('is ready with every dependency up, each with its latency', async () => {
    // The worker's first poll can trail its start by a moment.
    let response = await api(harness.apiUrl, 'GET', '/readyz');
    for (let attempt = 0; response.status !== 200 && attempt < 50; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      response = await api(harness.apiUrl, 'GET', '/readyz');
    }
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ready');
    for (const name of ['postgres', 'temporal', 'redis', 'workers']) {
      expect(response.body.dependencies[name]).toEqual({ status: 'up', latencyMs: expect.any(Number) });
    }
  });

  describe('with the database out of reach', () => {
    let database: DatabaseHandle;
    let app: FastifyInstance;
    let url: string;

    beforeAll(async () => {
      database = await openDatabase({ databaseUrl: `postgres://postgres@127.0.0.1:${await closedPort()}/test` });
      app = await createApiServer({
        db: database.db, bus: harness.services.bus, client: harness.api.client, catalog: harness.services.catalog,
        config: harness.config, toolNames: Object.values(TOOL_NAMES), logger: createLogger('silent'),
        circuits: harness.services.circuits, memory: harness.services.memory,
      });
      url = await app.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => {
      await app?.close();
      await database?.close();
    });

    it('answers /readyz with 503 naming postgres while the others stay up', async () => {
      const response = await api(url, 'GET', '/readyz');
      expect(response.status).toBe(503);
      expect(response.body.status).toBe('not_ready');
      expect(response.body.dependencies.postgres).toMatchObject({ status: 'down', error: expect.stringMatching(/ECONNREFUSED|connect/) });
      expect(response.body.dependencies.temporal.status).toBe('up');
    });

    it('still answers /healthz with 200: liveness does not depend on the database', async () => {
      expect((await api(url, 'GET', '/healthz')).status).toBe(200);
    });

    it('answers the alert webhook with 404 naming the setting when the relay has no token', async () => {
      const response = await api(url, 'POST', '/v1/alerts/webhook', { body: {}, headers: { authorization: 'Bearer anything-at-all-here' } });
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({ code: 'alert_relay_disabled', message: expect.stringContaining('KEEL_ALERT_WEBHOOK_TOKEN') });
    });
  });
});
