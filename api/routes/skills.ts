// Skill routes: save (PUT creates or replaces), read, list and delete a tenant's SKILL.md skills.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { skillMarkdown } from '../../core/skills';
import { principalOf } from '../auth';
import type { SkillService, StoredSkill } from '../skill-service';
import { errorResponse } from '../schemas';
import { putSkillBody, skillNameParams, skillResource, skillSummaryResource } from '../skill-schemas';

function summary(skill: Pick<StoredSkill, 'name' | 'description' | 'source' | 'updatedAt'>): z.infer<typeof skillSummaryResource> {
  return {
    name: skill.name, description: skill.description, source: skill.source,
    updatedAt: skill.updatedAt?.toISOString() ?? null, links: { self: `/v1/skills/${skill.name}` },
  };
}

function resource(skill: StoredSkill): z.infer<typeof skillResource> {
  return { ...summary(skill), body: skill.body, markdown: skillMarkdown(skill) };
}

export function skillRoutes(service: SkillService): FastifyPluginAsyncZod {
  return async (app) => {
    app.put('/v1/skills/:name', {
      config: { permission: 'agents:write' },
      schema: {
        summary: 'Save a skill (201 when new, 200 when replaced): a SKILL.md document, or its description and body',
        params: skillNameParams, body: putSkillBody,
        response: { 200: skillResource, 201: skillResource, 400: errorResponse },
      },
    }, async (request, reply) => {
      const { skill, created } = await service.put(principalOf(request), request.params.name, request.body);
      return reply.status(created ? 201 : 200).send(resource(skill));
    });

    app.get('/v1/skills', {
      config: { permission: 'agents:read' },
      schema: { summary: "The skills your tenant's runs may use: yours, then KEEL_SKILLS_DIR's (without bodies)", response: { 200: z.object({ skills: z.array(skillSummaryResource) }) } },
    }, async (request) => ({ skills: (await service.list(principalOf(request))).map(summary) }));

    app.get('/v1/skills/:name', {
      config: { permission: 'agents:read' },
      schema: { summary: 'A skill with its body', params: skillNameParams, response: { 200: skillResource, 400: errorResponse, 404: errorResponse } },
    }, async (request) => resource(await service.get(principalOf(request), request.params.name)));

    app.delete('/v1/skills/:name', {
      config: { permission: 'agents:write' },
      schema: {
        summary: "Delete one of your tenant's skills (runs that loaded it keep their recorded result)",
        params: skillNameParams, response: { 200: z.object({ name: z.string(), deleted: z.literal(true) }), 400: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    }, async (request) => {
      await service.delete(principalOf(request), request.params.name);
      return { name: request.params.name, deleted: true as const };
    });
  };
}
