// MCP servers a run (or the agent it starts from) declares: how the worker reaches each one, how
// long a call may take, and the risk its tools carry at the safety gate. Secrets are named, never
// given: `{ secret: "NAME" }` is read from `KEEL_SECRET_<NAME>` on the worker.
import { z } from 'zod';

export const MCP_TOOL_SEPARATOR = '__';
export const DEFAULT_MCP_CALL_TIMEOUT_SECONDS = 30;
export const MAX_MCP_SERVERS = 10;
export const MCP_SECRET_ENV_PREFIX = 'KEEL_SECRET_';

/** `safe` runs, `confirm` goes to a human, `deny` is refused: the gate's three verdicts. */
export const MCP_TOOL_RISKS = ['safe', 'confirm', 'deny'] as const;
export type McpToolRisk = (typeof MCP_TOOL_RISKS)[number];

const secretReference = z.object({ secret: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be an upper-case name like GITHUB_TOKEN (read from KEEL_SECRET_<NAME>)') }).strict();
export type SecretReference = z.infer<typeof secretReference>;

const absolutePath = z.string().max(1000).regex(/^\/[^\0]*$/, 'must be an absolute path');

/** A stdio server inside bubblewrap: the system and these folders read-only, these writable, no network unless asked. */
const stdioSandbox = z.object({
  readOnlyPaths: z.array(absolutePath).max(50).default([]).describe('Host folders the server may read (its code, its runtime).'),
  writablePaths: z.array(absolutePath).max(20).default([]).describe('Host folders the server may write.'),
  network: z.boolean().default(false),
}).strict();

const stdioTransport = z.object({
  type: z.literal('stdio'),
  command: z.string().min(1).max(1000),
  args: z.array(z.string().max(4000)).max(100).default([]),
  /** Plain values, or named secrets for tokens. */
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'), z.union([z.string().max(4000), secretReference])).default({}),
  cwd: z.string().max(1000).optional(),
  /** Run the server inside bubblewrap (refused on a worker without it); absent: a plain child process. */
  sandbox: stdioSandbox.optional(),
}).strict();

const httpTransport = z.object({
  type: z.literal('http'),
  url: z.url({ protocol: /^https?$/ }),
  /** Header values come only from named secrets, so a definition never holds a token. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'must be a header name'), secretReference).default({}),
}).strict();

export const mcpServerSchema = z.object({
  name: z.string().regex(/^[a-z0-9](?:[a-z0-9-]|_(?!_)){0,31}$/, 'must be 1-32 lowercase letters, digits, - or single _ (tools are named <server>__<tool>)'),
  transport: z.discriminatedUnion('type', [stdioTransport, httpTransport]),
  timeoutSeconds: z.number().int().min(1).max(600).default(DEFAULT_MCP_CALL_TIMEOUT_SECONDS).describe('Per call; a call that takes longer returns a tool error.'),
  /** Risk of this server's tools; default: `safe` for tools with a readOnlyHint, `confirm` otherwise. */
  risk: z.enum(MCP_TOOL_RISKS).optional(),
  /** Per-tool risk (by the tool's own name), over `risk`. */
  tools: z.record(z.string().min(1).max(128), z.object({ risk: z.enum(MCP_TOOL_RISKS) }).strict()).optional(),
}).strict();
export type McpServer = z.infer<typeof mcpServerSchema>;

export const mcpServersSchema = z.array(mcpServerSchema).max(MAX_MCP_SERVERS)
  .refine((servers) => new Set(servers.map((server) => server.name)).size === servers.length, 'server names must be unique');

/** The name the model sees: `server__tool`. */
export function mcpToolName(server: string, tool: string): string {
  return `${server}${MCP_TOOL_SEPARATOR}${tool}`;
}

/** The risk a declared tool carries at the gate. */
export function mcpToolRisk(server: McpServer, tool: string, readOnlyHint: boolean | undefined): McpToolRisk {
  return server.tools?.[tool]?.risk ?? server.risk ?? (readOnlyHint === true ? 'safe' : 'confirm');
}
