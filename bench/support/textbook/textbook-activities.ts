// The textbook loop's two activities: a model call with the official `openai` SDK (the whole
// transcript in, one message out) and one tool call with Keel's own tool implementation.
import { mkdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { createToolRegistry, runTool } from '../../../tools';
import type { NotesPort } from '../../../tools/types';

export type TextbookToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };
export type TextbookAssistantMessage = { role: 'assistant'; content: string | null; tool_calls?: TextbookToolCall[] };
export type TextbookMessage =
  | { role: 'system' | 'user'; content: string }
  | TextbookAssistantMessage
  | { role: 'tool'; tool_call_id: string; content: string };

const NO_NOTES: NotesPort = {
  record: async () => { throw new Error('notes are not part of the benchmark'); },
  recall: async () => [],
};

export function createTextbookActivities(baseURL: string) {
  const client = new OpenAI({ baseURL, apiKey: 'not-needed', maxRetries: 0 });
  const registry = createToolRegistry();
  const tools = registry.specs().map((spec) => ({ type: 'function' as const, function: { name: spec.name, description: spec.description, parameters: spec.parameters } }));
  return {
    async callModel(input: { model: string; messages: TextbookMessage[] }): Promise<TextbookAssistantMessage> {
      const completion = await client.chat.completions.create({ model: input.model, messages: input.messages, tools });
      const reply = completion.choices[0]?.message;
      if (!reply) throw new Error('model returned no choice');
      const calls = (reply.tool_calls ?? []).flatMap((call) => (call.type === 'function' ? [{ id: call.id, type: 'function' as const, function: call.function }] : []));
      return { role: 'assistant', content: reply.content, ...(calls.length > 0 && { tool_calls: calls }) };
    },
    async runTool(input: { workspace: string; callId: string; name: string; arguments: string }): Promise<string> {
      mkdirSync(input.workspace, { recursive: true });
      const workspace = realpathSync(input.workspace);
      const result = await runTool(registry, input.name, JSON.parse(input.arguments), {
        runId: 'textbook', tenantId: 'bench', callId: input.callId, workspace, jobsDir: path.join(workspace, '..', 'textbook-jobs'),
        heartbeat: () => undefined, notes: NO_NOTES,
      });
      return result.output;
    },
  };
}

export type TextbookActivities = ReturnType<typeof createTextbookActivities>;
