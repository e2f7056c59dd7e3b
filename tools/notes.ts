// The record_note and recall_notes tools: thin wrappers over the run's NotesPort (semantic memory).
import { z } from 'zod';
import { catchToolInputErrors, toolSuccess } from './tool-result';
import { TOOL_NAMES } from './tool-names';
import type { NoteRecord, ToolDefinition } from './types';

export const DEFAULT_RECALL_LIMIT = 5;
export const MAX_RECALL_LIMIT = 50;

export const recordNoteArgumentsSchema = z.strictObject({
  content: z.string().min(1).describe('The fact, preference or lesson to remember, as a self-contained sentence.'),
  category: z.string().min(1).max(64).optional().describe('user_preference (lasting wishes), project_info (facts about the project), temp_info (true for now), or another short label.'),
  importance: z.number().min(0).max(1).optional().describe('From 0 (trivia) to 1 (essential); default by category (user_preference 0.9, project_info 0.8, temp_info 0.3, else 0.5).'),
  supersedes: z.string().min(1).max(100).optional().describe('Id of an earlier note this one corrects; the old one is kept as history.'),
  expiresInDays: z.number().positive().max(3650).optional().describe('Forget the note after this many days (for temporary facts).'),
});
export type RecordNoteArguments = z.infer<typeof recordNoteArgumentsSchema>;

export const recallNotesArgumentsSchema = z.strictObject({
  query: z.string().min(1).describe('What you want to know; notes are ranked by similarity, importance and recency.'),
  limit: z.number().int().min(1).max(MAX_RECALL_LIMIT).optional().describe(`Most notes to return (default ${DEFAULT_RECALL_LIMIT}).`),
});
export type RecallNotesArguments = z.infer<typeof recallNotesArgumentsSchema>;

export const recordNoteTool: ToolDefinition<RecordNoteArguments> = {
  name: TOOL_NAMES.recordNote,
  description: 'Remember a note for later runs of this user: a fact, a preference or a lesson learned.',
  schema: recordNoteArgumentsSchema,
  run(args, context) {
    return catchToolInputErrors(async () => {
      const note = await context.notes.record(
        { tenantId: context.tenantId, userId: context.userId, runId: context.runId },
        { content: args.content, category: args.category, importance: args.importance, supersedesId: args.supersedes, expiresInDays: args.expiresInDays, idempotencyKey: `tool:${context.runId}:${context.callId}` },
      );
      const merged = note.supersedesId ? `, superseding ${note.supersedesId} (version ${note.version})` : '';
      return toolSuccess(`Recorded note ${note.id} (${note.category})${merged}.`, { noteId: note.id, category: note.category, supersedesId: note.supersedesId, version: note.version });
    });
  },
};

export const recallNotesTool: ToolDefinition<RecallNotesArguments> = {
  name: TOOL_NAMES.recallNotes,
  description: 'Search notes recorded in earlier runs for this user, best match first.',
  schema: recallNotesArgumentsSchema,
  async run(args, context) {
    const limit = args.limit ?? DEFAULT_RECALL_LIMIT;
    const notes = await context.notes.recall({ tenantId: context.tenantId, userId: context.userId }, args.query, limit);
    if (notes.length === 0) return toolSuccess(`No notes match "${args.query}".`, { count: 0 });
    return toolSuccess(notes.map(formatNote).join('\n'), { count: notes.length, noteIds: notes.map((note) => note.id) });
  },
};

function formatNote(note: NoteRecord): string {
  return `- [${note.id}, ${note.category}, importance ${note.importance}, ${note.createdAt}] ${note.content}`;
}
