// A fork's first step (its transcript so far is all its parent's): the workspace is restored from
// the parent's step snapshot before the model is called, and `run.forked` says from where. Runs
// again on a retry until the fork's first own row is written; the restore is idempotent and no
// tool of the fork has run before then.
import { RUN_EVENT_TYPES, type NewRunEvent } from '../../core/events';
import { forkPointOf, isForkPointProblem } from '../../core/run-fork';
import type { RunsRepository } from '../../stores/runs-repository';
import type { StepSnapshotsRepository } from '../../stores/step-snapshots-repository';
import type { StepInput } from '../contract';
import type { CachedTranscript } from '../records/transcript-cache';
import { restoreWorkspace, WorkspaceRestoreError } from '../tool-turn/snapshots/step-snapshots';
import type { Workspaces } from '../tool-turn/workspaces';

export type ForkStartDeps = {
  runs: Pick<RunsRepository, 'get'>;
  stepSnapshots: Pick<StepSnapshotsRepository, 'get'>;
  workspaces: Workspaces;
};

/** The fork has written nothing of its own yet: every entry is inherited. */
export function isForkFirstStep(transcript: CachedTranscript): boolean {
  return transcript.entries.length > 0 && transcript.entries.every((entry) => entry.inheritedFrom !== undefined);
}

/** The `run.forked` event of a fork's first step, after its workspace is restored; undefined for any other step. */
export async function startFork(deps: ForkStartDeps, input: StepInput, transcript: CachedTranscript): Promise<NewRunEvent | undefined> {
  if (!isForkFirstStep(transcript)) return undefined;
  const row = await deps.runs.get(input.tenantId, input.runId);
  if (!row?.parentRunId || row.forkedFromStep === null) return undefined;
  const point = forkPointOf(input.runId, transcript.entries, row.forkedFromStep);
  if (isForkPointProblem(point)) throw new WorkspaceRestoreError(`run ${row.parentRunId}`, point.message);
  let restoredEntries = 0;
  if (point.workspaceStep) {
    const { runId, step } = point.workspaceStep;
    const snapshot = await deps.stepSnapshots.get(input.tenantId, runId, step);
    if (!snapshot) throw new WorkspaceRestoreError(`run ${runId} step ${step}`, 'no step snapshot was kept');
    const folders = await deps.workspaces.forRun(input.tenantId, input.runId);
    restoredEntries = (await restoreWorkspace(snapshot.manifestRef, folders.workspace)).restored;
  }
  return {
    type: RUN_EVENT_TYPES.runForked,
    data: { parentRunId: row.parentRunId, fromStep: row.forkedFromStep, workspaceFrom: point.workspaceStep ?? null, restoredEntries },
    dedupeKey: RUN_EVENT_TYPES.runForked,
  };
}
