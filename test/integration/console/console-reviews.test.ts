// The console's reviews page in headless Chromium, reached by the old /reviews address: a reviewer
// enters their key, sees the pending tool call with its context, approves it, and the run completes.
// Skips with a message when Chromium is not installed (CI installs Debian's `chromium`).
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ulid } from 'ulid';
import { api, waitForReview, waitForRun } from '../../support/api-client';
import { CONSOLE_ARTIFACTS } from '../../support/console-browser';
import { startHarness, type Harness } from '../../support/keel-harness';
import { CHROMIUM_PATH, describeWith } from '../../support/prerequisites';

// Skipped without Chromium; the global setup names it at the start and end of the run.
const CHROMIUM = CHROMIUM_PATH;
const describeWithChromium = describeWith('chromium');

describeWithChromium('the console: reviews page', () => {
  let harness: Harness;
  let browser: Browser;

  beforeAll(async () => {
    harness = await startHarness();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('lists a pending tool call with its arguments and approves it, and the run completes', async () => {
    const name = `review-page-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo from-the-page > page.txt' } }] } },
        { reply: { text: 'Approved and written.' } },
      ],
    });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: `Write page.txt (${name})`, model: `local/${name}`, policy: { safety: { riskVerdicts: { none: 'confirm' } } } },
    });
    const runId = created.body.id as string;
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);

    const page = await browser.newPage();
    await page.goto(`${harness.apiUrl}/reviews`);
    expect(page.url()).toBe(`${harness.apiUrl}/console/reviews`);
    await page.fill('#key', harness.keys.a);
    await page.click('#save');
    const card = page.locator(`[data-review-id="${review.id}"]`);
    await card.waitFor({ timeout: 10_000 });
    expect(await card.locator('h2').textContent()).toMatch(/bash needs approval/);
    expect(await card.locator('textarea').inputValue()).toContain('echo from-the-page > page.txt');
    await card.locator('input[name=reason]').fill('checked in the browser');
    mkdirSync(CONSOLE_ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(CONSOLE_ARTIFACTS, 'reviews.png'), fullPage: true });
    await card.locator('button.approve').click();
    await card.locator('text=approved').waitFor({ timeout: 10_000 });

    const finished = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(finished.status).toBe('completed');
    expect(readFileSync(path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId, 'page.txt'), 'utf8')).toBe('from-the-page\n');
    const detail = await api(harness.apiUrl, 'GET', `/v1/reviews/${review.id}`, { key: harness.keys.a });
    expect(detail.body.audit).toEqual([expect.objectContaining({ actor: 'user-a', action: 'approve', reason: 'checked in the browser' })]);
    await page.close();
  });
  it('approves a tool call with edited arguments, and the edited call is what runs', async () => {
    const name = `review-edit-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name, models: `${name}*`,
      rules: [
        { turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo as-asked > edited.txt' } }] } },
        { reply: { text: 'Done as edited.' } },
      ],
    });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: `Write edited.txt (${name})`, model: `local/${name}`, policy: { safety: { riskVerdicts: { none: 'confirm' } } } },
    });
    const runId = created.body.id as string;
    const review = await waitForReview(harness.apiUrl, harness.keys.a, runId);
    const page = await browser.newPage();
    await page.goto(`${harness.apiUrl}/console/reviews#key=${encodeURIComponent(harness.keys.a)}`);
    const card = page.locator(`[data-review-id="${review.id}"]`);
    await card.waitFor({ timeout: 10_000 });
    await card.locator('textarea').fill(JSON.stringify({ command: 'echo as-edited > edited.txt' }, null, 2));
    await card.getByRole('button', { name: 'Approve with edits' }).click();
    await card.getByRole('status').filter({ hasText: 'approved' }).waitFor({ timeout: 10_000 });
    expect((await waitForRun(harness.apiUrl, harness.keys.a, runId)).status).toBe('completed');
    expect(readFileSync(path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId, 'edited.txt'), 'utf8')).toBe('as-edited\n');
    const detail = await api(harness.apiUrl, 'GET', `/v1/reviews/${review.id}`, { key: harness.keys.a });
    expect(detail.body.audit).toEqual([expect.objectContaining({ action: 'edit', argumentsApplied: { command: 'echo as-edited > edited.txt' } })]);
    await page.close();
  });
});
