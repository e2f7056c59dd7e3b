// Field schemas several event families share. Event data is read back from the database, where
// rows written by earlier versions live, so objects are loose: a field an older or newer producer
// wrote passes through untouched rather than being stripped or rejected.
import { z } from 'zod';

export const stepField = z.number().int().min(0);

export const usageSchema = z.looseObject({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number().optional(),
  reasoningTokens: z.number().optional(),
});

export const budgetSchema = z.looseObject({ maxCostPerCall: z.number().optional(), maxCostPerRun: z.number().optional() });

export const pathListSchema = z.array(z.string());

export const changeCountsSchema = z.looseObject({ created: z.number(), modified: z.number(), deleted: z.number() });

export const rollbackFailureSchema = z.looseObject({ path: z.string(), reason: z.string() });
