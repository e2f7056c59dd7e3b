// Memory in runs, end to end on PGlite with pgvector: automatic recall joins a run's context on its
// first step (both wire formats), and note extraction asks the model for a finished run's facts,
// records them through the write path and never twice.
import { createProvider } from '../../../providers';
import { NoteExtractionsRepository } from '../../../stores/notes';
import { noteExtractions } from '../../../stores/schema';
import { UsageLedger } from '../../../activities/records/usage-ledger';
import { UsageRepository } from '../../../stores/usage-repository';
import { TranscriptRepository } from '../../../stores/transcript-repository';
import { extractRunNotes, type NoteExtractionDeps } from '../../../activities/checks/note-extraction';
import { eq } from 'drizzle-orm';
import { api, waitForRun } from '../../support/api-client';
import { startHarness, type Harness } from '../../support/keel-harness';

const EXTRACTION_ANSWER = 'Here you go:\n```json\n[{"content": "The app deploys to Fly.io.", "category": "project_info"}, {"content": "The user prefers tabs over spaces.", "category": "user_preference", "importance": 0.95}]\n```';

describe('memory in runs', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ database: 'pglite' });
    harness.modelServer.addScenario({ name: 'memory-recall', models: 'recall-*', rules: [{ reply: { text: 'Use pnpm.' } }] });
    harness.modelServer.addScenario({
      name: 'memory-extract',
      models: 'extract-*',
      rules: [{ promptIncludes: 'The conversation:', reply: { text: EXTRACTION_ANSWER } }, { reply: { text: 'Deployed.' } }],
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function runToEnd(key: string, body: Record<string, unknown>): Promise<{ id: string; messages: any[] }> {
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key, body: { tools: [], ...body } });
    expect(created.status).toBe(202);
    const finished = await waitForRun(harness.apiUrl, key, created.body.id);
    expect(finished.status).toBe('completed');
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${created.body.id}/messages`, { key });
    return { id: created.body.id, messages: transcript.body.messages };
  }

  const recallMessages = (messages: any[]) => messages.filter((entry) => entry.message?.type === 'system' && entry.message.text.startsWith('Notes from earlier runs'));

  it('recalls the user\'s notes into the first step\'s context, for both wire formats', async () => {
    const noted = await api(harness.apiUrl, 'POST', '/v1/notes', { key: harness.keys.a, body: { content: 'The user prefers pnpm over npm.', category: 'user_preference' } });
    expect(noted.status).toBe(201);

    for (const model of ['local/recall-openai', 'local-anthropic/recall-anthropic']) {
      const run = await runToEnd(harness.keys.a, { message: 'Which package manager should I use, pnpm or npm?', model });
      const recalled = recallMessages(run.messages);
      expect(recalled).toHaveLength(1);
      expect(recalled[0].message.text).toContain('The user prefers pnpm over npm.');
      // After the first user message, written once.
      const order = run.messages.map((entry: any) => entry.message.type);
      expect(order.indexOf('system', 1)).toBeGreaterThan(order.indexOf('user'));
      const request = harness.modelServer.requests({ model: model.split('/')[1] }).at(-1)?.body as any;
      // Both providers carry every system message in the system prompt.
      const systemText = model.startsWith('local/') ? request.messages.filter((message: any) => message.role === 'system').map((message: any) => message.content).join('\n') : request.system;
      expect(systemText).toContain('The user prefers pnpm over npm.');
    }
  });

  it('recalls nothing for a tenant without notes, or when the run\'s policy turns recall off', async () => {
    const other = await runToEnd(harness.keys.b, { message: 'Which package manager should I use, pnpm or npm?', model: 'local/recall-openai' });
    expect(recallMessages(other.messages)).toEqual([]);
    const off = await runToEnd(harness.keys.a, { message: 'Which package manager should I use, pnpm or npm?', model: 'local/recall-openai', policy: { memory: { autoRecall: false } } });
    expect(recallMessages(off.messages)).toEqual([]);
  });

  it('extracts a finished run\'s facts once, through the write path', async () => {
    const run = await runToEnd(harness.keys.a, { message: 'Deploy my app to Fly.io. I prefer tabs over spaces.', model: 'local/extract-1' });
    const db = harness.services.database.db;
    const deps: NoteExtractionDeps = {
      memory: harness.services.memory, catalog: harness.services.catalog, providerFor: createProvider,
      transcripts: new TranscriptRepository(db), extractions: new NoteExtractionsRepository(db),
      ledger: new UsageLedger(new UsageRepository(db)),
    };
    const input = { runId: run.id, tenantId: harness.tenantIds.a, userId: 'user-a', modelId: 'local/extract-1' };
    const first = await extractRunNotes(deps, input);
    expect(first.noteIds).toHaveLength(2);
    const extractRequests = () => harness.modelServer.requests({ model: 'extract-1' }).filter((request: any) => request.body.messages.some((message: any) => String(message.content).includes('The conversation:')));
    expect(extractRequests()).toHaveLength(1);
    expect(JSON.stringify(extractRequests()[0]!.body)).toContain('Deploy my app to Fly.io.');

    const listed = await api(harness.apiUrl, 'GET', '/v1/notes?userId=user-a&limit=100', { key: harness.keys.a });
    const extracted = listed.body.notes.filter((note: any) => note.runId === run.id);
    expect(extracted.map((note: any) => [note.content, note.category, note.importance])).toEqual(expect.arrayContaining([
      ['The app deploys to Fly.io.', 'project_info', 0.8],
      ['The user prefers tabs over spaces.', 'user_preference', 0.95],
    ]));

    // A retry finds the run-level marker and asks nothing.
    expect(await extractRunNotes(deps, input)).toEqual({ noteIds: first.noteIds, skipped: 'already-extracted' });
    expect(extractRequests()).toHaveLength(1);
    // Even without the marker (a crash before it was written), the notes' ids are the same: nothing doubles.
    await db.delete(noteExtractions).where(eq(noteExtractions.runId, run.id));
    expect((await extractRunNotes(deps, input)).noteIds).toEqual(first.noteIds);
    const again = await api(harness.apiUrl, 'GET', '/v1/notes?userId=user-a&limit=100&history=true', { key: harness.keys.a });
    expect(again.body.notes.filter((note: any) => note.runId === run.id)).toHaveLength(2);
  });
});
