// Context management end to end (HTTP API, worker, local model server through the real SDK): a 50 KB
// tool output reaches the next request only as a summary with a reference that read_tool_output
// pages through, and a long conversation over a small window is cut with a stored summary so that
// no request exceeds the window.
import { ulid } from 'ulid';
import { createTokenCounter } from '../../core/context';
import type { Message } from '../../core/messages';
import type { ToolSpec } from '../../core/tool-spec';
import { ToolResultsRepository } from '../../stores/tool-results-repository';
import { contextSummaries, tokenCalibrations } from '../../stores/schema';
import { eq } from 'drizzle-orm';
import { api, readSse, waitForRun } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

type WireMessage = { role: string; content?: string | null; tool_call_id?: string; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }> };
type WireBody = { model: string; messages: WireMessage[]; tools?: Array<{ function: { name: string; description: string; parameters: Record<string, unknown> } }>; max_tokens?: number };

async function loggedRequests(harness: Harness, model: string): Promise<WireBody[]> {
  const response = await fetch(`${harness.modelServer.url}/_admin/requests?model=${encodeURIComponent(model)}`);
  const { requests } = (await response.json()) as { requests: Array<{ body: WireBody }> };
  return requests.map((request) => request.body);
}

function firstUserText(body: WireBody): string {
  return body.messages.find((message) => message.role === 'user')?.content ?? '';
}

/** The wire request read back as Keel messages, so the test counts what the provider really received. */
function fromWire(body: WireBody): { messages: Message[]; tools: ToolSpec[] } {
  const toolNames = new Map<string, string>();
  const messages: Message[] = body.messages.map((message): Message => {
    if (message.role === 'system') return { type: 'system', text: message.content ?? '' };
    if (message.role === 'user') return { type: 'user', text: message.content ?? '' };
    if (message.role === 'tool') return { type: 'tool-result', callId: message.tool_call_id ?? '', toolName: toolNames.get(message.tool_call_id ?? '') ?? '', output: message.content ?? '', isError: false };
    for (const call of message.tool_calls ?? []) toolNames.set(call.id, call.function.name);
    return {
      type: 'assistant',
      parts: [
        ...(message.content ? [{ type: 'text' as const, text: message.content }] : []),
        ...(message.tool_calls ?? []).map((call) => ({ type: 'tool-call' as const, callId: call.id, toolName: call.function.name, arguments: JSON.parse(call.function.arguments) as Record<string, unknown>, rawArguments: call.function.arguments })),
      ],
    };
  });
  const tools = (body.tools ?? []).map((tool) => ({ name: tool.function.name, description: tool.function.description, parameters: tool.function.parameters }));
  return { messages, tools };
}

describe('context management in a run', () => {
  let harness: Harness;
  const smallModel = `gpt-4o-ctx-${ulid().toLowerCase()}`;
  const window = 6_000;
  const maxOutput = 1_000;

  beforeAll(async () => {
    harness = await startHarness({
      models: (modelServer) => [
        { id: 'ctx-small', provider: 'openai', model: smallModel, baseURL: modelServer.openaiBaseURL, contextWindow: window, maxOutputTokens: maxOutput },
        { id: 'ctx-tiny', provider: 'openai', model: smallModel, baseURL: modelServer.openaiBaseURL, contextWindow: 1_100, maxOutputTokens: 1_000 },
      ],
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('sends a 50 KB tool output to the model as a summary and a reference that read_tool_output pages through', async () => {
    const name = `ctx-big-${ulid().toLowerCase()}`;
    // Steps are numbered from 1 and call ids are call_<turn>_<index>: read_file runs in step 2.
    const reference = 's2_0_call_1_0';
    harness.modelServer.addScenario({
      name,
      models: `${name}*`,
      rules: [
        { promptIncludes: 'Summarise the output of the tool', reply: { text: 'SUMMARY: a generated report of 800 numbered lines.' } },
        { turn: 0, reply: { toolCalls: [{ name: 'bash', arguments: { command: "seq -f 'line %g of the generated report, padded so that every line is long enough' 1 800 > report.txt" } }] } },
        { turn: 1, reply: { toolCalls: [{ name: 'read_file', arguments: { path: 'report.txt' } }] } },
        { turn: 2, reply: { toolCalls: [{ name: 'read_tool_output', arguments: { reference } }] } },
        { turn: 3, reply: { toolCalls: [{ name: 'read_tool_output', arguments: { reference, offset: 700, limit: 50 } }] } },
        { reply: { text: 'The report has 800 lines.' } },
      ],
    });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Read the report (${name})`, model: `local/${name}` } });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId);
    expect(run.status).toBe('completed');

    const full = await new ToolResultsRepository(harness.services.database.db).readOutput({ tenantId: harness.tenantIds.a, runId }, reference);
    expect(full?.toolName).toBe('read_file');
    expect(full!.output.length).toBeGreaterThan(50_000);

    // The request after read_file carries the summary and the reference, not the 50 KB.
    const requests = (await loggedRequests(harness, `${name}*`)).filter((body) => !firstUserText(body).startsWith('Summarise'));
    const afterRead = requests[2]!;
    const toolMessage = afterRead.messages.at(-1)!;
    expect(toolMessage.role).toBe('tool');
    expect(toolMessage.content).toMatch(/^SUMMARY: a generated report of 800 numbered lines\.\n\[full output: ref s2_0_call_1_0, \d+ tokens; call read_tool_output to see it\]$/);
    expect(JSON.stringify(afterRead).length).toBeLessThan(20_000);
    expect(JSON.stringify(afterRead)).not.toContain('line 700 of the generated report');
    // The summary model was asked once, with the output in its prompt.
    const summaryRequests = (await loggedRequests(harness, `${name}*`)).filter((body) => firstUserText(body).startsWith('Summarise the output of the tool read_file'));
    expect(summaryRequests).toHaveLength(1);

    // read_tool_output returns the stored output, a page at a time.
    const transcript = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages`, { key: harness.keys.a });
    const pages = (transcript.body.messages as Array<{ message: Message }>).map((entry) => entry.message)
      .filter((message): message is Extract<Message, { type: 'tool-result' }> => message.type === 'tool-result' && message.toolName === 'read_tool_output');
    expect(pages).toHaveLength(2);
    const fullLines = full!.output.split('\n');
    const [firstHeader, ...firstLines] = pages[0]!.output.split('\n');
    expect(firstHeader).toMatch(/^\[read_file output ref s2_0_call_1_0: lines 1-\d+ of \d+; continue with offset \d+\]$/);
    expect(firstLines).toEqual(fullLines.slice(0, firstLines.length));
    const [secondHeader, ...secondLines] = pages[1]!.output.split('\n');
    expect(secondHeader).toMatch(/^\[read_file output ref s2_0_call_1_0: lines 700-749 of \d+; continue with offset 750\]$/);
    expect(secondLines).toEqual(fullLines.slice(699, 749));
    expect(secondLines.join('\n')).toContain('line 720 of the generated report');

    // The model has no published tokenizer: its ratio was learned from the reported usage and stored.
    let calibration: Array<typeof tokenCalibrations.$inferSelect> = [];
    for (let attempt = 0; attempt < 30 && calibration.length === 0; attempt += 1) {
      calibration = await harness.services.database.db.select().from(tokenCalibrations).where(eq(tokenCalibrations.model, name));
      if (calibration.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(calibration[0]?.samples).toBeGreaterThanOrEqual(1);
    expect(calibration[0]?.ratio).toBeGreaterThan(0.5);

    const events = await readSse(harness.apiUrl, harness.keys.a, runId);
    const readFinished = events.find((event) => event.event === 'tool-call.finished' && event.data.data.toolName === 'read_file');
    expect(readFinished?.data.data.compressed).toEqual({ reference, contextChars: toolMessage.content!.length });
  });

  it('cuts a long conversation over a small window with one stored summary, and no request exceeds the window', async () => {
    harness.modelServer.addScenario({
      name: smallModel,
      models: `${smallModel}*`,
      rules: [
        { promptIncludes: 'Summarise the earlier part of an agent conversation', reply: { text: 'EARLIER: the agent printed many rows of filler text.' } },
        { reply: { toolCalls: [{ name: 'bash', arguments: { command: "printf 'row %s: some words to fill the context window quickly\\n' $(seq 1 20)" } }] } },
      ],
    });
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: 'Print rows until told to stop.', model: 'ctx-small', tools: ['bash', 'read_tool_output'], limits: { maxSteps: 30 } },
    });
    expect(created.status).toBe(202);
    const runId = created.body.id as string;
    const run = await waitForRun(harness.apiUrl, harness.keys.a, runId, 120_000);
    expect(run.status).toBe('step_limit_reached');

    const all = await loggedRequests(harness, `${smallModel}*`);
    const steps = all.filter((body) => !firstUserText(body).startsWith('Summarise'));
    const summaries = all.filter((body) => firstUserText(body).startsWith('Summarise the earlier part'));
    expect(steps).toHaveLength(30);
    const counter = createTokenCounter('gpt-4o', 'openai');
    for (const body of steps) {
      const { messages, tools } = fromWire(body);
      expect(counter.countRequest(undefined, messages, tools)).toBeLessThanOrEqual(window - maxOutput);
    }
    // The last requests carry the summary in place of the middle, and keep the system prompt and the task.
    const last = steps.at(-1)!;
    expect(last.messages[0]!.role).toBe('system');
    expect(last.messages.some((message) => message.role === 'user' && message.content === 'Print rows until told to stop.')).toBe(true);
    expect(last.messages.some((message) => message.role === 'user' && /^\[Summary of \d+ earlier messages\]\nEARLIER: the agent printed/.test(message.content ?? ''))).toBe(true);
    // Summaries are reused across steps (the cut leaves headroom), and each later one extends the previous.
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    expect(summaries.length).toBeLessThan(10);
    if (summaries[1]) expect(firstUserText(summaries[1])).toContain('Summary so far:\nEARLIER: the agent printed');
    const stored = await harness.services.database.db.select().from(contextSummaries).where(eq(contextSummaries.runId, runId));
    expect(stored).toHaveLength(summaries.length);

    const events = await readSse(harness.apiUrl, harness.keys.a, runId);
    const truncated = events.filter((event) => event.event === 'context.truncated');
    expect(truncated.length).toBeGreaterThan(5);
    for (const event of truncated) {
      expect(event.data.data.totalTokens).toBeLessThanOrEqual(window - maxOutput);
      expect(['new', 'reused']).toContain(event.data.data.summary);
      expect(event.data.data.droppedMessages).toBeGreaterThan(0);
    }
  });

  it('fails a model whose window cannot hold the system prompt and the request, without calling it', async () => {
    const before = (await loggedRequests(harness, `${smallModel}*`)).length;
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: 'Anything.', model: 'ctx-tiny', tools: ['bash'] } });
    const run = await waitForRun(harness.apiUrl, harness.keys.a, created.body.id as string);
    expect(run.status).toBe('failed');
    expect(run.outcome.error).toContain('ModelContextTooSmall');
    expect(run.outcome.error).toContain('the context does not fit');
    expect((await loggedRequests(harness, `${smallModel}*`)).length).toBe(before);
  });
});
