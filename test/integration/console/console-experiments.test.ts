// The console's experiment page in headless Chromium over real runs: an agent's two arms (one model
// completes, the other's fails), three users on each; the page draws a chart per metric with the
// report's estimates and intervals, the experiments list links to it. Screenshots (also dark mode)
// go to test-artifacts/console/; no page logs an error.
import type { Browser } from 'playwright-core';
import { ulid } from 'ulid';
import { assignArm } from '../../../core/experiments';
import { TenantsRepository } from '../../../stores/tenants-repository';
import { api, waitForRun } from '../../support/api-client';
import { launchChromium, logInAt, openConsolePage, type ConsolePage } from '../../support/console-browser';
import { startHarness, type Harness } from '../../support/keel-harness';
import { describeWith } from '../../support/prerequisites';

const USERS_PER_ARM = 3;

describeWith('chromium')('the console: experiments', () => {
  let harness: Harness;
  let browser: Browser;
  let tab: ConsolePage;
  let experimentId: string;
  let report: any;

  beforeAll(async () => {
    harness = await startHarness();
    browser = await launchChromium();
    const tenants = new TenantsRepository(harness.services.database.db);
    const adminKey = (await tenants.createApiKey({ tenantId: harness.tenantIds.a, userId: 'experimenter', name: 'admin', role: 'admin' })).key;
    const base = `console-exp-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name: `${base}-good`, models: `${base}-good`, rules: [{ reply: { text: 'Done well.' } }] } as never);
    // A 400 fails the run without opening the model's circuit (which would make later runs wait).
    harness.modelServer.addScenario({ name: `${base}-bad`, models: `${base}-bad`, rules: [{ fault: { status: 400, message: 'the bad arm cannot' } }] } as never);
    const agent = `agent-${ulid().toLowerCase()}`;
    expect((await api(harness.apiUrl, 'POST', '/v1/agents', { key: adminKey, body: { name: agent, model: `local/${base}-good`, tools: [], policy: { outcomePrediction: false } } })).status).toBe(201);
    const arms = [{ name: 'control', weight: 1 }, { name: 'bad-model', weight: 1, overrides: { model: `local/${base}-bad` } }];
    const created = await api(harness.apiUrl, 'POST', '/v1/experiments', { key: adminKey, body: { name: 'Model swap', agent, arms } });
    expect(created.status).toBe(201);
    experimentId = created.body.id;
    const users: Record<string, string[]> = { control: [], 'bad-model': [] };
    for (let candidate = 0; users.control!.length < USERS_PER_ARM || users['bad-model']!.length < USERS_PER_ARM; candidate += 1) {
      const userId = `console-user-${candidate}`;
      const arm = assignArm(experimentId, userId, arms).name;
      if (users[arm]!.length < USERS_PER_ARM) users[arm]!.push(userId);
    }
    await Promise.all([...users.control!, ...users['bad-model']!].map(async (userId) => {
      const { key } = await tenants.createApiKey({ tenantId: harness.tenantIds.a, userId, name: 'user' });
      const run = await api(harness.apiUrl, 'POST', '/v1/runs', { key, body: { agent, message: `Do the task for ${userId}` } });
      expect(run.status).toBe(202);
      await waitForRun(harness.apiUrl, key, run.body.id, 300_000);
    }));
    report = (await api(harness.apiUrl, 'GET', `/v1/experiments/${experimentId}/report`, { key: harness.keys.a })).body;
  }, 600_000);
  beforeEach(async () => {
    tab = await openConsolePage(browser);
  });
  afterEach(async () => {
    const errors = tab.errors;
    await tab.close();
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  const logIn = (path: string) => logInAt(tab, harness.apiUrl, harness.keys.a, path);

  it("draws a chart per metric with each arm's estimate and interval, as the report gives them", async () => {
    await logIn(`/console/experiments/${experimentId}`);
    await tab.page.locator('#experiment-title').waitFor();
    expect(await tab.page.locator('#experiment-title').textContent()).toBe('Model swap');
    expect(await tab.page.locator('.experiment-arms tr[data-arm=control] .arm-finished').textContent()).toBe(String(USERS_PER_ARM));
    expect(await tab.page.locator('.experiment-arms tr[data-arm=bad-model] .arm-finished').textContent()).toBe(String(USERS_PER_ARM));

    // Every metric has its card; those with data on some arm have a drawn uPlot chart.
    const withData = report.metrics.filter((metric: { key: string }) => report.arms.some((arm: any) => arm.metrics[metric.key].n > 0));
    expect(await tab.page.locator('.metric-card').count()).toBe(report.metrics.length);
    await tab.page.locator('.metric-card .uplot canvas').first().waitFor();
    expect(await tab.page.locator('.metric-card .uplot').count()).toBe(withData.length);
    expect(withData.map((metric: { key: string }) => metric.key)).toEqual(expect.arrayContaining(['completionRate', 'failureRate', 'steps', 'tokens', 'durationSeconds']));
    // Eval scores are not wired in this deployment: the card says so rather than drawing a number.
    expect(await tab.page.locator('.metric-card[data-metric=evalScore] .empty').textContent()).toMatch(/n = 0/);

    const completion = tab.page.locator('.metric-card[data-metric=completionRate]');
    const low = (report.arms[0].metrics.completionRate.interval.low * 100).toFixed(0);
    expect(await completion.locator('tr[data-arm=control] .metric-estimate').textContent()).toBe('100%');
    expect(await completion.locator('tr[data-arm=control] .metric-interval').textContent()).toBe(`${low}% – 100%`);
    expect(await completion.locator('tr[data-arm=bad-model] .metric-estimate').textContent()).toBe('0%');
    const p = report.arms[1].metrics.completionRate.comparison.pValue as number;
    expect(await completion.locator('tr[data-arm=bad-model] .metric-p').textContent()).toBe(`${p < 0.001 ? '< 0.001' : p.toFixed(3)} *`);
    expect(await completion.locator('tr[data-arm=control] .metric-p').textContent()).toBe('—');
    // The whiskers are drawn on the canvas: its pixels are not all blank.
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } } };
    const painted = await completion.locator('canvas').evaluate((canvas: Canvas) => {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let opaque = 0;
      for (let index = 3; index < data.length; index += 4) if (data[index]! > 0) opaque += 1;
      return opaque;
    });
    expect(painted).toBeGreaterThan(100);
    await tab.screenshot('experiment-report');
  });

  it('lists the experiment and links to its page, also in dark mode', async () => {
    await tab.close();
    tab = await openConsolePage(browser, { colorScheme: 'dark' });
    await logIn('/console/experiments');
    const row = tab.page.locator(`.experiments-list tr[data-experiment-id=${experimentId}]`);
    await row.waitFor();
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('running');
    await row.getByRole('link', { name: 'Model swap' }).click();
    await tab.page.waitForURL(new RegExp(`/console/experiments/${experimentId}$`));
    await tab.page.locator('.metric-card .uplot').first().waitFor();
    await tab.screenshot('experiment-report-dark');
  });
});
