// The floor: the same agent loop with no durability — the same `openai` SDK against the same model
// server, the same tool implementation, messages kept in memory.
import { mkdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { createToolRegistry, runTool } from '../../tools';
import type { NotesPort } from '../../tools/types';

const NO_NOTES: NotesPort = {
  record: async () => { throw new Error('notes are not part of the benchmark'); },
  recall: async () => [],
};

export async function runBareLoop(options: { baseURL: string; model: string; message: string; workspace: string; maxSteps: number }): Promise<{ steps: number; answer: string }> {
  const client = new OpenAI({ baseURL: options.baseURL, apiKey: 'not-needed', maxRetries: 0 });
  const registry = createToolRegistry();
  const tools = registry.specs().map((spec) => ({ type: 'function' as const, function: { name: spec.name, description: spec.description, parameters: spec.parameters } }));
  mkdirSync(options.workspace, { recursive: true });
  const workspace = realpathSync(options.workspace);
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: 'You are a benchmark agent.' },
    { role: 'user', content: options.message },
  ];
  for (let step = 1; step <= options.maxSteps; step += 1) {
    const completion = await client.chat.completions.create({ model: options.model, messages, tools });
    const reply = completion.choices[0]?.message;
    if (!reply) throw new Error('model returned no choice');
    messages.push(reply);
    const calls = reply.tool_calls ?? [];
    if (calls.length === 0) return { steps: step, answer: reply.content ?? '' };
    for (const [index, call] of calls.entries()) {
      if (call.type !== 'function') continue;
      const result = await runTool(registry, call.function.name, JSON.parse(call.function.arguments), {
        runId: 'bare', tenantId: 'bench', callId: `s${step}_${index}`, workspace, jobsDir: path.join(workspace, '..', 'bare-jobs'),
        heartbeat: () => undefined, notes: NO_NOTES,
      });
      messages.push({ role: 'tool', tool_call_id: call.id, content: result.output });
    }
  }
  throw new Error(`bare loop hit ${options.maxSteps} steps`);
}
