// The record_note and recall_notes tools: thin wrappers over the run's NotesPort.
import { z } from 'zod';
import { toolSuccess } from './tool-result';
import { TOOL_NAMES } from './tool-names';
import type { NoteRecord, ToolDefinition } from './types';

export const DEFAULT_RECALL_LIMIT = 5;
export const MAX_RECALL_LIMIT = 50;

export const recordNoteArgumentsSchema = z.strictObject({
  content: z.string().min(1).describe('The fact, preference or lesson to remember, as a self-contained sentence.'),
  category: z.string().min(1).max(64).optional().describe('Short label such as "preference", "project" or "lesson".'),
  importance: z.number().min(0).max(1).optional().describe('From 0 (trivia) to 1 (essential); default 0.5.'),
});
export type RecordNoteArguments = z.infer<typeof recordNoteArgumentsSchema>;

export const recallNotesArgumentsSchema = z.strictObject({
  query: z.string().min(1).describe('Words to look for in earlier notes.'),
  limit: z.number().int().min(1).max(MAX_RECALL_LIMIT).optional().describe(`Most notes to return (default ${DEFAULT_RECALL_LIMIT}).`),
});
export type RecallNotesArguments = z.infer<typeof recallNotesArgumentsSchema>;

export const recordNoteTool: ToolDefinition<RecordNoteArguments> = {
  name: TOOL_NAMES.recordNote,
  description: 'Remember a note for later runs of this user: a fact, a preference or a lesson learned.',
  schema: recordNoteArgumentsSchema,
  async run(args, context) {
    const note = await context.notes.record(
      { tenantId: context.tenantId, userId: context.userId, runId: context.runId },
      { content: args.content, category: args.category, importance: args.importance },
    );
    return toolSuccess(`Recorded note ${note.id} (${note.category}).`, { noteId: note.id, category: note.category });
  },
};

export const recallNotesTool: ToolDefinition<RecallNotesArguments> = {
  name: TOOL_NAMES.recallNotes,
  description: 'Search notes recorded in earlier runs for this user.',
  schema: recallNotesArgumentsSchema,
  async run(args, context) {
    const limit = args.limit ?? DEFAULT_RECALL_LIMIT;
    const notes = await context.notes.recall({ tenantId: context.tenantId, userId: context.userId }, args.query, limit);
    if (notes.length === 0) return toolSuccess(`No notes match "${args.query}".`, { count: 0 });
    return toolSuccess(notes.map(formatNote).join('\n'), { count: notes.length, noteIds: notes.map((note) => note.id) });
  },
};

function formatNote(note: NoteRecord): string {
  return `- [${note.category}, importance ${note.importance}, ${note.createdAt}] ${note.content}`;
}
