// When the API and a worker share a process (npm run dev), the API's client shares the worker's
// connection and runs start eagerly: the server hands the first workflow task back with the start
// response instead of dispatching it, and the history says it did.
import { ulid } from 'ulid';
import { startApi, type RunningApi } from '../../api/start-api';
import { createLogger } from '../../runtime/logger';
import { startWorker, type RunningWorker } from '../../worker/start-worker';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

describe('eager workflow start in one process', () => {
  let harness: Harness;
  let worker: RunningWorker;
  let sharedApi: RunningApi;
  beforeAll(async () => {
    harness = await startHarness({ worker: false });
    const logger = createLogger(harness.config.logLevel);
    const bundlePath = process.env.KEEL_TEST_WORKFLOW_BUNDLE;
    worker = await startWorker(harness.config, harness.services, { workflowBundle: bundlePath ? { codePath: bundlePath } : undefined, logger, healthSchedule: false });
    sharedApi = await startApi(harness.config, harness.services, logger, { workerConnection: worker.connection });
  });
  afterAll(async () => {
    await sharedApi?.stop();
    await worker?.stop();
    await harness?.close();
  });

  it('starts a run on the worker of its own process, which completes it', async () => {
    const name = `eager-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: [{ reply: { text: 'eager answer' } }] });
    const created = await api(sharedApi.url, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `hi (${name})`, model: `local/${name}` } });
    expect(created.status).toBe(202);
    const finished = await waitForRun(sharedApi.url, harness.keys.a, created.body.id);
    expect(finished).toMatchObject({ status: 'completed' });
    const history = await sharedApi.client.workflow.getHandle(created.body.id).fetchHistory();
    expect(history.events?.[0]?.workflowExecutionStartedEventAttributes?.eagerExecutionAccepted).toBe(true);
  });

  it('starts runs through a separate connection lazily, as before, when the API has its own', async () => {
    const name = `lazy-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: [{ reply: { text: 'lazy answer' } }] });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `hi (${name})`, model: `local/${name}` } });
    expect(created.status).toBe(202);
    await waitForRun(harness.apiUrl, harness.keys.a, created.body.id);
    const history = await harness.api.client.workflow.getHandle(created.body.id).fetchHistory();
    expect(history.events?.[0]?.workflowExecutionStartedEventAttributes?.eagerExecutionAccepted).toBeFalsy();
  });
});
