// The admin API under `/_admin`: register and remove scenarios at runtime, read and clear the
// request log, health. Errors answer `{ error: { code, message, details } }`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody, sendJson } from './http-io';
import { WIRE_FORMATS } from './model-call';
import type { RequestLog } from './request-log';
import type { ScenarioRegistry } from './scenario-registry';
import { parseScenario, ScenarioValidationError } from './scenario-schema';

export const ADMIN_PREFIX = '/_admin';

export type AdminContext = { registry: ScenarioRegistry; log: RequestLog; startedAt: number };

const requestQuery = z.object({
  model: z.string().optional(),
  scenario: z.string().optional(),
  wireFormat: z.enum(WIRE_FORMATS).optional(),
  limit: z.coerce.number().int().nonnegative().optional(),
});

function sendError(response: ServerResponse, status: number, code: string, message: string, details?: unknown): void {
  sendJson(response, status, { error: { code, message, details: details ?? null } });
}

export async function handleAdmin(
  context: AdminContext,
  method: string,
  path: string,
  query: URLSearchParams,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const route = path.slice(ADMIN_PREFIX.length);
  if (method === 'GET' && route === '/health') {
    return sendJson(response, 200, {
      status: 'ok',
      scenarios: context.registry.list().length,
      requests: context.log.size,
      uptimeSeconds: Math.round((Date.now() - context.startedAt) / 1000),
    });
  }
  if (route === '/scenarios' && method === 'GET') {
    return sendJson(response, 200, { scenarios: context.registry.list() });
  }
  if (route === '/scenarios' && method === 'POST') {
    try {
      const scenario = parseScenario(JSON.parse(await readBody(request)) as unknown, 'from the admin API');
      context.registry.add(scenario);
      return sendJson(response, 201, { name: scenario.name });
    } catch (error) {
      if (error instanceof ScenarioValidationError) return sendError(response, 400, 'invalid_scenario', error.message, error.issues);
      if (error instanceof SyntaxError) return sendError(response, 400, 'invalid_json', `body is not valid JSON: ${error.message}`);
      throw error;
    }
  }
  if (route.startsWith('/scenarios/') && method === 'DELETE') {
    const name = decodeURIComponent(route.slice('/scenarios/'.length));
    if (!context.registry.remove(name)) return sendError(response, 404, 'scenario_not_found', `no scenario named "${name}"`);
    response.writeHead(204).end();
    return;
  }
  if (route === '/requests' && method === 'GET') {
    const filter = requestQuery.safeParse(Object.fromEntries(query));
    if (!filter.success) return sendError(response, 400, 'invalid_query', 'invalid request filter', filter.error.issues);
    return sendJson(response, 200, { requests: context.log.list(filter.data) });
  }
  if (route === '/requests' && method === 'DELETE') {
    context.log.clear();
    response.writeHead(204).end();
    return;
  }
  sendError(response, 404, 'not_found', `no admin route ${method} ${path}`);
}
