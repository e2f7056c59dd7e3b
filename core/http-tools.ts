// HTTP tools: a declarative tool in a run or agent definition, for teams without an MCP server.
// The model fills the arguments (JSON Schema); the worker expands the URL template, adds headers
// from named secrets (`{ secret: "NAME" }` is read from KEEL_SECRET_<NAME> on the worker) and
// calls only hosts on the tool's allow-list.
import { z } from 'zod';
import { jsonSchemaObject } from './json-schema';
import { MCP_TOOL_RISKS, MCP_SECRET_ENV_PREFIX, type McpToolRisk } from './mcp-servers';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const DEFAULT_HTTP_TOOL_TIMEOUT_SECONDS = 30;
export const MAX_HTTP_TOOLS = 20;
export const HTTP_SECRET_ENV_PREFIX = MCP_SECRET_ENV_PREFIX;
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

const secretReference = z.object({ secret: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be an upper-case name like API_TOKEN (read from KEEL_SECRET_<NAME>)') }).strict();
const allowedHost = z.string().regex(/^[a-z0-9.-]+(?::[0-9]{1,5})?$/i, 'must be a host name, optionally with :port (no scheme, no path)').max(255);

export const httpToolSchema = z.object({
  name: z.string().regex(/^[a-z](?:[a-z0-9]|_(?!_)){0,63}$/, 'must be 1-64 lowercase letters, digits or single _, starting with a letter'),
  description: z.string().trim().min(1, 'must not be empty').max(2000),
  method: z.enum(HTTP_METHODS).default('GET'),
  url: z.string().max(2000).describe('http(s) URL; `{arg}` is replaced by the URL-encoded argument. Arguments not in the URL go in the query (GET, DELETE) or the JSON body.'),
  parameters: jsonSchemaObject().default({ type: 'object', properties: {} }).describe('JSON Schema of the arguments object.'),
  /** Header values come only from named secrets, so a definition never holds a token. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'must be a header name'), secretReference).default({}),
  allowedHosts: z.array(allowedHost).min(1).max(20).describe('Hosts the tool may call (the URL template\'s host must be one); any other is refused.'),
  timeoutSeconds: z.number().int().min(1).max(120).default(DEFAULT_HTTP_TOOL_TIMEOUT_SECONDS),
  /** Risk at the safety gate; default `safe` for GET, `confirm` for the other methods. */
  risk: z.enum(MCP_TOOL_RISKS).optional(),
}).strict().superRefine((tool, context) => {
  let url: URL;
  try {
    url = new URL(tool.url.replace(PLACEHOLDER, 'x'));
  } catch {
    context.addIssue({ code: 'custom', path: ['url'], message: 'must be an absolute http(s) URL (with `{arg}` placeholders)' });
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') context.addIssue({ code: 'custom', path: ['url'], message: 'must use http or https' });
  else if (!authorityOf(tool.url).includes('{') && !hostAllowed(url, tool.allowedHosts)) {
    context.addIssue({ code: 'custom', path: ['allowedHosts'], message: `must include the URL's host "${url.host}"` });
  }
  const properties = (tool.parameters.properties ?? {}) as Record<string, unknown>;
  for (const [, name] of tool.url.matchAll(PLACEHOLDER)) {
    if (name && !(name in properties)) context.addIssue({ code: 'custom', path: ['url'], message: `placeholder {${name}} is not a property of "parameters"` });
  }
});
export type HttpTool = z.infer<typeof httpToolSchema>;

export const httpToolsSchema = z.array(httpToolSchema).max(MAX_HTTP_TOOLS)
  .refine((tools) => new Set(tools.map((tool) => tool.name)).size === tools.length, 'tool names must be unique');

/** The `host:port` part of a URL template as written (a placeholder there is checked at call time). */
function authorityOf(template: string): string {
  const afterScheme = template.slice(template.indexOf('//') + 2);
  return afterScheme.split(/[/?#]/, 1)[0] ?? '';
}

/** Whether a URL's host is on the list (an entry without a port allows every port of the host). */
export function hostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  return allowedHosts.some((entry) => {
    const allowed = entry.toLowerCase();
    return allowed.includes(':') ? allowed === host : allowed === hostname;
  });
}

export function httpToolRisk(tool: HttpTool): McpToolRisk {
  return tool.risk ?? (tool.method === 'GET' ? 'safe' : 'confirm');
}

/** The URL with its placeholders filled, and the arguments the template did not use. */
export function expandUrl(template: string, args: Record<string, unknown>): { url: string; rest: Record<string, unknown> } {
  const used = new Set<string>();
  const url = template.replace(PLACEHOLDER, (_match, name: string) => {
    used.add(name);
    const value = args[name];
    return encodeURIComponent(value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean));
  });
  return { url, rest: Object.fromEntries(Object.entries(args).filter(([name]) => !used.has(name))) };
}
