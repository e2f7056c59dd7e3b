// The run's transcript, paged by seq.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TranscriptRepository } from '../../stores/transcript-repository';
import { principalOf } from '../auth';
import type { RunService } from '../run-service';
import { errorResponse, messagesQuery, runIdParams } from '../schemas';

export function messageRoutes(service: RunService, transcripts: TranscriptRepository): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/runs/:id/messages', {
      config: { permission: 'runs:read' },
      schema: {
        summary: "The run's transcript (system, user, assistant and tool-result messages), oldest first",
        params: runIdParams,
        querystring: messagesQuery,
        response: {
          200: z.object({
            messages: z.array(z.object({ seq: z.number(), step: z.number(), message: z.unknown() })),
            next: z.number().nullable().describe('Pass as `after` for the next page; null at the end.'),
          }),
          404: errorResponse,
        },
      },
    }, async (request) => {
      const principal = principalOf(request);
      await service.get(principal, request.params.id);
      const { after, limit } = request.query;
      const entries = await transcripts.page(principal.tenantId, request.params.id, after, limit);
      const last = entries[entries.length - 1];
      return {
        messages: entries.map((entry) => ({ seq: entry.seq, step: entry.step, message: entry.message })),
        next: entries.length === limit && last ? last.seq : null,
      };
    });
  };
}
