// Skills end to end: SKILL.md documents uploaded over the API and read from KEEL_SKILLS_DIR; a run
// lists their names and descriptions in its system prompt (not their bodies), loads one with
// get_skill and follows it; the routes validate what they are given and stay within the tenant.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { api, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

const RELEASE_NOTES = `---
name: release-notes
description: How to write release notes for this team
---
Write the file CHANGES.md with the heading "## Unreleased" and one bullet per change.
`;

describe('skills', () => {
  let harness: Harness;
  const skillsDir = mkdtempSync(path.join(os.tmpdir(), 'keel-skills-'));

  beforeAll(async () => {
    mkdirSync(path.join(skillsDir, 'shared-style'));
    writeFileSync(path.join(skillsDir, 'shared-style', 'SKILL.md'), '---\ndescription: The house style for prose\n---\nShort sentences. No jargon.\n');
    mkdirSync(path.join(skillsDir, 'broken'));
    writeFileSync(path.join(skillsDir, 'broken', 'SKILL.md'), 'no front matter here\n');
    harness = await startHarness({ database: 'postgres', environment: { KEEL_SKILLS_DIR: skillsDir } });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('saves, lists, reads and deletes a tenant skill beside the directory\'s, and keeps it from other tenants', async () => {
    const key = harness.keys.a;
    const created = await api(harness.apiUrl, 'PUT', '/v1/skills/release-notes', { key, body: { markdown: RELEASE_NOTES } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'release-notes', description: 'How to write release notes for this team', source: 'tenant' });
    expect(created.body.body).toBe('Write the file CHANGES.md with the heading "## Unreleased" and one bullet per change.');
    const replaced = await api(harness.apiUrl, 'PUT', '/v1/skills/scratch', { key, body: { description: 'first', body: 'one' } });
    expect(replaced.status).toBe(201);
    expect((await api(harness.apiUrl, 'PUT', '/v1/skills/scratch', { key, body: { description: 'second', body: 'two' } })).status).toBe(200);
    expect((await api(harness.apiUrl, 'GET', '/v1/skills/scratch', { key })).body).toMatchObject({ description: 'second', body: 'two' });

    const listed = await api(harness.apiUrl, 'GET', '/v1/skills', { key });
    expect(listed.body.skills.map((skill: { name: string; source: string }) => [skill.name, skill.source])).toEqual([
      ['release-notes', 'tenant'], ['scratch', 'tenant'], ['shared-style', 'directory'],
    ]);
    expect(listed.body.skills[0]).not.toHaveProperty('body');
    expect((await api(harness.apiUrl, 'GET', '/v1/skills/shared-style', { key })).body.body).toBe('Short sentences. No jargon.');

    // Another tenant sees only the directory's skills.
    const other = await api(harness.apiUrl, 'GET', '/v1/skills', { key: harness.keys.b });
    expect(other.body.skills.map((skill: { name: string }) => skill.name)).toEqual(['shared-style']);
    expect((await api(harness.apiUrl, 'GET', '/v1/skills/release-notes', { key: harness.keys.b })).status).toBe(404);
    expect((await api(harness.apiUrl, 'DELETE', '/v1/skills/release-notes', { key: harness.keys.b })).status).toBe(404);

    expect((await api(harness.apiUrl, 'DELETE', '/v1/skills/scratch', { key })).status).toBe(200);
    expect((await api(harness.apiUrl, 'GET', '/v1/skills/scratch', { key })).status).toBe(404);
    expect((await api(harness.apiUrl, 'DELETE', '/v1/skills/shared-style', { key })).status).toBe(409);
  });

  it('names the field of a malformed skill in a 400', async () => {
    const key = harness.keys.a;
    const noFrontMatter = await api(harness.apiUrl, 'PUT', '/v1/skills/bad', { key, body: { markdown: 'just text' } });
    expect(noFrontMatter.status).toBe(400);
    expect(noFrontMatter.body.error.details.field).toBe('body.markdown');
    const otherName = await api(harness.apiUrl, 'PUT', '/v1/skills/bad', { key, body: { markdown: '---\nname: good\ndescription: x\n---\nbody' } });
    expect(otherName.body.error.details.field).toBe('body.markdown.name');
    const noDescription = await api(harness.apiUrl, 'PUT', '/v1/skills/bad', { key, body: { markdown: '---\nname: bad\n---\nbody' } });
    expect(noDescription.body.error.details.field).toBe('body.markdown.description');
    const missingBody = await api(harness.apiUrl, 'PUT', '/v1/skills/bad', { key, body: { description: 'x' } });
    expect(missingBody.body.error.details.field).toBe('body.body');
    const badName = await api(harness.apiUrl, 'PUT', '/v1/skills/Bad_Name', { key, body: { description: 'x', body: 'y' } });
    expect(badName.status).toBe(400);
    expect(badName.body.error.details.issues[0].field).toBe('params.name');
    const unknown = await api(harness.apiUrl, 'POST', '/v1/agents', { key, body: { name: `sk-${ulid().toLowerCase().slice(-8)}`, skills: ['release-notes', 'no-such-skill'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_skill', details: { field: 'skills.1' } });
  });

  it('lists the skills in the system prompt, loads one with get_skill and follows it', async () => {
    const key = harness.keys.a;
    await api(harness.apiUrl, 'PUT', '/v1/skills/release-notes', { key, body: { markdown: RELEASE_NOTES } });
    const scenario = `skills-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name: scenario,
      models: `${scenario}*`,
      rules: [
        { turn: 0, systemIncludes: 'release-notes: How to write release notes', reply: { toolCalls: [{ name: 'get_skill', arguments: { name: 'release-notes' } }] } },
        // Only the skill's body says what to write: the scripted model follows it when it came back.
        { turn: 1, lastMessageIncludes: 'Write the file CHANGES.md with the heading "## Unreleased"', reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'CHANGES.md', content: '## Unreleased\n- skills\n' } }] } },
        { turn: 2, reply: { text: 'Release notes written as the skill says.' } },
        { reply: { text: 'I did not get the skill.' } },
      ],
    });
    const agent = `notes-${ulid().toLowerCase().slice(-8)}`;
    const saved = await api(harness.apiUrl, 'POST', '/v1/agents', { key, body: { name: agent, model: `local/${scenario}`, tools: ['write_file', 'read_file'], skills: ['release-notes', 'shared-style'] } });
    expect(saved.status).toBe(201);
    const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key, body: { message: 'Write the release notes for the skills feature', agent } });
    expect(started.status).toBe(202);
    const run = await waitForRun(harness.apiUrl, key, started.body.id, 90_000);
    expect(run.outcome).toEqual({ type: 'completed', answer: 'Release notes written as the skill says.' });

    const written = readFileSync(path.join(harness.config.workspaceRoot, harness.tenantIds.a, started.body.id, 'CHANGES.md'), 'utf8');
    expect(written).toBe('## Unreleased\n- skills\n');
    const [first] = harness.modelServer.requests({ model: `${scenario}*` }) as Array<{ body: { messages: Array<{ role: string; content: string }>; tools: Array<{ function: { name: string } }> } }>;
    const system = first!.body.messages.find((message) => message.role === 'system')!.content;
    expect(system).toContain('- release-notes: How to write release notes for this team');
    expect(system).toContain('- shared-style: The house style for prose');
    expect(system).not.toContain('one bullet per change');
    expect(first!.body.tools.map((tool) => tool.function.name)).toEqual(['write_file', 'read_file', 'get_skill']);
  }, 120_000);

  it('gives a run every skill it can use when it names none, and none with skills: []', async () => {
    const key = harness.keys.b;
    const scenario = `skills-all-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({ name: scenario, models: `${scenario}*`, rules: [{ reply: { text: 'ok' } }] });
    for (const skills of [undefined, []]) {
      const started = await api(harness.apiUrl, 'POST', '/v1/runs', { key, body: { message: `hello ${String(skills)}`, model: `local/${scenario}`, tools: ['read_file'], ...(skills && { skills }) } });
      expect(started.status).toBe(202);
      await waitForRun(harness.apiUrl, key, started.body.id, 60_000);
    }
    const [withAll, withNone] = harness.modelServer.requests({ model: `${scenario}*` }) as Array<{ body: { messages: Array<{ role: string; content: string }>; tools: Array<{ function: { name: string } }> } }>;
    expect(withAll!.body.messages[0]!.content).toContain('- shared-style: The house style for prose');
    expect(withAll!.body.tools.map((tool) => tool.function.name)).toContain('get_skill');
    expect(withNone!.body.messages[0]!.content).not.toContain('## Skills');
    expect(withNone!.body.tools.map((tool) => tool.function.name)).toEqual(['read_file']);
  }, 120_000);
});
