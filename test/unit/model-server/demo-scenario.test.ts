// The shipped offline demo scenario, driven through the OpenAI and Anthropic providers like the
// agent loop would: write hello.txt, read it back, run a command, then summarise.
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

describe.each<ProviderKind>(['openai', 'anthropic'])('the demo scenario over %s', (provider) => {
  it('writes hello.txt, reads it back, runs ls and wc, then answers with a summary', async () => {
    const spec = { id: 'keel-demo', provider, model: 'keel-demo', baseURL: provider === 'openai' ? server.openaiBaseURL : server.url };
    const model = createProvider(spec);
    let messages: Message[] = [{ type: 'user', text: `Show me what you can do (${provider}).` }];
    const calls: Pick<ToolCallPart, 'toolName' | 'arguments'>[] = [];
    for (let turn = 0; turn < 4; turn += 1) {
      const response = await model.complete({ spec, messages, tools: [] }, turn % 2 ? { onDelta: () => undefined } : {});
      messages = [...messages, response.message];
      for (const part of response.message.parts) {
        if (part.type !== 'tool-call') continue;
        calls.push({ toolName: part.toolName, arguments: part.arguments });
        messages.push({ type: 'tool-result', callId: part.callId, toolName: part.toolName, output: 'ok', isError: false });
      }
      if (turn === 3) expect(response.finishReason).toBe('stop');
    }
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
