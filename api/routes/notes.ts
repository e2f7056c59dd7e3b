// Note routes (semantic memory): search or list the tenant's notes, record one through the write
// path (merging with a near-duplicate), delete one. Deleting marks the note and its earlier
// versions deleted: kept for audit, never recalled or listed again.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Note } from '../../core/memory';
import { NoteNotFoundError, NoteSupersededError, type SemanticMemory } from '../../stores/notes';
import type { Principal } from '../../stores/api-keys-repository';
import { principalOf } from '../auth';
import { HttpError, notFound } from '../http-error';
import { errorResponse, noteIdParams, noteResource, notesQuery, recordNoteBody, recordNoteResponse, scoredNoteResource } from '../schemas';

export function toNoteResource(note: Note): z.infer<typeof noteResource> {
  return {
    id: note.id,
    userId: note.userId,
    runId: note.runId,
    category: note.category,
    content: note.content,
    importance: note.importance,
    version: note.version,
    supersedesId: note.supersedesId,
    supersededBy: note.supersededBy,
    createdAt: note.createdAt.toISOString(),
    updatedAt: note.updatedAt.toISOString(),
    expiresAt: note.expiresAt?.toISOString() ?? null,
  };
}

/** `admit` refuses a new note the caller's quotas have no room for (a supersede adds none). */
export function noteRoutes(memory: SemanticMemory, admit?: (principal: Principal) => Promise<void>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/notes', {
      config: { permission: 'notes:read' },
      schema: { summary: 'Search your tenant\'s notes by meaning, or list the newest', querystring: notesQuery, response: { 200: z.object({ notes: z.array(scoredNoteResource) }), 400: errorResponse } },
    }, async (request) => {
      const { tenantId } = principalOf(request);
      const { query, category, userId, limit, history } = request.query;
      const filter = { tenantId, userId, category, includeHistory: history };
      if (!query) return { notes: (await memory.list(filter, limit)).map((note) => ({ ...toNoteResource(note), score: null, similarity: null, recency: null })) };
      const found = await embedding(() => memory.search({ ...filter, query, limit }));
      return { notes: found.map((hit) => ({ ...toNoteResource(hit.note), score: hit.score, similarity: hit.similarity, recency: hit.recency })) };
    });

    app.get('/v1/notes/:id', {
      config: { permission: 'notes:read' },
      schema: { summary: 'One note, any version', params: noteIdParams, response: { 200: noteResource, 404: errorResponse } },
    }, async (request) => {
      const note = await memory.get(principalOf(request).tenantId, request.params.id);
      if (!note || note.deletedAt) throw notFound('note', request.params.id);
      return toNoteResource(note);
    });

    app.post('/v1/notes', {
      config: { permission: 'notes:write' },
      schema: { summary: 'Record a note; a near-duplicate supersedes the earlier version', body: recordNoteBody, response: { 201: recordNoteResponse, 400: errorResponse, 404: errorResponse, 409: errorResponse } },
    }, async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      if (body.supersedes === undefined) await admit?.(principal);
      const expiresAt = body.expiresAt ? new Date(body.expiresAt) : body.ttlSeconds ? new Date(Date.now() + body.ttlSeconds * 1000) : null;
      try {
        const outcome = await embedding(() => memory.record({
          tenantId: principal.tenantId, userId: body.userId ?? principal.userId, content: body.content,
          category: body.category, importance: body.importance, expiresAt, supersedesId: body.supersedes,
        }));
        return reply.status(201).send({
          note: toNoteResource(outcome.note), action: outcome.action,
          superseded: outcome.superseded ? toNoteResource(outcome.superseded) : null, similarity: outcome.similarity,
        });
      } catch (error) {
        if (error instanceof NoteNotFoundError) throw new HttpError(404, 'not_found', `note ${error.noteId} not found`, { field: 'body.supersedes' });
        if (error instanceof NoteSupersededError) throw new HttpError(409, 'note_superseded', `note ${error.noteId} was already superseded; supersede its latest version`, { field: 'body.supersedes' });
        throw error;
      }
    });

    app.delete('/v1/notes/:id', {
      config: { permission: 'notes:write' },
      schema: { summary: 'Delete a note and its earlier versions (kept for audit, never recalled)', params: noteIdParams, response: { 200: z.object({ id: z.string(), deleted: z.array(z.string()) }), 404: errorResponse } },
    }, async (request) => {
      const deleted = await memory.delete(principalOf(request).tenantId, request.params.id);
      if (deleted.length === 0) throw notFound('note', request.params.id);
      return { id: request.params.id, deleted: deleted.map((note) => note.id) };
    });
  };
}

/** An embeddings endpoint that fails is a bad gateway, not a bug of ours. */
async function embedding<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error && error.name === 'EmbeddingError') throw new HttpError(502, 'embeddings_unavailable', error.message);
    throw error;
  }
}
