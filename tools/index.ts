// The agent's tools: definitions, the registry that validates and runs them, and their shared types.
export type { NoteInput, NoteRecord, NotesPort, ToolContext, ToolDefinition, ToolOutputsPort, ToolResult, ToolSpec } from './types';
export { TOOL_NAMES, type ToolName } from './tool-names';
export {
  createDefaultTools,
  createToolRegistry,
  DEFAULT_TOOLS,
  DuplicateToolError,
  runTool,
  toolParameters,
  UnknownToolError,
  type ToolRegistry,
} from './registry';
export { ToolInputError } from './tool-result';
export { AttemptAbandoned, isAbandoned, throwIfAbandoned } from './attempt-abandoned';
export { InvalidPathError, PathOutsideWorkspaceError, resolveWorkspacePath, type WorkspacePath } from './workspace-path';
export { createReadFileTool, DEFAULT_READ_LINE_LIMIT, DEFAULT_READ_TOKEN_BUDGET, readFileTool, type ReadFileArguments } from './read-file';
export { writeFileTool, type WriteFileArguments } from './write-file';
export { editFileTool, type EditFileArguments } from './edit-file';
export { bashTool, createBashTool, DEFAULT_BASH_TIMEOUT_SECONDS, MAX_BASH_TIMEOUT_SECONDS, type BashArguments, type BashToolOptions } from './bash';
export { bashOutputTool, createBashOutputTool, type BashOutputArguments } from './bash-output';
export { bashKillTool, createBashKillTool, type BashKillArguments } from './bash-kill';
export { recallNotesTool, recordNoteTool, type RecallNotesArguments, type RecordNoteArguments } from './notes';
export {
  DEFAULT_OUTPUT_PAGE_LINES,
  MAX_OUTPUT_PAGE_LINES,
  OUTPUT_PAGE_CHARACTERS,
  outputPage,
  readToolOutputTool,
  type OutputPage,
  type ReadToolOutputArguments,
} from './read-tool-output';
export { DEFAULT_OUTPUT_CAP_CHARACTERS } from './capped-output';
export { DEFAULT_KILL_GRACE_MILLISECONDS } from './process-group';
export { InvalidCallIdError, InvalidJobIdError } from './job-id';
export { JobNotFoundError } from './job-lookup';
