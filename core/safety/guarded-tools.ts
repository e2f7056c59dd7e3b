// The tools validation knows how to judge, by the name the model calls them; it mirrors
// tools/tool-names.ts, which core/ may not import (a unit test keeps the two in step).

export const GUARDED_TOOL_NAMES = {
  readFile: 'read_file',
  writeFile: 'write_file',
  editFile: 'edit_file',
  bash: 'bash',
  bashOutput: 'bash_output',
  bashKill: 'bash_kill',
  recordNote: 'record_note',
  recallNotes: 'recall_notes',
} as const;

export type GuardedToolName = (typeof GUARDED_TOOL_NAMES)[keyof typeof GUARDED_TOOL_NAMES];

/** Tools whose arguments touch nothing outside Keel's own stores. */
export const SIDE_EFFECT_FREE_TOOLS: ReadonlySet<string> = new Set([
  GUARDED_TOOL_NAMES.bashOutput,
  GUARDED_TOOL_NAMES.bashKill,
  GUARDED_TOOL_NAMES.recordNote,
  GUARDED_TOOL_NAMES.recallNotes,
]);
