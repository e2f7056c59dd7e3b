// Assembles Anthropic stream events (message_start … message_stop) into one message, reporting
// text, thinking and tool-input deltas as they arrive.
import { z } from 'zod';
import { MalformedResponseError } from './model-call-errors';
import { anthropicUsageSchema, type AnthropicMessageShape } from './anthropic-response';
import type { StreamProgress } from './stream-progress';

const eventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('message_start'), message: z.looseObject({ id: z.string().nullish(), usage: anthropicUsageSchema.nullish() }) }),
  z.looseObject({ type: z.literal('content_block_start'), index: z.number(), content_block: z.looseObject({ type: z.string() }) }),
  z.looseObject({ type: z.literal('content_block_delta'), index: z.number(), delta: z.looseObject({ type: z.string() }) }),
  z.looseObject({ type: z.literal('content_block_stop'), index: z.number() }),
  z.looseObject({
    type: z.literal('message_delta'),
    delta: z.looseObject({ stop_reason: z.string().nullish() }),
    usage: anthropicUsageSchema.nullish(),
  }),
  z.looseObject({ type: z.literal('message_stop') }),
]);

type Block = Record<string, unknown> & { type: string };
type Delta = { type: string; text?: unknown; thinking?: unknown; signature?: unknown; partial_json?: unknown };

export class AnthropicStreamAssembler {
  private id: string | undefined;
  private readonly blocks: Block[] = [];
  /** Block index → position among the message's tool calls (ModelDelta's `index`). */
  private readonly toolCallIndex = new Map<number, number>();
  private stopReason: string | undefined;
  private usage: z.infer<typeof anthropicUsageSchema> = {};
  finished = false;

  constructor(private readonly progress: StreamProgress) {}

  push(value: unknown): void {
    const parsed = eventSchema.safeParse(value);
    // Pings, errors the SDK did not raise and future event types carry nothing to assemble.
    if (!parsed.success) return;
    const event = parsed.data;
    switch (event.type) {
      case 'message_start':
        this.id = event.message.id ?? undefined;
        this.usage = { ...event.message.usage };
        break;
      case 'content_block_start':
        this.startBlock(event.index, { ...event.content_block });
        break;
      case 'content_block_delta':
        this.applyDelta(event.index, event.delta as Delta);
        break;
      case 'message_delta':
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        // message_delta usage is cumulative; keep fields it leaves out.
        for (const [key, count] of Object.entries(event.usage ?? {})) if (count != null) Object.assign(this.usage, { [key]: count });
        break;
      case 'message_stop':
        this.finished = true;
        break;
    }
  }

  private startBlock(index: number, block: Block): void {
    this.blocks[index] = block;
    if (block.type === 'tool_use') {
      block.rawInput = '';
      const position = this.toolCallIndex.size;
      this.toolCallIndex.set(index, position);
      this.progress.report({ type: 'tool-call-delta', index: position, callId: String(block.id), toolName: String(block.name), argumentsDelta: '' });
    }
  }

  private applyDelta(index: number, delta: Delta): void {
    const block = this.blocks[index];
    if (!block) throw new MalformedResponseError(`delta for content block ${index} before its start`);
    if (delta.type === 'text_delta' && typeof delta.text === 'string') {
      block.text = String(block.text ?? '') + delta.text;
      this.progress.report({ type: 'text-delta', text: delta.text });
    } else if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string') {
      block.thinking = String(block.thinking ?? '') + delta.thinking;
      this.progress.report({ type: 'reasoning-delta', text: delta.thinking });
    } else if (delta.type === 'signature_delta' && typeof delta.signature === 'string') {
      block.signature = String(block.signature ?? '') + delta.signature;
    } else if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
      block.rawInput = String(block.rawInput ?? '') + delta.partial_json;
      this.progress.report({ type: 'tool-call-delta', index: this.toolCallIndex.get(index) ?? 0, argumentsDelta: delta.partial_json });
    }
  }

  /** The assembled message, in the non-streaming response's shape. */
  message(): AnthropicMessageShape {
    return {
      id: this.id,
      content: this.blocks.filter((block): block is Block => block !== undefined),
      stop_reason: this.stopReason,
      usage: this.usage,
    };
  }
}
