// Request and response shapes of the eval routes (scores of a run, a scoring asked for, an agent's aggregates).
import { z } from 'zod';
import { expectedSchema, SCORER_KINDS, scorersSchema } from '../core/evals';

export const scoreRunBody = z.object({
  scorers: scorersSchema.optional().describe('The scorers to apply; default: those of the agent the run started from.'),
  expected: expectedSchema.optional().describe('What the run was expected to produce; rubric judges see it as the reference.'),
}).strict();
export type ScoreRunBody = z.infer<typeof scoreRunBody>;

export const scoreResource = z.object({
  id: z.string(),
  runId: z.string(),
  scoringId: z.string().describe('`live` for the agent\'s sampled scoring, else the scoring request\'s id.'),
  source: z.enum(['live', 'request']),
  scorer: z.string(),
  kind: z.enum(SCORER_KINDS),
  score: z.number().describe('0..1.'),
  passed: z.boolean(),
  reason: z.string(),
  judgeModel: z.string().nullable().describe('A rubric scorer\'s judge model.'),
  agent: z.object({ name: z.string(), version: z.number() }).nullable(),
  createdAt: z.string(),
});
export type ScoreResource = z.infer<typeof scoreResource>;

export const runScoresResponse = z.object({ runId: z.string(), scores: z.array(scoreResource) });
export const scoringResponse = z.object({ runId: z.string(), scoringId: z.string(), scores: z.array(scoreResource) });

const aggregate = { n: z.number().int(), mean: z.number(), passRate: z.number() };
export const agentScoresResponse = z.object({
  agent: z.string(),
  version: z.number().nullable().describe('The version summed over; null: every version.'),
  source: z.enum(['live', 'request']).nullable().describe('The scores summed: live ones, those asked for, or (null) both.'),
  scorers: z.array(z.object({ scorer: z.string(), ...aggregate })),
  overall: z.object(aggregate),
});
export const agentScoresQuery = z.object({
  version: z.coerce.number().int().min(1).max(999_999_999).optional().describe('Only runs of this version; default: every version.'),
  source: z.enum(['live', 'request']).optional().describe('Only live scores (the agent\'s sample) or only those asked for; default: both.'),
}).strict();
