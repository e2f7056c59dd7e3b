// The reference a bench compares Keel with: the textbook Temporal agent loop. One model activity and
// one tool activity per call, the whole transcript passed through history on every model call.
// Deterministic: only @temporalio/workflow, types from the activities.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { TextbookActivities, TextbookMessage } from './textbook-activities';

export type TextbookLoopInput = { model: string; message: string; maxSteps: number; workspace: string; local: boolean };

const TIMEOUTS = { startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3 } } as const;
const regular = proxyActivities<TextbookActivities>(TIMEOUTS);
const local = proxyLocalActivities<TextbookActivities>(TIMEOUTS);

export async function textbookLoop(input: TextbookLoopInput): Promise<{ steps: number; answer: string }> {
  const activities = input.local ? local : regular;
  const messages: TextbookMessage[] = [
    { role: 'system', content: 'You are a benchmark agent.' },
    { role: 'user', content: input.message },
  ];
  for (let step = 1; step <= input.maxSteps; step += 1) {
    const reply = await activities.callModel({ model: input.model, messages });
    messages.push(reply);
    const calls = reply.tool_calls ?? [];
    if (calls.length === 0) return { steps: step, answer: reply.content ?? '' };
    for (const call of calls) {
      const output = await activities.runTool({ workspace: input.workspace, callId: call.id, name: call.function.name, arguments: call.function.arguments });
      messages.push({ role: 'tool', tool_call_id: call.id, content: output });
    }
  }
  throw new Error(`textbook loop hit ${input.maxSteps} steps`);
}
