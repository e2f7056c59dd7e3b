// Checks what a file-changing tool call (write_file, edit_file, bash) did to the workspace beyond
// the paths it named, and applies the run's policy: report it, roll it back, or keep the snapshot
// for a human review. The snapshot and the decision live in the run's jobs folder, keyed by the
// call, so a retried call reuses them and never rolls back against a snapshot of its own results.
import type { NewRunEvent } from '../../core/events';
import { RUN_EVENT_TYPES } from '../../core/events';
import type { SideEffectAction } from '../../core/run-policy';
import {
  countChanges,
  decideSideEffects,
  describeRollback,
  diffSnapshots,
  listChanges,
  MAX_LISTED_PATHS,
  namedPaths,
  type RollbackOutcome,
  type SideEffectsMetadata,
  type WorkspaceChanges,
} from '../../core/side-effects';
import { TOOL_NAMES } from '../../core/tool-names';
import { WORKSPACE_CHANGING_TOOLS } from '../../core/run-fork';
import { runningBackgroundJobs } from '../../tools/background-jobs';
import { takePathSnapshot, withAncestors } from './snapshots/path-snapshot';
import { rollbackSideEffects, type SideEffectOutcome, type SideEffectSnapshots } from './snapshots/side-effect-snapshots';
import type { ToolResult } from '../../tools/types';

/** Tools that change files on purpose; the others cannot, or (bash_output, bash_kill) only report on jobs. */
export const CHECKED_TOOLS: ReadonlySet<string> = WORKSPACE_CHANGING_TOOLS;

export type SideEffectCheckInput = {
  toolName: string;
  arguments: Record<string, unknown>;
  /** The call's idempotency key (executionKey): names its snapshot files. */
  key: string;
  step: number;
  callId: string;
  workspace: string;
  jobsDir: string;
  action: SideEffectAction;
};

export type CheckedToolResult = { result: ToolResult; events: NewRunEvent[] };

/** Tools that can change only the path they name: checked against that path, not the whole workspace. */
const PATH_SCOPED_TOOLS: ReadonlySet<string> = new Set([TOOL_NAMES.writeFile, TOOL_NAMES.editFile]);

export async function runWithSideEffectCheck(snapshots: SideEffectSnapshots, input: SideEffectCheckInput, run: () => Promise<ToolResult>): Promise<CheckedToolResult> {
  if (!CHECKED_TOOLS.has(input.toolName)) return { result: await run(), events: [] };
  // A background job may change anything while the call runs: then the whole workspace is walked,
  // so its changes are reported as they were before this shortcut existed.
  if (PATH_SCOPED_TOOLS.has(input.toolName) && (await runningBackgroundJobs(input.jobsDir)).length === 0) return runWithPathCheck(input, run);
  const before = await snapshots.before(input.workspace, input.jobsDir, input.key);
  const result = await run();
  let outcome = await snapshots.readOutcome(before);
  if (!outcome) {
    const after = await snapshots.after(before);
    const changes = diffSnapshots(before.manifest.snapshot, after);
    // Only looked up when something changed: the common path stays two walks and a diff.
    const runningJobs = input.action === 'rollback' && countChanges(changes) > 0 ? await runningBackgroundJobs(input.jobsDir) : [];
    const resolvedPath = typeof result.metadata?.path === 'string' ? result.metadata.path : undefined;
    const decision = decideSideEffects(changes, namedPaths({ ...input, resolvedPath }), input.action, { runningBackgroundJobs: runningJobs });
    outcome = {
      action: decision.action,
      ...(decision.rollbackSkipped === undefined ? {} : { rollbackSkipped: decision.rollbackSkipped }),
      unexpected: decision.unexpected,
      snapshotTruncated: before.manifest.snapshot.truncatedAfter !== undefined || after.truncatedAfter !== undefined,
      unrestorable: before.manifest.unrestorable,
    };
    // Recorded before acting: a retry after a crash mid-rollback repeats the same decision.
    if (outcome.action !== 'none') await snapshots.writeOutcome(before, outcome);
  }
  if (outcome.action === 'rollback' && !outcome.rollback) {
    const rollback = await rollbackSideEffects(before.ref, allPaths(outcome.unexpected));
    snapshots.forget(input.workspace);
    outcome = { ...outcome, rollback };
    await snapshots.writeOutcome(before, outcome);
  }
  // Review keeps the snapshot for rollbackSideEffects when the human rejects.
  if (outcome.action !== 'review') await snapshots.release(before);
  return shapeResult(result, outcome, before.ref, input);
}

/**
 * write_file and edit_file write through the tools' confinement to one path: the check snapshots
 * that path (and the folders above it) before and after, so its cost does not grow with the
 * workspace. Nothing else can have changed, so there is no content to keep for a rollback.
 */
async function runWithPathCheck(input: SideEffectCheckInput, run: () => Promise<ToolResult>): Promise<CheckedToolResult> {
  const scope = withAncestors(namedPaths(input).literal);
  const before = takePathSnapshot(input.workspace, scope);
  const result = await run();
  const resolvedPath = typeof result.metadata?.path === 'string' ? result.metadata.path : undefined;
  const named = namedPaths({ ...input, resolvedPath });
  const after = takePathSnapshot(input.workspace, withAncestors([...scope, ...named.literal]));
  const decision = decideSideEffects(diffSnapshots(before, after), named, input.action);
  if (decision.action === 'none') return { result, events: [] };
  // Unreachable while the tools keep to their path; if one ever does not, say so rather than hide it.
  const outcome: SideEffectOutcome = { action: 'report', unexpected: decision.unexpected, snapshotTruncated: false, unrestorable: [], rollbackSkipped: 'only the named path was snapshotted, so nothing else can be put back' };
  return shapeResult(result, outcome, '', input);
}

function allPaths(changes: WorkspaceChanges): string[] {
  return [...changes.created, ...changes.modified, ...changes.deleted];
}

function shapeResult(result: ToolResult, outcome: SideEffectOutcome, snapshotRef: string, input: SideEffectCheckInput): CheckedToolResult {
  const incomplete = outcome.snapshotTruncated ? 'the workspace has more entries than a snapshot walks; paths past the cap were not checked' : undefined;
  const sideEffects: SideEffectsMetadata = {
    action: outcome.action,
    ...listChanges(outcome.unexpected),
    ...(incomplete === undefined ? {} : { snapshotIncomplete: incomplete }),
    ...(outcome.rollbackSkipped === undefined ? {} : { rollbackSkipped: outcome.rollbackSkipped }),
    ...(outcome.action === 'review' ? { snapshotRef } : {}),
    ...(outcome.rollback ? { rollback: capRollback(outcome.rollback) } : {}),
  };
  if (outcome.action === 'none') {
    return { result: incomplete === undefined ? result : { ...result, metadata: { ...result.metadata, sideEffects } }, events: [] };
  }
  const base = { step: input.step, callId: input.callId, toolName: input.toolName };
  const { rollback, ...detected } = sideEffects;
  const events: NewRunEvent[] = [{ type: RUN_EVENT_TYPES.sideEffectsDetected, data: { ...base, ...detected, action: outcome.action }, dedupeKey: `side-effects.detected:${input.key}` }];
  let output = result.output;
  if (outcome.rollback && rollback) {
    events.push({ type: RUN_EVENT_TYPES.sideEffectsRolledBack, data: { ...base, ...rollback }, dedupeKey: `side-effects.rolled-back:${input.key}` });
    output = `${output}\n\n${describeRollback(input.toolName, outcome.unexpected, outcome.rollback)}`;
  }
  return { result: { ...result, output, metadata: { ...result.metadata, sideEffects } }, events };
}

function capRollback(rollback: RollbackOutcome): NonNullable<SideEffectsMetadata['rollback']> {
  return {
    restored: rollback.restored.slice(0, MAX_LISTED_PATHS),
    removed: rollback.removed.slice(0, MAX_LISTED_PATHS),
    failed: rollback.failed.slice(0, MAX_LISTED_PATHS),
    counts: { restored: rollback.restored.length, removed: rollback.removed.length, failed: rollback.failed.length },
  };
}
