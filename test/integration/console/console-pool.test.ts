// The console against a Keel with a model pool, in headless Chromium: a cut stream shows as a
// discarded attempt and the fallback to the next model, the models page shows a circuit opened by
// injected failures and the health checks that close it, the usage page shows the run's model and
// cost, and the notes page shows each hit's scores. Screenshots (also at phone width and in dark
// mode) go to test-artifacts/console/; no page logs an error.
import type { Browser } from 'playwright-core';
import { ulid } from 'ulid';
import { healthScheduleId } from '../../../worker/health-schedule';
import { api, waitForRun } from '../../support/api-client';
import { launchChromium, logInAt, openConsolePage, type ConsolePage } from '../../support/console-browser';
import { startHarness, type Harness } from '../../support/keel-harness';
import { resetCircuits, scriptPool, testPool } from '../../support/model-pool-fixture';
import { describeWith } from '../../support/prerequisites';

describeWith('chromium')('the console: model pool, usage and notes', () => {
  let harness: Harness;
  let browser: Browser;
  let tab: ConsolePage;

  beforeAll(async () => {
    harness = await startHarness({ pool: (server) => testPool(server) });
    browser = await launchChromium();
  });
  beforeEach(async () => {
    await resetCircuits(harness);
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

  it('shows a cut stream as a discarded attempt and the fallback to the next model', async () => {
    scriptPool(harness, [
      { model: 'pool-primary', fault: { cutAfterChunks: 5 }, reply: { text: 'The primary starts a long answer that it will never get to finish.', delayMs: 300 } },
      { reply: { text: 'The backup gives the whole answer.' } },
    ]);
    await logIn('/console/new');
    await tab.page.getByLabel('Message').fill(`Refactor and redesign the billing module (${ulid()})`);
    await tab.page.getByLabel('Or complexity (model pool)').selectOption('complex');
    await tab.page.locator('input[name=tools][value=read_file]').check();
    await tab.page.getByRole('button', { name: 'Start run' }).click();
    await tab.page.waitForURL(/\/console\/runs\/run_/);
    await tab.page.locator('.end-completed').waitFor({ timeout: 30_000 });

    const discarded = tab.page.locator('.attempt-reset[data-model=primary]');
    expect(await discarded.locator('[data-status]').first().getAttribute('data-status')).toBe('discarded');
    expect(await discarded.locator('.reset-note').textContent()).toMatch(/Stream reset: \d+ deltas discarded/);
    const backup = tab.page.locator('.attempt-finished[data-model=backup]');
    expect(await backup.locator('.fallback').textContent()).toBe('Fallback from primary');
    expect(await backup.locator('.assistant-text').textContent()).toBe('The backup gives the whole answer.');
    expect(await tab.page.locator('.mark').filter({ hasText: 'Model selection: complex → primary' }).count()).toBe(1);
    expect(await tab.page.locator('.run-cost').textContent()).toMatch(/^\$\d/);
    await tab.screenshot('run-stream-reset');
  });

  it('shows an open circuit after injected failures, then the health check that closes it on a chart', async () => {
    scriptPool(harness, [{ model: 'pool-primary', fault: { status: 503, message: 'primary overloaded' } }, { reply: { text: 'Backup answer.' } }]);
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Refactor and redesign the billing module (${ulid()})`, complexity: 'complex', tools: ['read_file'] } });
    expect((await waitForRun(harness.apiUrl, harness.keys.a, created.body.id)).status).toBe('completed');

    await logIn('/console/models');
    const primary = tab.page.locator('[data-model-id=primary]');
    await primary.locator('[data-status=open]').waitFor();
    expect(await primary.locator('.failures').textContent()).toMatch(/^3 in a row · retry at /);
    expect(await primary.locator('.last-error').textContent()).toContain('primary overloaded');
    expect(await tab.page.locator('[data-model-id=backup] [data-status]').first().getAttribute('data-status')).toBe('closed');
    await tab.screenshot('models-open-circuit');

    scriptPool(harness, [{ reply: { text: 'ok' } }]);
    await harness.api.client.schedule.getHandle(healthScheduleId(harness.config.taskQueue)).trigger();
    // The page polls: the check's result arrives without a reload.
    await primary.locator('[data-status=closed]').waitFor({ timeout: 30_000 });
    await primary.locator('.chart canvas').waitFor();
    expect(await primary.locator('.chart').getAttribute('aria-label')).toBe('1 health checks, 0 failed');
    await tab.screenshot('models-health');
  });

  it("shows the run's model and cost on the usage page, as totals, a table and charts per day", async () => {
    scriptPool(harness, [{ reply: { text: 'Cheap answer.' } }]);
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Refactor and redesign the billing module (${ulid()})`, complexity: 'complex', tools: ['read_file'] } });
    const run = await waitForRun(harness.apiUrl, harness.keys.a, created.body.id);
    expect(run.costUsd).toBeGreaterThan(0);
    const usage = await api(harness.apiUrl, 'GET', '/v1/usage', { key: harness.keys.a });

    await logIn('/console/usage');
    const row = tab.page.locator('table.usage-by-model tr[data-model=primary]');
    await row.waitFor();
    const primary = usage.body.byModel.find((entry: { model: string }) => entry.model === 'primary');
    expect(await row.locator('.cost').textContent()).toBe(primary.costUsd < 0.01 ? `$${primary.costUsd.toFixed(4)}` : `$${primary.costUsd.toFixed(2)}`);
    await tab.page.locator('.charts .chart canvas').nth(1).waitFor();
    expect(await tab.page.locator('.charts figcaption').allTextContents()).toEqual(['Cost per day (USD)', 'Tokens per day']);
    const byPurpose = await api(harness.apiUrl, 'GET', '/v1/usage?groupBy=purpose', { key: harness.keys.a });
    const steps = byPurpose.body.groups.find((entry: { key: string }) => entry.key === 'step');
    const stepRow = tab.page.locator('table.usage-by-purpose tr[data-purpose=step]');
    expect(await stepRow.locator('td').first().textContent()).toBe('step');
    expect(await stepRow.locator('.cost').textContent()).toBe(steps.costUsd < 0.01 ? `$${steps.costUsd.toFixed(4)}` : `$${steps.costUsd.toFixed(2)}`);
    await tab.screenshot('usage');
  });

  it("searches a user's notes and shows each hit's similarity, importance, recency and versions", async () => {
    const marker = ulid().toLowerCase();
    const first = await api(harness.apiUrl, 'POST', '/v1/notes', { key: harness.keys.a, body: { content: `The user prefers tabs over spaces in project ${marker}`, category: 'user_preference' } });
    expect(first.status).toBe(201);
    const second = await api(harness.apiUrl, 'POST', '/v1/notes', { key: harness.keys.a, body: { content: `The user prefers two spaces over tabs in project ${marker}`, category: 'user_preference', supersedes: first.body.note.id } });
    expect(second.body.action).toBe('superseded');

    await logIn('/console/notes');
    await tab.page.getByLabel('Search (empty: the newest notes)').fill(`indentation preference in project ${marker}`);
    await tab.page.getByLabel('User').fill('user-a');
    await tab.page.getByRole('button', { name: 'Search' }).click();
    const hit = tab.page.locator(`tr[data-note-id="${second.body.note.id}"]`);
    await hit.waitFor();
    for (const column of ['.score', '.similarity', '.importance', '.recency']) expect(await hit.locator(column).textContent()).toMatch(/^\d\.\d{3}$/);
    expect(await hit.locator('.importance').textContent()).toBe('0.900');
    await hit.getByRole('button', { name: /version 2: show the earlier 1/ }).click();
    await hit.locator(`.versions-list [data-note-id="${first.body.note.id}"]`).filter({ hasText: 'tabs over spaces' }).waitFor();
    await tab.screenshot('notes');
  });

  it('is readable at phone width and in dark mode', async () => {
    scriptPool(harness, [{ reply: { text: 'A short answer for a small screen.' } }]);
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Refactor and redesign the billing module (${ulid()})`, complexity: 'complex', tools: ['read_file'] } });
    await waitForRun(harness.apiUrl, harness.keys.a, created.body.id);
    await tab.close();
    tab = await openConsolePage(browser, { width: 390, height: 844, colorScheme: 'dark' });
    await logIn('/console');
    await tab.page.getByRole('heading', { name: 'Runs' }).waitFor();
    await tab.page.locator('tr[data-run-id]').first().waitFor();
    // Nothing is wider than the phone's screen but the table, which scrolls in its own box.
    const overflow = await tab.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBe(0);
    const background = await tab.page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(background).toBe('rgb(13, 17, 23)');
    await tab.screenshot('runs-phone-dark');
    await tab.page.locator('tr[data-run-id] a').first().click();
    await tab.page.locator('.end-completed').waitFor();
    expect(await tab.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
    await tab.screenshot('run-phone-dark');
    await tab.page.goto(`${harness.apiUrl}/console/models`);
    await tab.page.locator('[data-model-id=primary]').waitFor();
    await tab.screenshot('models-phone-dark');
  });
});
