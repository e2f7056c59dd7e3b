// The stored run spec (runs.spec, jsonb) read back through a schema rather than cast: rows written
// by earlier versions lack newer fields, so objects are loose and new fields optional.
import { z } from 'zod';
import { usageSchema } from './events/event-fields';
import { mcpServerSchema } from './mcp-servers';
import { COMPLEXITY_CHOICES, COMPLEXITY_LEVELS } from './model-pool/tiers';
import type { AgentRunInput } from './run-input';
import { runPolicySchema } from './run-policy';
import { RUN_STATUSES, type RunStatus } from './run-status';

const limitsSchema = z.looseObject({
  maxSteps: z.number().int().positive(),
  stepTimeoutSeconds: z.number().positive(),
  heartbeatTimeoutSeconds: z.number().positive(),
  historyEventsBeforeContinueAsNew: z.number().int().positive().optional(),
});

const carriedSchema = z.looseObject({
  step: z.number().int().min(0),
  usage: usageSchema,
  transcriptSeq: z.number().int(),
  pendingMessages: z.array(z.looseObject({ id: z.string(), text: z.string() })),
  continuedRuns: z.number().int().min(0),
  costUsd: z.number().optional(),
  complexity: z.enum(COMPLEXITY_LEVELS).optional(),
  failedSteps: z.number().int().min(0).optional(),
});

export const agentRunInputSchema = z.looseObject({
  runId: z.string(),
  tenantId: z.string(),
  userId: z.string(),
  instructions: z.string(),
  firstMessage: z.string(),
  models: z.array(z.string()),
  complexity: z.enum(COMPLEXITY_CHOICES).optional(),
  budget: z.looseObject({ maxCostPerCall: z.number().optional(), maxCostPerRun: z.number().optional() }).optional(),
  tools: z.array(z.string()),
  limits: limitsSchema,
  stream: z.boolean(),
  policy: runPolicySchema.optional(),
  mcpServers: z.array(mcpServerSchema).optional(),
  agent: z.looseObject({ name: z.string(), version: z.number().int() }).optional(),
  scoreWhenCompleted: z.boolean().optional(),
  carried: carriedSchema.optional(),
});

/** Thrown when a stored run spec does not match the run input's shape (a corrupt or foreign row). */
export class StoredRunSpecError extends Error {
  constructor(readonly runId: string, readonly problems: string) {
    super(`run ${runId}: the stored spec is not a run input (${problems})`);
    this.name = 'StoredRunSpecError';
  }
}

export function parseStoredRunSpec(runId: string, spec: unknown): AgentRunInput {
  const result = agentRunInputSchema.safeParse(spec);
  if (!result.success) throw new StoredRunSpecError(runId, result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  return result.data;
}

const runStatusSchema = z.enum(RUN_STATUSES);

export function parseStoredRunStatus(runId: string, status: string): RunStatus {
  const result = runStatusSchema.safeParse(status);
  if (!result.success) throw new StoredRunSpecError(runId, `status "${status}" is not a run status`);
  return result.data;
}
