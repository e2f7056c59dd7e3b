// The shipped offline demo scenario, driven through the OpenAI and Anthropic providers like the
// agent loop would: write hello.txt, read it back, run a command, then summarise — and say so when
// the worker refused the command (no sandbox), rather than claim it listed the folder.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Message, ProviderKind, ToolCallPart } from '../../../core/messages';
import { BUILT_IN_SCENARIO_DIR, loadScenarioDirectory, startModelServer, type ModelServer } from '../../../model-server';
import { createProvider } from '../../../providers';

let server: ModelServer;

beforeAll(async () => {
  server = await startModelServer({ scenarioDir: BUILT_IN_SCENARIO_DIR });
});

afterAll(async () => {
  await server.close();
});

const REFUSED_BASH = 'bash is disabled on this worker. No working bubblewrap sandbox (no bwrap executable on PATH): install it with apt-get install bubblewrap.';

/** Drives the demo for four turns; `bashOutput` is what the bash call answers. */
async function driveDemo(provider: ProviderKind, bashOutput: { output: string; isError: boolean }) {
  const spec = { id: 'keel-demo', provider, model: 'keel-demo', baseURL: provider === 'openai' ? server.openaiBaseURL : server.url };
  const model = createProvider(spec);
  let messages: Message[] = [{ type: 'user', text: `Show me what you can do (${provider}, ${bashOutput.isError ? 'refused' : 'ok'}).` }];
  const calls: Pick<ToolCallPart, 'toolName' | 'arguments'>[] = [];
  let answer = '';
  for (let turn = 0; turn < 4; turn += 1) {
    const response = await model.complete({ spec, messages, tools: [] }, turn % 2 ? { onDelta: () => undefined } : {});
    messages = [...messages, response.message];
    for (const part of response.message.parts) {
      if (part.type === 'text') answer = part.text;
      if (part.type !== 'tool-call') continue;
      calls.push({ toolName: part.toolName, arguments: part.arguments });
      const result = part.toolName === 'bash' ? bashOutput : { output: 'ok', isError: false };
      messages.push({ type: 'tool-result', callId: part.callId, toolName: part.toolName, ...result });
    }
    if (turn === 3) expect(response.finishReason).toBe('stop');
  }
  return { calls, answer };
}

describe.each<ProviderKind>(['openai', 'anthropic'])('the demo scenario over %s', (provider) => {
  it('answers honestly when the worker refused bash: it names the refusal and the fix, and claims no listing', async () => {
    const { answer } = await driveDemo(provider, { output: REFUSED_BASH, isError: true });
    expect(answer).toContain('could not list the folder');
    expect(answer).toContain('apt-get install bubblewrap');
    expect(answer).not.toContain('listed the workspace');
  });

  it('writes hello.txt, reads it back, runs ls and wc, then answers with a summary', async () => {
    const { calls, answer } = await driveDemo(provider, { output: 'hello.txt\n72 hello.txt\n\nExit code: 0', isError: false });
    expect(answer).toContain('listed the workspace');
    expect(calls).toEqual([
      { toolName: 'write_file', arguments: { path: 'hello.txt', content: expect.stringContaining('Hello') } },
      { toolName: 'read_file', arguments: { path: 'hello.txt' } },
      { toolName: 'bash', arguments: { command: 'ls -la && wc -c hello.txt' } },
    ]);
  });
});

describe('scenario folders', () => {
  it('names the file of a scenario that is not valid', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'keel-scenarios-'));
    try {
      await writeFile(path.join(folder, 'bad.json'), JSON.stringify({ name: 'bad', models: [], rules: [] }));
      await expect(loadScenarioDirectory(folder)).rejects.toThrow(/invalid scenario .*bad\.json: models/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
