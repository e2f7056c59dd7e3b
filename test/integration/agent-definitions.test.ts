// Agent definitions over HTTP: versioned and tenant-scoped CRUD, validation that names the field, and
// runs started by agent name (latest or pinned version) with the run's own fields winning, on
// PostgreSQL and on embedded PGlite.
import { ulid } from 'ulid';
import { RunsRepository } from '../../stores/runs-repository';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

describe.each(['postgres', 'pglite'] as const)('agent definitions over HTTP on %s', (database) => {
  let harness: Harness;
  let model: string;
  const marker = (label: string) => `KEEL-MARK-${label}-${ulid()}`;
  const markers = { v1: marker('v1'), v2: marker('v2'), override: marker('override') };

  beforeAll(async () => {
    harness = await startHarness({ database });
    model = `agents-${ulid().toLowerCase()}`;
    // The model answers by the instructions it was given, so a test can see which ones a run used.
    harness.modelServer.addScenario({
      name: model,
      models: `${model}*`,
      rules: [
        { systemIncludes: markers.v1, reply: { text: 'Answer under version 1.' } },
        { systemIncludes: markers.v2, reply: { text: 'Answer under version 2.' } },
        { systemIncludes: markers.override, reply: { text: 'Answer under the run\'s own instructions.' } },
        { reply: { text: 'Answer under the default instructions.' } },
      ],
    } as never);
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  const asA = (method: string, path: string, body?: unknown) => api(harness.apiUrl, method, path, { key: harness.keys.a, body });
  const asB = (method: string, path: string, body?: unknown) => api(harness.apiUrl, method, path, { key: harness.keys.b, body });

  it('creates version 1, saves version 2 with PUT, keeps version 1 readable, lists the latest and deletes every version', async () => {
    const name = `writer-${ulid().toLowerCase()}`;
    const created = await asA('POST', '/v1/agents', {
      name, description: 'Writes notes', instructions: `Write tidy notes. ${markers.v1}`, model: `local/${model}`, tools: ['read_file', 'write_file'],
      limits: { maxSteps: 7 }, policy: { outcomePrediction: false },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/agents/${name}`);
    expect(created.body).toMatchObject({
      name, version: 1, description: 'Writes notes', createdBy: 'user-a',
      settings: { instructions: `Write tidy notes. ${markers.v1}`, model: `local/${model}`, tools: ['read_file', 'write_file'], limits: { maxSteps: 7 } },
    });

    const again = await asA('POST', '/v1/agents', { name, instructions: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'agent_exists', details: { field: 'name', latestVersion: 1 } });

    const updated = await asA('PUT', `/v1/agents/${name}`, { instructions: `Write terse notes. ${markers.v2}`, model: `local/${model}` });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name, version: 2, description: null, settings: { instructions: `Write terse notes. ${markers.v2}` } });
    expect(updated.body.settings.tools).toBeUndefined();

    expect((await asA('GET', `/v1/agents/${name}`)).body).toMatchObject({ version: 2 });
    const first = await asA('GET', `/v1/agents/${name}?version=1`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: 1, settings: { tools: ['read_file', 'write_file'] } });
    expect((await asA('GET', `/v1/agents/${name}?version=3`)).status).toBe(404);

    const listed = await asA('GET', '/v1/agents');
    expect(listed.body.agents.filter((agent: { name: string }) => agent.name === name).map((agent: { version: number }) => agent.version)).toEqual([2]);

    const deleted = await asA('DELETE', `/v1/agents/${name}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ name, deletedVersions: [1, 2] });
    expect((await asA('GET', `/v1/agents/${name}`)).status).toBe(404);
    expect((await asA('GET', `/v1/agents/${name}?version=1`)).status).toBe(404);
    expect((await asA('PUT', `/v1/agents/${name}`, { instructions: 'x' })).status).toBe(404);
    expect((await asA('DELETE', `/v1/agents/${name}`)).status).toBe(404);

    // The name can be used again, and its numbering continues: `name@1` never means two definitions.
    const recreated = await asA('POST', '/v1/agents', { name, instructions: 'fresh start' });
    expect(recreated.status).toBe(201);
    expect(recreated.body.version).toBe(3);
  });

  it('lets one of several concurrent creates of a name win, and gives concurrent PUTs consecutive versions', async () => {
    const name = `raced-${ulid().toLowerCase()}`;
    const creates = await Promise.all(Array.from({ length: 4 }, (_, index) => asA('POST', '/v1/agents', { name, instructions: `create ${index}` })));
    expect(creates.map((response) => response.status).sort()).toEqual([201, 409, 409, 409]);
    const puts = await Promise.all(Array.from({ length: 4 }, (_, index) => asA('PUT', `/v1/agents/${name}`, { instructions: `put ${index}` })));
    expect(puts.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    expect(puts.map((response) => response.body.version as number).sort()).toEqual([2, 3, 4, 5]);
  });

  it("answers another tenant 404 for every agent route, exactly as for a name nobody has", async () => {
    const name = `private-${ulid().toLowerCase()}`;
    expect((await asA('POST', '/v1/agents', { name, instructions: `Secret plans ${markers.v1}`, model: `local/${model}` })).status).toBe(201);
    const nobody = `nobody-${ulid().toLowerCase()}`;
    for (const [method, path, body] of [
      ['GET', `/v1/agents/${name}`, undefined],
      ['GET', `/v1/agents/${name}?version=1`, undefined],
      ['PUT', `/v1/agents/${name}`, { instructions: 'taken over' }],
      ['DELETE', `/v1/agents/${name}`, undefined],
    ] as const) {
      const probe = await asB(method, path, body);
      const unknown = await asB(method, path.replace(name, nobody), body);
      expect(probe.status).toBe(404);
      expect(probe.body.error.code).toBe('not_found');
      expect(JSON.stringify(probe.body).replace(name, nobody)).toBe(JSON.stringify(unknown.body));
    }
    const listed = await asB('GET', '/v1/agents');
    expect(listed.status).toBe(200);
    expect(listed.body.agents.map((agent: { name: string }) => agent.name)).not.toContain(name);
    const run = await asB('POST', '/v1/runs', { agent: name, message: 'use their agent' });
    expect(run.status).toBe(404);
    expect(run.body.error).toMatchObject({ code: 'not_found', details: { field: 'agent' } });
    // B may hold its own agent of the same name.
    expect((await asB('POST', '/v1/agents', { name, instructions: 'B\'s own' })).body.version).toBe(1);
    expect((await asA('GET', `/v1/agents/${name}`)).body.settings.instructions).toContain(markers.v1);
  });

  it('refuses malformed definitions with a 400 naming the field', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ name: 'Not A Slug', instructions: 'x' }, 'invalid_request', 'body.name'],
      [{ instructions: 'x' }, 'invalid_request', 'body.name'],
      [{ name: 'ok-name', instructions: 'x', colour: 'blue' }, 'invalid_request', 'body'],
      [{ name: 'ok-name', message: 'a task is not a setting' }, 'invalid_request', 'body'],
      [{ name: 'ok-name', limits: { maxSteps: 0 } }, 'invalid_request', 'body.limits.maxSteps'],
      [{ name: 'ok-name', model: 'local-nope/none' }, 'unknown_model', 'model'],
      [{ name: 'ok-name', tools: ['read_file', 'teleport'] }, 'unknown_tool', 'tools'],
      [{ name: 'ok-name', model: `local/${model}`, models: [`local/${model}`] }, 'invalid_request', 'model'],
      [{ name: 'ok-name', policy: { review: { timeoutSeconds: 'soon' } } }, 'invalid_policy', 'policy.review.timeoutSeconds'],
    ];
    for (const [body, code, field] of cases) {
      const response = await asA('POST', '/v1/agents', body);
      expect({ body, status: response.status, code: response.body.error?.code }).toEqual({ body, status: 400, code });
      const named = JSON.stringify(response.body.error.details);
      expect({ body, named: named.includes(`"${field}`) }).toEqual({ body, named: true });
    }
    expect((await asA('GET', '/v1/agents/ok-name')).status).toBe(404);
    expect((await asA('GET', '/v1/agents/BAD_NAME')).status).toBe(400);
    expect((await asA('GET', '/v1/agents/ok-name?version=zero')).status).toBe(400);
    const badReference = await asA('POST', '/v1/runs', { agent: 'writer@0', message: 'go' });
    expect(badReference.status).toBe(400);
    expect(badReference.body.error.details.issues[0].field).toBe('body.agent');
  });

  it("starts runs by agent name with the agent's instructions, pinned versions and the run's overrides", async () => {
    const name = `runner-${ulid().toLowerCase()}`;
    expect((await asA('POST', '/v1/agents', {
      name, instructions: `Be brief. ${markers.v1}`, model: `local/${model}`, tools: ['read_file'], limits: { maxSteps: 5, stepTimeoutSeconds: 120 },
    })).status).toBe(201);
    expect((await asA('PUT', `/v1/agents/${name}`, { instructions: `Be briefer. ${markers.v2}`, model: `local/${model}`, tools: ['read_file'] })).status).toBe(200);

    const latest = await asA('POST', '/v1/runs', { agent: name, message: 'Say something' });
    const pinned = await asA('POST', '/v1/runs', { agent: `${name}@1`, message: 'Say something', limits: { maxSteps: 9 } });
    const overridden = await asA('POST', '/v1/runs', { agent: `${name}@1`, message: 'Say something', instructions: `Your own. ${markers.override}` });
    const plain = await asA('POST', '/v1/runs', { message: 'Say something', model: `local/${model}` });
    for (const response of [latest, pinned, overridden, plain]) expect(response.status).toBe(202);
    expect(latest.body.agent).toEqual({ name, version: 2 });
    expect(pinned.body.agent).toEqual({ name, version: 1 });
    expect(plain.body.agent).toBeNull();

    const answers = await Promise.all([latest, pinned, overridden, plain].map(async (response) => {
      const run = await waitForRun(harness.apiUrl, harness.keys.a, response.body.id);
      expect(run.status).toBe('completed');
      return run.outcome.answer as string;
    }));
    expect(answers).toEqual([
      'Answer under version 2.', 'Answer under version 1.', 'Answer under the run\'s own instructions.', 'Answer under the default instructions.',
    ]);

    const shown = await asA('GET', `/v1/runs/${pinned.body.id}`);
    expect(shown.body).toMatchObject({ agent: { name, version: 1 }, model: `local/${model}` });
    // Limits merge key by key: the run's maxSteps, the agent's stepTimeoutSeconds.
    const row = await new RunsRepository(harness.services.database.db).get(harness.tenantIds.a, pinned.body.id);
    expect(row?.spec).toMatchObject({ tools: ['read_file'], limits: { maxSteps: 9, stepTimeoutSeconds: 120 }, agent: { name, version: 1 } });
    const transcript = await asA('GET', `/v1/runs/${latest.body.id}/messages`);
    expect(transcript.body.messages[0].message).toMatchObject({ type: 'system' });
    expect(JSON.stringify(transcript.body.messages[0].message)).toContain(markers.v2);

    // A run naming another model replaces the agent's model choice, and keeps its instructions.
    const otherModel = `${model}-other`;
    const switched = await asA('POST', '/v1/runs', { agent: name, message: 'Say something', model: `local/${otherModel}` });
    expect(switched.status).toBe(202);
    expect(switched.body).toMatchObject({ model: `local/${otherModel}`, agent: { name, version: 2 } });
    expect((await waitForRun(harness.apiUrl, harness.keys.a, switched.body.id)).outcome.answer).toBe('Answer under version 2.');

    const missing = await asA('POST', '/v1/runs', { agent: `${name}@7`, message: 'Say something' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', message: `agent ${name}@7 not found`, details: { field: 'agent' } });
  }, 120_000);
});
