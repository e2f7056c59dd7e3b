// The names the model calls tools by; every other module (tools, safety rules, API) refers to a tool through this object.

export const TOOL_NAMES = {
  readFile: 'read_file',
  writeFile: 'write_file',
  editFile: 'edit_file',
  bash: 'bash',
  bashOutput: 'bash_output',
  bashKill: 'bash_kill',
  recordNote: 'record_note',
  recallNotes: 'recall_notes',
  readToolOutput: 'read_tool_output',
} as const;

export type ToolName = (typeof TOOL_NAMES)[keyof typeof TOOL_NAMES];
