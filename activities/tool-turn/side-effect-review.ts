// Side effects under the `review` policy: a call whose unexpected workspace changes wait for a human.
// The call already ran and is recorded; the step pauses after it. On resume, an approval keeps the
// changes and a rejection rolls them back from the call's snapshot (idempotent); either way the
// model reads the outcome appended to the call's result.
import { RUN_EVENT_TYPES } from '../../core/events';
import { sideEffectsMetadataSchema, type SideEffectsMetadata } from '../../core/side-effects';
import { rollbackSideEffects } from './snapshots/side-effect-snapshots';
import type { ToolResult } from '../../tools/types';
import type { EventRecorder } from '../records/event-recorder';
import type { StepReviewDecision } from '../contract';
import type { ToolReviewRequest } from './tool-gate';

/** The changes of a recorded result that wait for a human, or undefined when there are none. */
export function changesAwaitingReview(result: ToolResult): (SideEffectsMetadata & { snapshotRef: string }) | undefined {
  const parsed = sideEffectsMetadataSchema.safeParse(result.metadata?.sideEffects);
  if (!parsed.success || parsed.data.action !== 'review' || !parsed.data.snapshotRef) return undefined;
  const { counts } = parsed.data;
  if (counts.created + counts.modified + counts.deleted === 0) return undefined;
  return { ...parsed.data, snapshotRef: parsed.data.snapshotRef };
}

export function sideEffectsSubject(executionKey: string): string {
  return `side-effects:${executionKey}`;
}

export function sideEffectsReviewRequest(executionKey: string, toolName: string, callArguments: Record<string, unknown>, changes: SideEffectsMetadata): ToolReviewRequest {
  const { counts } = changes;
  return {
    subjectKey: sideEffectsSubject(executionKey),
    summary: `${toolName} changed paths it did not name (${counts.created} created, ${counts.modified} modified, ${counts.deleted} deleted): keep or roll back?`,
    context: { toolName, arguments: callArguments, created: changes.created, modified: changes.modified, deleted: changes.deleted, counts, listsTruncated: changes.listsTruncated },
  };
}

/** Applies the reviewer's decision and returns the text the model reads after the call's output. */
export async function applySideEffectDecision(
  events: EventRecorder,
  scope: { runId: string; tenantId: string; step: number; executionKey: string; toolName: string },
  changes: SideEffectsMetadata & { snapshotRef: string },
  decision: StepReviewDecision,
): Promise<string> {
  const because = decision.reason ? ` (${decision.reason})` : '';
  if (decision.action !== 'reject') return `\n\n[Keel: a reviewer kept the unexpected workspace changes of this call${because}.]`;
  const outcome = await rollbackSideEffects(changes.snapshotRef);
  await events.record(scope.runId, scope.tenantId, [{
    type: RUN_EVENT_TYPES.sideEffectsRolledBack,
    data: { step: scope.step, toolName: scope.toolName, reviewId: decision.reviewId, restored: outcome.restored, removed: outcome.removed, failed: outcome.failed },
    dedupeKey: `side-effects.rolled-back:${scope.executionKey}`,
  }]);
  const failed = outcome.failed.length > 0 ? `; could not restore ${outcome.failed.map((entry) => entry.path).join(', ')}` : '';
  return `\n\n[Keel: a reviewer rejected the unexpected workspace changes of this call${because}; they were rolled back (restored ${outcome.restored.length}, removed ${outcome.removed.length}${failed}). Change only the files you name.]`;
}
