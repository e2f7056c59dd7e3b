// Side-effect checking: snapshots of a workspace, their differences, which changes a tool call
// named, and what the run's policy does with the rest.
export { comparePaths, snapshotEntrySchema, workspaceSnapshotSchema, type SnapshotEntry, type WorkspaceSnapshot } from './workspace-snapshot';
export { countChanges, diffSnapshots, NO_CHANGES, type WorkspaceChanges } from './snapshot-diff';
export { isNamed, namedPaths, type NamedPaths, type ToolCallPaths } from './named-paths';
export {
  decideSideEffects,
  describeRollback,
  listChanges,
  MAX_LISTED_PATHS,
  type DecisionContext,
  type RollbackOutcome,
  type SideEffectDecision,
} from './side-effect-decision';
export { sideEffectsMetadataSchema, type SideEffectsMetadata } from './side-effects-metadata';
