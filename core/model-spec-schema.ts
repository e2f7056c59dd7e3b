// The zod schema of a model spec, shared by the models file (core/config.ts) and the model pool
// file (core/model-pool/pool-config.ts), which extends it with price, window and capabilities.
import { z } from 'zod';
import { PROVIDER_KINDS } from './messages';

export const modelSpecSchema = z.object({
  id: z.string().min(1),
  provider: z.enum(PROVIDER_KINDS),
  model: z.string().min(1),
  baseURL: z.string().url().optional(),
  apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name, not a key').optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  thinkingBudgetTokens: z.number().int().positive().optional(),
  timeoutMs: z.number().int().positive().optional(),
  contextWindow: z.number().int().positive().optional(),
});
