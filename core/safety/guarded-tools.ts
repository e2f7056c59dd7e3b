// The tools validation knows how to judge, by the name the model calls them (core/tool-names.ts).
import { TOOL_NAMES, type ToolName } from '../tool-names';

export const GUARDED_TOOL_NAMES = TOOL_NAMES;

export type GuardedToolName = ToolName;

/** Tools whose arguments touch nothing outside Keel's own stores. */
export const SIDE_EFFECT_FREE_TOOLS: ReadonlySet<string> = new Set([
  GUARDED_TOOL_NAMES.bashOutput,
  GUARDED_TOOL_NAMES.bashKill,
  GUARDED_TOOL_NAMES.recordNote,
  GUARDED_TOOL_NAMES.recallNotes,
  GUARDED_TOOL_NAMES.readToolOutput,
]);
