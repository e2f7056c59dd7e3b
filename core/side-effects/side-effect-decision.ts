// Decides what a tool call's unexpected workspace changes lead to under the run's policy, and how
// they are described to the model and in events.
import type { SideEffectAction } from '../run-policy';
import { isNamed, type NamedPaths } from './named-paths';
import { countChanges, type WorkspaceChanges } from './snapshot-diff';

/** Paths listed per kind in events and results; the counts stay exact. */
export const MAX_LISTED_PATHS = 100;

export type SideEffectDecision = {
  unexpected: WorkspaceChanges;
  /** `none` when nothing unexpected changed; otherwise the policy's action. */
  action: 'none' | SideEffectAction;
  /** Why a rollback the policy asked for became a report. */
  rollbackSkipped?: string;
};

export type DecisionContext = {
  /** The run's background jobs still running while the call ran: they may have made the changes. */
  runningBackgroundJobs?: readonly string[];
};

export function decideSideEffects(changes: WorkspaceChanges, named: NamedPaths, policy: SideEffectAction, context: DecisionContext = {}): SideEffectDecision {
  // A command that does not parse names nothing we can trust: every change is unexpected.
  const unexpectedOf = (items: string[], existedBefore: boolean) => (named.unparseable ? items : items.filter((item) => !isNamed(named, item, existedBefore)));
  const unexpected = {
    created: unexpectedOf(changes.created, false),
    modified: unexpectedOf(changes.modified, true),
    deleted: unexpectedOf(changes.deleted, true),
  };
  if (countChanges(unexpected) === 0) return { unexpected, action: 'none' };
  const jobs = context.runningBackgroundJobs ?? [];
  // A background job writes whenever it likes, so its changes cannot be told from the call's;
  // undoing them could break the job (a dev server's cache, a build's output), so they are reported.
  if (policy === 'rollback' && jobs.length > 0) {
    return { unexpected, action: 'report', rollbackSkipped: `background jobs were running (${jobs.slice(0, 5).join(', ')}) and may have made these changes` };
  }
  return { unexpected, action: policy };
}

/** The lists as events and metadata carry them: at most MAX_LISTED_PATHS each, with exact counts. */
export function listChanges(changes: WorkspaceChanges): WorkspaceChanges & { counts: { created: number; modified: number; deleted: number }; listsTruncated: boolean } {
  const cap = (items: string[]) => items.slice(0, MAX_LISTED_PATHS);
  return {
    created: cap(changes.created),
    modified: cap(changes.modified),
    deleted: cap(changes.deleted),
    counts: { created: changes.created.length, modified: changes.modified.length, deleted: changes.deleted.length },
    listsTruncated: [changes.created, changes.modified, changes.deleted].some((items) => items.length > MAX_LISTED_PATHS),
  };
}

export type RollbackOutcome = { restored: string[]; removed: string[]; failed: Array<{ path: string; reason: string }> };

/** What the model reads after its call's unexpected changes were undone. */
export function describeRollback(toolName: string, unexpected: WorkspaceChanges, outcome: RollbackOutcome): string {
  const lines = [
    `Keel rolled back workspace changes this ${toolName} call made to paths it did not name (run policy sideEffects: rollback).`,
    ...describeKind('created (removed)', unexpected.created),
    ...describeKind('modified (restored)', unexpected.modified),
    ...describeKind('deleted (restored)', unexpected.deleted),
    ...outcome.failed.slice(0, MAX_LISTED_PATHS).map((failure) => `- could not roll back ${failure.path}: ${failure.reason}`),
    'If the change was intended, name those paths explicitly in the command (or write them with write_file / edit_file) and try again.',
  ];
  return lines.join('\n');
}

function describeKind(label: string, items: string[]): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, 20).join(', ');
  return [`- ${label}: ${shown}${items.length > 20 ? ` and ${items.length - 20} more` : ''}`];
}
