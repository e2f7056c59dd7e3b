// Every query of the provisioned Grafana dashboards, run against a real Prometheus scraping a real
// Keel API and worker process after a pool run (a broken stream and a fallback, a tool call, a
// refused call, an answer, a recalled note): each expression parses and returns at least one series.
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { api, waitForRun } from '../../support/api-client';
import { startHarness, type Harness } from '../../support/keel-harness';
import { scriptPool, testPool } from '../../support/model-pool-fixture';
import { describeWith } from '../../support/prerequisites';
import { freePort, startPrometheus, type PrometheusServer } from '../../support/prometheus-server';
import { killProcess, spawnWorker, waitForWorkerStarted } from '../../support/worker-process';

const GRAFANA = path.resolve(__dirname, '..', '..', '..', 'infra', 'grafana');
const DASHBOARDS = path.join(GRAFANA, 'dashboards');

type Dashboard = {
  uid: string;
  title: string;
  templating: { list: Array<{ name: string; query: { query: string } }> };
  panels: Array<{ title: string; datasource: { uid: string }; targets: Array<{ expr: string }> }>;
};

const dashboards = readdirSync(DASHBOARDS).filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, dashboard: JSON.parse(readFileSync(path.join(DASHBOARDS, file), 'utf8')) as Dashboard }));

/** What Grafana substitutes before it sends a query: the rate window and "All" of each variable. */
function asPrometheusQuery(expression: string): string {
  return expression.replaceAll('$__rate_interval', '1m').replace(/\$(tenant|model|tool)\b/g, '.+');
}

/** Grafana's `label_values(metric, label)` as the PromQL that answers the same. */
function variableQuery(query: string): string {
  const match = /^label_values\((\w+),\s*(\w+)\)$/.exec(query);
  if (!match) throw new Error(`unexpected variable query ${query}`);
  return `count by (${match[2]}) (${match[1]})`;
}

describe('the provisioned Grafana files', () => {
  it('are four dashboards with unique uids, every panel on the provisioned datasource', () => {
    const datasource = parseYaml(readFileSync(path.join(GRAFANA, 'provisioning', 'datasources', 'prometheus.yml'), 'utf8'));
    const uid = datasource.datasources[0].uid as string;
    expect(dashboards.map(({ file }) => file).sort()).toEqual(['models.json', 'service-overview.json', 'tenants-and-cost.json', 'tools-and-safety.json']);
    expect(new Set(dashboards.map(({ dashboard }) => dashboard.uid)).size).toBe(4);
    for (const { dashboard } of dashboards) {
      for (const panel of dashboard.panels) {
        expect({ panel: panel.title, uid: panel.datasource.uid }).toEqual({ panel: panel.title, uid });
        expect(panel.targets.length).toBeGreaterThan(0);
      }
    }
    const provider = parseYaml(readFileSync(path.join(GRAFANA, 'provisioning', 'dashboards', 'keel.yml'), 'utf8'));
    expect(provider.providers[0]).toMatchObject({ type: 'file', options: { path: expect.any(String) } });
  });
});

describeWith('prometheus')('the dashboards against a real Prometheus scraping Keel', () => {
  let harness: Harness;
  let worker: ChildProcess | undefined;
  let prometheus: PrometheusServer | undefined;

  beforeAll(async () => {
    harness = await startHarness({ worker: false, pool: (server) => testPool(server) });
    const metricsPort = await freePort();
    worker = spawnWorker(harness, {
      output: 'pipe',
      environment: {
        LOG_LEVEL: 'info', KEEL_UNSAFE_BASH: '1', KEEL_MODEL_POOL_FILE: harness.config.modelPoolFile!,
        KEEL_METRICS_PORT: String(metricsPort), KEEL_TEMPORAL_METRICS_PORT: String(await freePort()),
      },
    });
    await waitForWorkerStarted(worker);
    prometheus = await startPrometheus({ 'keel-api': [new URL(harness.apiUrl).host], 'keel-worker': [`127.0.0.1:${metricsPort}`] });
    await prometheus.waitForTargets();

    // A note, so the first step recalls it (the memory panel).
    expect((await api(harness.apiUrl, 'POST', '/v1/notes', { key: harness.keys.a, body: { content: 'Greetings go to hello.txt.', category: 'project_info' } })).status).toBe(201);
    scriptPool(harness, [
      { model: 'pool-primary', turn: 0, times: 1, fault: { cutAfterChunks: 3 }, reply: { text: 'The primary starts an answer it will never finish.', delayMs: 200 } },
      { turn: 0, reply: { text: 'Writing the file.', toolCalls: [{ name: 'write_file', arguments: { path: 'hello.txt', content: 'hello\n' } }] } },
      { turn: 1, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'rm -rf /' } }] } },
      { turn: 2, reply: { text: 'Done: hello.txt is written.' } },
    ]);
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Write hello to hello.txt', complexity: 'complex' } });
    expect(created.status).toBe(202);
    const run = await waitForRun(harness.apiUrl, harness.keys.a, created.body.id, 90_000);
    expect(run.status).toBe('completed');
    // Two scrapes after the run, so every rate has a change to see.
    const deadline = Date.now() + 30_000;
    while ((await prometheus.query('keel_runs_finished_total')).data?.result.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await new Promise((resolve) => setTimeout(resolve, 2500));
  }, 180_000);
  afterAll(async () => {
    await prometheus?.stop();
    if (worker) await killProcess(worker);
    await harness?.close();
  });

  it.each(dashboards.map(({ file, dashboard }) => [file, dashboard] as const))('every query of %s parses and returns series', async (_file, dashboard) => {
    const problems: string[] = [];
    const queries = [
      ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ where: `panel "${panel.title}"`, expression: asPrometheusQuery(target.expr) }))),
      ...dashboard.templating.list.map((variable) => ({ where: `variable $${variable.name}`, expression: variableQuery(variable.query.query) })),
    ];
    for (const { where, expression } of queries) {
      const answer = await prometheus!.query(expression);
      if (answer.status !== 'success') problems.push(`${where}: ${answer.error} (${expression})`);
      else if ((answer.data?.result.length ?? 0) === 0) problems.push(`${where}: no series (${expression})`);
    }
    expect(problems).toEqual([]);
  });
});
