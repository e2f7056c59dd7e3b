// The console in headless Chromium against a real Keel: one click on the dev banner's link logs in,
// a run started from the form streams on its page with its tool cards, a paused step is approved
// inline, a reload resumes the stream after the last event id, a fork links to its parent, and the API's validation errors
// appear at the field they name. No page logs an error. Screenshots go to test-artifacts/console/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Request } from 'playwright-core';
import { ulid } from 'ulid';
import { api, waitForRun } from '../../support/api-client';
import { launchChromium, logInAt, openConsolePage, type ConsolePage } from '../../support/console-browser';
import { startHarness, type Harness } from '../../support/keel-harness';
import { describeWith } from '../../support/prerequisites';

describeWith('chromium')('the console: runs', () => {
  let harness: Harness;
  let browser: Browser;
  let tab: ConsolePage;

  // A model with a small window, so a long run's context is cut (and summarised) on its page.
  const smallModel = `console-small-${ulid().toLowerCase()}`;

  beforeAll(async () => {
    harness = await startHarness({
      models: (server) => [{ id: 'console-small', provider: 'openai', model: smallModel, baseURL: server.openaiBaseURL, contextWindow: 6_000, maxOutputTokens: 1_000 }],
    });
    browser = await launchChromium();
  });
  beforeEach(async () => {
    tab = await openConsolePage(browser);
  });
  afterEach(async () => {
    // Every test ends with a page that logged no error.
    const errors = tab.errors;
    await tab.close();
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  const scenario = (rules: unknown[]) => {
    const name = `console-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name, models: `${name}*`, rules: rules as never });
    return `local/${name}`;
  };
  const logIn = (path = '/console') => logInAt(tab, harness.apiUrl, harness.keys.a, path);
  const runIdOfPage = () => /\/console\/runs\/(run_[0-9A-Z]{26})$/.exec(tab.page.url())?.[1] ?? '';

  it('logs in from the key in the fragment, drops it from the address and keeps it for the session', async () => {
    await logIn();
    expect(tab.page.url()).toBe(`${harness.apiUrl}/console`);
    expect(await tab.page.evaluate<string | null>("sessionStorage.getItem('keel-key')")).toBe(harness.keys.a);
    await tab.page.getByRole('heading', { name: 'Runs' }).waitFor();
    await tab.screenshot('runs-list-empty');
  });

  it('asks for a key, refuses a wrong one with the API\'s message and accepts a right one', async () => {
    await tab.page.goto(`${harness.apiUrl}/console/runs`);
    await tab.page.fill('#key', 'keel_not-a-key');
    // The 401 is the expected answer here, not a page error.
    tab.page.removeAllListeners('console');
    await tab.page.click('#save');
    await tab.page.getByRole('alert').filter({ hasText: 'invalid or revoked API key' }).waitFor();
    await tab.screenshot('key-form');
    await tab.page.fill('#key', harness.keys.a);
    await tab.page.click('#save');
    await tab.page.getByRole('heading', { name: 'Runs' }).waitFor();
  });

  it('starts a run from the form and watches it stream to completion with its tool cards', async () => {
    const model = scenario([
      { turn: 0, reply: { text: 'I will write the file first.', reasoning: 'The user wants a file.', toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'written from the console\n' } }] } },
      { turn: 1, reply: { text: 'Now I read it back.', toolCalls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }] } },
      { reply: { text: 'Done: notes.txt says "written from the console".' } },
    ]);
    await logIn('/console/new');
    await tab.page.getByLabel('Message').fill('Write notes.txt and read it back.');
    await tab.page.getByLabel('Model', { exact: true }).fill(model);
    await tab.page.getByRole('button', { name: 'Start run' }).click();
    await tab.page.waitForURL(/\/console\/runs\/run_/);
    const runId = runIdOfPage();
    // What is on the page does not move while more streams in below it (no layout jump).
    const firstAttempt = tab.page.locator('.attempt').first();
    await firstAttempt.waitFor();
    const topWhileStreaming = (await firstAttempt.boundingBox())?.y;

    const end = tab.page.locator('.end-completed');
    await end.waitFor({ timeout: 30_000 });
    expect((await firstAttempt.boundingBox())?.y).toBe(topWhileStreaming);
    expect(await end.locator('.assistant-text').textContent()).toBe('Done: notes.txt says "written from the console".');
    const write = tab.page.locator('[data-tool=write_file]');
    expect(await write.locator('[data-status]').first().getAttribute('data-status')).toBe('done');
    expect(await write.locator('.diff').textContent()).toContain('+ written from the console');
    const read = tab.page.locator('[data-tool=read_file]');
    expect(await read.locator('.output').textContent()).toContain('written from the console');
    // The first step's reasoning is there, collapsed.
    const reasoning = tab.page.locator('.attempt').first().locator('details.reasoning');
    expect(await reasoning.getAttribute('open')).toBeNull();
    expect(await tab.page.locator('.attempt .assistant-text').allTextContents()).toEqual(['I will write the file first.', 'Now I read it back.', 'Done: notes.txt says "written from the console".']);
    await tab.page.locator('.run-head [data-status=completed]').waitFor();
    const run = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}`, { key: harness.keys.a });
    expect(await tab.page.locator('.run-step').textContent()).toBe(String(run.body.step));
    expect(await tab.page.getByRole('link', { name: 'Open in Temporal' }).getAttribute('href')).toBe(`http://localhost:8233/namespaces/default/workflows/${runId}`);
    await tab.screenshot('run-completed');

    await tab.page.getByRole('link', { name: 'Runs', exact: true }).click();
    const row = tab.page.locator(`tr[data-run-id="${runId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('completed');
    expect(await row.textContent()).toContain(model);
    await tab.page.getByLabel('Status').selectOption('failed');
    await row.waitFor({ state: 'detached' });
    await tab.screenshot('runs-list');
  });

  it('approves a paused step inline, and a reload in between resumes the stream after the last event id', async () => {
    const model = scenario([
      { turn: 0, reply: { text: 'Writing with bash.', toolCalls: [{ name: 'bash', arguments: { command: 'echo approved-in-console > approved.txt' } }] } },
      { reply: { text: 'Approved and written.' } },
    ]);
    await logIn('/console/new');
    await tab.page.getByLabel('Message').fill('Write approved.txt with bash.');
    await tab.page.getByLabel('Model', { exact: true }).fill(model);
    await tab.page.getByLabel('Policy').selectOption('confirm-every-call');
    await tab.page.getByRole('button', { name: 'Start run' }).click();
    await tab.page.waitForURL(/\/console\/runs\/run_/);
    const runId = runIdOfPage();
    const review = tab.page.locator('.timeline [data-review-id]');
    await review.waitFor({ timeout: 30_000 });
    expect(await review.locator('textarea').inputValue()).toContain('echo approved-in-console > approved.txt');
    await tab.page.locator('.run-head [data-status=awaiting_review]').waitFor({ timeout: 30_000 });
    await tab.screenshot('run-awaiting-review');

    const events = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/events/list`, { key: harness.keys.a });
    const lastId = events.body.events.at(-1).id as number;
    // The page has received every stored event (the stream may trail the list by a moment).
    await tab.page.waitForFunction(
      ([key, id]) => (JSON.parse(sessionStorage.getItem(key as string) ?? 'null')?.lastEventId ?? 0) >= (id as number),
      [`keel-run:${runId}`, lastId] as const, { timeout: 10_000 },
    );
    const streams: Request[] = [];
    tab.page.on('request', (request) => { if (request.url().endsWith(`/v1/runs/${runId}/events`)) streams.push(request); });
    await tab.page.reload();
    await review.waitFor({ timeout: 30_000 });
    expect(streams[0]?.headers()['last-event-id']).toBe(String(lastId));
    expect(streams[0]?.headers().authorization).toBe(`Bearer ${harness.keys.a}`);
    // Restored, not replayed twice.
    expect(await tab.page.locator('.timeline [data-review-id]').count()).toBe(1);
    expect(await tab.page.locator('.attempt').count()).toBe(1);

    await review.locator('input[name=reason]').fill('fine from the console');
    await review.locator('button.approve').click();
    await review.getByRole('status').filter({ hasText: 'approved' }).waitFor({ timeout: 30_000 });
    await tab.page.locator('.end-completed').waitFor({ timeout: 30_000 });
    expect(await tab.page.locator('[data-tool=bash] [data-status]').first().getAttribute('data-status')).toBe('done');
    expect(await tab.page.locator('[data-tool=bash] .verdict').textContent()).toContain('review: approve');
    expect((await waitForRun(harness.apiUrl, harness.keys.a, runId)).status).toBe('completed');
    expect(readFileSync(path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId, 'approved.txt'), 'utf8')).toBe('approved-in-console\n');
    const reviews = await api(harness.apiUrl, 'GET', `/v1/reviews?runId=${runId}&status=approved`, { key: harness.keys.a });
    expect(reviews.body.reviews).toHaveLength(1);
    await tab.screenshot('run-approved');
  });

  it('sends the agent a message and cancels the run from its page', async () => {
    const model = scenario([{ reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo waiting' } }] } }]);
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Wait for me.', model, policy: { safety: { riskVerdicts: { none: 'confirm', low: 'confirm' } } } } });
    await logIn(`/console/runs/${created.body.id}`);
    await tab.page.locator('.timeline [data-review-id]').waitFor({ timeout: 30_000 });
    await tab.page.getByLabel('Message to the agent').fill('Also say hello.');
    await tab.page.getByRole('button', { name: 'Send' }).click();
    await tab.page.getByRole('status').filter({ hasText: 'Sent: the agent reads it at its next step.' }).waitFor();
    await tab.page.getByRole('button', { name: 'Cancel run' }).click();
    await tab.page.locator('.end-cancelled').waitFor({ timeout: 30_000 });
    await tab.page.locator('.run-head [data-status=cancelled]').waitFor();
    expect(await tab.page.getByRole('button', { name: 'Cancel run' }).isDisabled()).toBe(true);
    expect((await waitForRun(harness.apiUrl, harness.keys.a, created.body.id)).outcome).toMatchObject({ type: 'cancelled', reason: 'cancelled from the console' });
    await tab.screenshot('run-cancelled');
  });

  it("marks where a long run's context was cut and which summary stood in", async () => {
    harness.modelServer.addScenario({
      name: smallModel, models: `${smallModel}*`,
      rules: [
        { promptIncludes: 'Summarise the earlier part of an agent conversation', reply: { text: 'EARLIER: the agent printed many rows of filler text.' } },
        { reply: { toolCalls: [{ name: 'bash', arguments: { command: "printf 'row %s: some words to fill the context window quickly\\n' $(seq 1 20)" } }] } },
      ],
    } as never);
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Print rows until told to stop.', model: 'console-small', tools: ['bash'], limits: { maxSteps: 14 } } });
    expect((await waitForRun(harness.apiUrl, harness.keys.a, created.body.id, 120_000)).status).toBe('step_limit_reached');
    const events = await api(harness.apiUrl, 'GET', `/v1/runs/${created.body.id}/events/list`, { key: harness.keys.a });
    const cuts = events.body.events.filter((event: { type: string }) => event.type === 'context.truncated');
    expect(cuts.length).toBeGreaterThan(0);

    await logIn(`/console/runs/${created.body.id}`);
    await tab.page.locator('.end-step_limit_reached').waitFor({ timeout: 30_000 });
    const marks = tab.page.locator('.context-cut');
    expect(await marks.count()).toBe(cuts.length);
    expect(await marks.first().textContent()).toMatch(new RegExp(`^Context cut at step ${cuts[0].data.step}: ${cuts[0].data.droppedMessages} messages \\([\\d,]+ tokens\\) dropped, ${cuts[0].data.keptMessages} kept; summarised by console-small$`));
    await tab.screenshot('run-context-cut');
  });

  it("shows where a fork came from, with a link to its parent's page", async () => {
    const model = scenario([
      { turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'draft.txt', content: 'first draft\n' } }] } },
      { reply: { text: 'Drafted.' } },
    ]);
    const parent = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Write a draft.', model, stream: false } });
    expect((await waitForRun(harness.apiUrl, harness.keys.a, parent.body.id)).status).toBe('completed');
    const fork = await api(harness.apiUrl, 'POST', `/v1/runs/${parent.body.id}/fork`, { key: harness.keys.a, body: { fromStep: 1, message: 'Now a shorter one.' } });
    expect((await waitForRun(harness.apiUrl, harness.keys.a, fork.body.id)).status).toBe('completed');

    await logIn(`/console/runs/${fork.body.id}`);
    await tab.page.locator('.end-completed').waitFor({ timeout: 30_000 });
    const mark = tab.page.locator('.mark.fork');
    expect(await mark.textContent()).toBe(`Forked from ${parent.body.id} after step 1; workspace of step 1 restored (1 entry)`);
    await tab.screenshot('run-forked');
    await mark.getByRole('link').click();
    await tab.page.waitForURL(new RegExp(`/console/runs/${parent.body.id}$`));
    await tab.page.locator('.end-completed').waitFor({ timeout: 30_000 });
  });

  it('shows the files a call changed beyond what it named, and their rollback, on its card', async () => {
    const model = scenario([
      { turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'precious\n' } }, { name: 'write_file', arguments: { path: 'cleanup.sh', content: 'rm notes.txt\necho junk > junk.tmp\n' } }] } },
      { turn: 1, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'bash cleanup.sh' } }] } },
      { reply: { text: 'Cleaned up.' } },
    ]);
    await logIn('/console/new');
    await tab.page.getByLabel('Message').fill('Run the clean-up script.');
    await tab.page.getByLabel('Model', { exact: true }).fill(model);
    await tab.page.getByLabel('Policy').selectOption('rollback-side-effects');
    await tab.page.getByRole('button', { name: 'Start run' }).click();
    await tab.page.waitForURL(/\/console\/runs\/run_/);
    await tab.page.locator('.end-completed').waitFor({ timeout: 30_000 });
    const bash = tab.page.locator('[data-tool=bash]');
    expect(await bash.locator('.side-effects .meta').textContent()).toBe('Changed beyond what it named (rollback)');
    expect(await bash.locator('.side-effects .diff').textContent()).toBe('+ junk.tmp\n- notes.txt\n');
    expect(await bash.locator('.meta', { hasText: 'Rolled back' }).textContent()).toBe('Rolled back: 1 restored, 1 removed');
    expect(readFileSync(path.join(harness.config.workspaceRoot, harness.tenantIds.a, runIdOfPage(), 'notes.txt'), 'utf8')).toBe('precious\n');
    await tab.screenshot('run-side-effects');
  });

  it("expands a tool call's output past the event's 500-character preview", async () => {
    const lines = Array.from({ length: 120 }, (_, index) => `row ${index + 1} of the report`);
    const model = scenario([
      { turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'report.txt', content: `${lines.join('\n')}\n` } }] } },
      { turn: 1, reply: { toolCalls: [{ name: 'read_file', arguments: { path: 'report.txt' } }] } },
      { reply: { text: 'Read the report.' } },
    ]);
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Write and read the report.', model, tools: ['write_file', 'read_file'] } });
    await waitForRun(harness.apiUrl, harness.keys.a, created.body.id);
    await logIn(`/console/runs/${created.body.id}`);
    const read = tab.page.locator('[data-tool=read_file]');
    await read.locator('.output').waitFor();
    expect(await read.locator('.output').textContent()).not.toContain('row 120 of the report');
    await read.getByRole('button', { name: /Show the full output/ }).click();
    await read.locator('.output').filter({ hasText: 'row 120 of the report' }).waitFor();
    expect(await read.getByRole('button', { name: /Show the full output/ }).count()).toBe(0);
    await tab.screenshot('run-full-output');
  });

  it('can be driven from the keyboard alone: skip link, navigation, the form and its submit button', async () => {
    const model = scenario([{ reply: { text: 'Answered from a keyboard run.' } }]);
    await logIn('/console');
    const active = () => tab.page.evaluate<string>("document.activeElement ? (document.activeElement.id || document.activeElement.textContent || '').trim() : ''");
    await tab.page.keyboard.press('Tab');
    expect(await active()).toBe('Skip to content');
    await tab.page.keyboard.press('Enter');
    expect(await active()).toBe('main');
    await tab.page.locator('nav a', { hasText: 'New run' }).focus();
    await tab.page.keyboard.press('Enter');
    await tab.page.getByRole('heading', { name: 'New run' }).waitFor();
    expect(await active()).toBe('main');
    await tab.page.keyboard.press('Tab');
    expect(await active()).toBe('field-message');
    await tab.page.keyboard.type('Answer from a keyboard.');
    await tab.page.keyboard.press('Tab');
    await tab.page.keyboard.press('Tab');
    expect(await active()).toBe('field-model');
    await tab.page.keyboard.type(model);
    for (let presses = 0; presses < 30 && (await active()) !== 'Start run'; presses += 1) await tab.page.keyboard.press('Tab');
    await tab.page.keyboard.press('Enter');
    await tab.page.waitForURL(/\/console\/runs\/run_/);
    await tab.page.locator('.end-completed').filter({ hasText: 'Answered from a keyboard run.' }).waitFor({ timeout: 30_000 });
  });

  it('shows the API\'s validation errors at the field they name', async () => {
    await logIn('/console/new');
    // The 400s are the expected answers here, not page errors.
    tab.page.removeAllListeners('console');
    await tab.page.getByRole('button', { name: 'Start run' }).click();
    const message = tab.page.locator('[data-field=message] .field-error');
    await message.filter({ hasText: /must not be empty|Too small|expected string/ }).waitFor();
    await tab.page.getByLabel('Message').fill('Hello');
    await tab.page.getByLabel('Model', { exact: true }).fill('nowhere/no-such-model');
    await tab.page.getByRole('button', { name: 'Start run' }).click();
    await tab.page.locator('[data-field=model] .field-error').filter({ hasText: 'unknown model "nowhere/no-such-model"' }).waitFor();
    expect(await message.textContent()).toBe('');
    await tab.page.getByLabel('Model', { exact: true }).fill('');
    await tab.page.locator('input[name=maxCostPerRun]').fill('0.5');
    await tab.page.getByRole('button', { name: 'Start run' }).click();
    await tab.page.locator('[data-field=budget] .field-error').filter({ hasText: '"budget" needs priced models from the model pool' }).waitFor();
    expect(await tab.page.locator('[data-field=model] .field-error').textContent()).toBe('');
    await tab.screenshot('new-run-errors');
  });
});
