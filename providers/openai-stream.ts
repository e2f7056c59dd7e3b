// Assembles OpenAI chat-completion chunks into one completion (tool-call fragments joined by
// index) while reporting text, reasoning and tool-call deltas as they arrive.
import { z } from 'zod';
import { MalformedResponseError } from './model-call-errors';
import type { ChatCompletionShape } from './openai-response';
import type { StreamProgress } from './stream-progress';
import { ThinkTagStreamSplitter } from './think-tags';

const chunkSchema = z.looseObject({
  id: z.string().nullish(),
  choices: z.array(z.looseObject({
    delta: z.looseObject({
      content: z.string().nullish(),
      reasoning_content: z.string().nullish(),
      reasoning: z.string().nullish(),
      tool_calls: z.array(z.looseObject({
        index: z.number().int().nonnegative(),
        id: z.string().nullish(),
        function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
      })).nullish(),
    }).nullish(),
    finish_reason: z.string().nullish(),
  })).nullish(),
  usage: z.looseObject({}).nullish(),
});

type ToolCallDraft = { id: string; name: string; arguments: string };

export class OpenAIStreamAssembler {
  private id: string | undefined;
  private content = '';
  private reasoning = '';
  private readonly toolCalls = new Map<number, ToolCallDraft>();
  private readonly splitter = new ThinkTagStreamSplitter();
  private finishReason: string | undefined;
  private usage: Record<string, unknown> | undefined;

  constructor(private readonly progress: StreamProgress) {}

  /** True once a choice carried its finish reason; a stream that ends before is broken. */
  get finished(): boolean {
    return this.finishReason !== undefined;
  }

  push(value: unknown): void {
    const parsed = chunkSchema.safeParse(value);
    if (!parsed.success) throw new MalformedResponseError(`invalid stream chunk: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    const chunk = parsed.data;
    this.id ??= chunk.id ?? undefined;
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const delta = choice.delta;
    const reasoning = delta?.reasoning_content ?? delta?.reasoning;
    if (reasoning) {
      this.reasoning += reasoning;
      this.progress.report({ type: 'reasoning-delta', text: reasoning });
    }
    if (delta?.content) {
      this.content += delta.content;
      for (const piece of this.splitter.push(delta.content)) this.reportPiece(piece);
    }
    for (const fragment of delta?.tool_calls ?? []) this.pushToolCall(fragment);
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  private pushToolCall(fragment: { index: number; id?: string | null; function?: { name?: string | null; arguments?: string | null } | null }): void {
    const draft = this.toolCalls.get(fragment.index) ?? { id: '', name: '', arguments: '' };
    const isNew = !this.toolCalls.has(fragment.index);
    this.toolCalls.set(fragment.index, draft);
    if (fragment.id) draft.id = fragment.id;
    if (fragment.function?.name) draft.name += fragment.function.name;
    const argumentsDelta = fragment.function?.arguments ?? '';
    draft.arguments += argumentsDelta;
    if (isNew || argumentsDelta) {
      this.progress.report({
        type: 'tool-call-delta',
        index: fragment.index,
        ...(fragment.id && { callId: fragment.id }),
        ...(fragment.function?.name && { toolName: fragment.function.name }),
        argumentsDelta,
      });
    }
  }

  private reportPiece(piece: { kind: 'text' | 'reasoning'; text: string }): void {
    this.progress.report(piece.kind === 'text' ? { type: 'text-delta', text: piece.text } : { type: 'reasoning-delta', text: piece.text });
  }

  /** The assembled completion, in the non-streaming response's shape. */
  completion(): ChatCompletionShape {
    for (const piece of this.splitter.flush()) this.reportPiece(piece);
    const toolCalls = [...this.toolCalls.entries()]
      .sort(([left], [right]) => left - right)
      .map(([, draft]) => ({ id: draft.id, type: 'function', function: { name: draft.name, arguments: draft.arguments } }));
    return {
      id: this.id,
      choices: [{
        message: {
          content: this.content || null,
          reasoning_content: this.reasoning || null,
          tool_calls: toolCalls.length > 0 ? toolCalls : null,
        },
        finish_reason: this.finishReason ?? null,
      }],
      usage: this.usage as ChatCompletionShape['usage'],
    };
  }
}
