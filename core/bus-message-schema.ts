// The schema of a message read back from the Redis event bus (core/events.ts BusMessage): another
// process wrote it, so it is parsed, not cast. Kept out of core/events.ts so workflows, which import
// event types, do not bundle zod.
import { z } from 'zod';
import type { BusMessage } from './events';

// Loose objects: a field added by a newer producer passes through, as it did before parsing.
const runEventSchema = z.looseObject({ id: z.number(), runId: z.string(), type: z.string(), data: z.record(z.string(), z.unknown()), at: z.string() });

const deltaEventSchema = z.looseObject({
  runId: z.string(),
  type: z.literal('delta'),
  data: z.looseObject({ step: z.number(), model: z.string(), kind: z.enum(['text', 'reasoning', 'tool-call']), text: z.string(), callId: z.string().optional() }),
});

export const busMessageSchema: z.ZodType<BusMessage> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), event: runEventSchema }),
  z.object({ kind: z.literal('delta'), delta: deltaEventSchema }),
]);
