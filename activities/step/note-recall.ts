// Automatic recall: on a run's first step, the user's best notes for the first message join the
// context as a system message, within the policy's token budget. Tenants without notes skip it
// before any embedding or search (a cached check), so the hot path stays one map lookup.
import { AUTO_RECALL_LIMIT, recallMessageText } from '../../core/memory';
import type { SemanticMemory } from '../../stores/notes';
import type { Logger } from '../../runtime/logger';
import type { RunPolicies } from '../records/run-policies';

export type NoteRecallDeps = { memory?: SemanticMemory; policies: RunPolicies; logger?: Logger };

/** The recall message text, or undefined when recall is off, finds nothing, or fails (a run never fails for want of notes). */
export async function recallForFirstStep(
  deps: NoteRecallDeps,
  input: { runId: string; tenantId: string; userId: string },
  firstMessage: string,
): Promise<string | undefined> {
  const { memory } = deps;
  if (!memory) return undefined;
  try {
    const policy = await deps.policies.forRun(input.tenantId, input.runId);
    if (!policy.memory.autoRecall || policy.memory.recallTokens <= 0) return undefined;
    if (!(await memory.hasNotes(input.tenantId))) return undefined;
    const found = await memory.search({ tenantId: input.tenantId, userId: input.userId, query: firstMessage, limit: AUTO_RECALL_LIMIT });
    return recallMessageText(found.map((hit) => hit.note), policy.memory.recallTokens);
  } catch (error) {
    deps.logger?.warn({ err: error, runId: input.runId, tenantId: input.tenantId }, 'automatic note recall failed; the run continues without it');
    return undefined;
  }
}
