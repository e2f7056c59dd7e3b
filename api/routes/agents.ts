// Agent definition routes: create, list, read (latest or a version), save a new version, delete.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AgentRow } from '../../stores/agents-repository';
import { principalOf } from '../auth';
import type { AgentService } from '../agent-service';
import { agentNameParams, agentResource, agentVersionQuery, createAgentBody, errorResponse, updateAgentBody } from '../schemas';
import { parseStoredRow } from '../../stores/stored-row';

export function toAgentResource(row: AgentRow): z.infer<typeof agentResource> {
  return {
    name: row.name,
    version: row.version,
    description: row.description,
    settings: parseStoredRow(z.record(z.string(), z.unknown()), row.settings, { table: 'agents', id: `${row.name}@${row.version}` }),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    links: { self: `/v1/agents/${row.name}?version=${row.version}` },
  };
}

export function agentRoutes(service: AgentService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/agents', {
      config: { permission: 'agents:write' },
      schema: {
        summary: 'Save a new agent definition (version 1): run settings a run starts from with `agent: "name"`',
        body: createAgentBody,
        response: { 201: agentResource, 400: errorResponse, 409: errorResponse },
      },
    }, async (request, reply) => {
      const { name, ...definition } = request.body;
      const row = await service.create(principalOf(request), name, definition);
      void reply.header('location', `/v1/agents/${row.name}`);
      return reply.status(201).send(toAgentResource(row));
    });

    app.get('/v1/agents', {
      config: { permission: 'agents:read' },
      schema: { summary: "Your tenant's agent definitions, latest version of each", response: { 200: z.object({ agents: z.array(agentResource) }) } },
    }, async (request) => ({ agents: (await service.list(principalOf(request))).map(toAgentResource) }));

    app.get('/v1/agents/:name', {
      config: { permission: 'agents:read' },
      schema: {
        summary: 'An agent definition: the latest version, or `?version=N`',
        params: agentNameParams, querystring: agentVersionQuery,
        response: { 200: agentResource, 400: errorResponse, 404: errorResponse },
      },
    }, async (request) => toAgentResource(await service.get(principalOf(request), request.params.name, request.query.version)));

    app.put('/v1/agents/:name', {
      config: { permission: 'agents:write' },
      schema: {
        summary: 'Save a new version of an agent definition (the earlier versions stay readable)',
        params: agentNameParams, body: updateAgentBody,
        response: { 200: agentResource, 400: errorResponse, 404: errorResponse },
      },
    }, async (request) => toAgentResource(await service.addVersion(principalOf(request), request.params.name, request.body)));

    app.delete('/v1/agents/:name', {
      config: { permission: 'agents:write' },
      schema: {
        summary: 'Delete an agent definition, every version (runs keep their record of it; a new definition of the name continues the numbering)',
        params: agentNameParams, response: { 200: z.object({ name: z.string(), deletedVersions: z.array(z.number()) }), 404: errorResponse },
      },
    }, async (request) => ({ name: request.params.name, deletedVersions: await service.delete(principalOf(request), request.params.name) }));
  };
}
