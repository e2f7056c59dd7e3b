// MCP tools on the worker: one connection per server configuration (keyed by its hash), its tool
// list cached with it, exposed to the model as `server__tool` with the server's JSON Schemas. A
// call runs under the server's timeout; a connection that fails (crash, hang) is dropped so the
// next call reconnects, and the model gets a tool error instead of a stuck step. Calls go through
// the step's normal execution path, so they are gated and recorded by execution key like built-ins.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'zod';
import { MCP_SECRET_ENV_PREFIX, mcpServersSchema, mcpToolName, mcpToolRisk, type McpServer, type McpToolRisk, type SecretReference } from '../../core/mcp-servers';
import type { ToolSpec } from '../../core/tool-spec';
import type { RunsRepository } from '../../stores/runs-repository';
import type { ToolRegistry } from '../../tools';
import type { ToolDefinition, ToolResult } from '../../tools/types';
import { buildBwrapCommand, DEFAULT_SANDBOX_LIMITS, type BashSandbox } from '../../tools/sandbox';

type StdioSandbox = Extract<McpServer['transport'], { type: 'stdio' }>['sandbox'];

export const MCP_CONNECT_TIMEOUT_MS = 20_000;
export const DEFAULT_MCP_CACHE_RUNS = 2000;
const CLIENT_INFO = { name: 'keel', version: '0.1.0' };

/** Thrown when a declared server names a secret the worker does not have. */
export class McpSecretMissing extends Error {
  constructor(readonly server: string, readonly secret: string) {
    super(`MCP server "${server}" needs the secret ${secret}: set ${MCP_SECRET_ENV_PREFIX}${secret} on the worker`);
    this.name = 'McpSecretMissing';
  }
}

/** Thrown when a server asks for the sandbox and the worker has no bubblewrap. */
export class McpSandboxUnavailable extends Error {
  constructor(readonly server: string, readonly reason: string) {
    super(`MCP server "${server}" asks for the bubblewrap sandbox, which this worker does not have (${reason})`);
    this.name = 'McpSandboxUnavailable';
  }
}

/** How sandboxed stdio servers are started: the worker's bash sandbox and a folder for their scratch space. */
export type McpSandboxing = { sandbox: BashSandbox; scratchRoot: string };

/** One tool of one server, as the run sees it. */
export type McpTool = { name: string; server: McpServer; toolName: string; spec: ToolSpec; risk: McpToolRisk; readOnly: boolean };

/** The MCP tools of one run for one step: specs for the model, definitions for the registry, risks for the gate. */
export type RunMcpTools = { tools: McpTool[]; errors: Array<{ server: string; message: string }> };

type McpListedTool = { name: string; description?: string; inputSchema: Record<string, unknown>; readOnlyHint?: boolean };
type Connection = { client: Client; tools: Promise<McpListedTool[]> };

const contentPart = z.object({ type: z.string(), text: z.string().optional() }).passthrough();
const callResult = z.object({ content: z.array(contentPart).default([]), isError: z.boolean().optional(), structuredContent: z.unknown().optional() }).passthrough();

export class McpConnections {
  private readonly connections = new Map<string, Promise<Connection>>();
  private readonly runServers = new Map<string, McpServer[]>();

  constructor(
    private readonly runs: Pick<RunsRepository, 'get'>,
    private readonly environment: Record<string, string | undefined> = process.env,
    private readonly sandboxing?: McpSandboxing,
  ) {}

  /** The run's MCP servers from its stored spec (cached: a run's spec never changes). */
  async serversOf(tenantId: string, runId: string): Promise<McpServer[]> {
    const cached = this.runServers.get(runId);
    if (cached) return cached;
    const row = await this.runs.get(tenantId, runId);
    const stored = (row?.spec as { mcpServers?: unknown } | undefined)?.mcpServers;
    const servers = stored === undefined ? [] : mcpServersSchema.parse(stored);
    if (this.runServers.size >= DEFAULT_MCP_CACHE_RUNS) this.runServers.delete(this.runServers.keys().next().value as string);
    this.runServers.set(runId, servers);
    return servers;
  }

  /** Every tool of the run's servers; a server that cannot be reached is reported, not fatal. */
  async forRun(tenantId: string, runId: string): Promise<RunMcpTools> {
    const servers = await this.serversOf(tenantId, runId);
    const result: RunMcpTools = { tools: [], errors: [] };
    await Promise.all(servers.map(async (server) => {
      try {
        const listed = await this.listTools(server);
        for (const tool of listed) {
          const name = mcpToolName(server.name, tool.name);
          result.tools.push({
            name, server, toolName: tool.name, risk: mcpToolRisk(server, tool.name, tool.readOnlyHint), readOnly: tool.readOnlyHint === true,
            spec: { name, description: tool.description ?? `${tool.name} (MCP server ${server.name})`, parameters: tool.inputSchema },
          });
        }
      } catch (error) {
        this.forget(server);
        result.errors.push({ server: server.name, message: (error as Error).message });
      }
    }));
    result.tools.sort((first, second) => first.name.localeCompare(second.name));
    return result;
  }

  /**
   * A server's tools, with one fresh try when the first connection fails: a stdio server that dies
   * once while starting would otherwise leave its tools out of the whole step.
   */
  private async listTools(server: McpServer): Promise<McpListedTool[]> {
    try {
      return await (await this.connect(server)).tools;
    } catch {
      this.forget(server);
      return (await this.connect(server)).tools;
    }
  }

  /** Calls one tool; failures (timeout, crash, protocol errors) come back as tool errors. */
  async call(tool: McpTool, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolResult> {
    const timeoutMs = tool.server.timeoutSeconds * 1000;
    try {
      const { client } = await this.connect(tool.server);
      const raw = await client.callTool({ name: tool.toolName, arguments: args }, undefined, { timeout: timeoutMs, maxTotalTimeout: timeoutMs, signal });
      const parsed = callResult.parse(raw);
      const text = parsed.content.map((part) => part.text ?? `[${part.type} content]`).join('\n');
      const output = text || (parsed.structuredContent === undefined ? '' : JSON.stringify(parsed.structuredContent));
      return { output, isError: parsed.isError === true, metadata: { mcp: { server: tool.server.name, tool: tool.toolName } } };
    } catch (error) {
      // A connection that failed a call may be dead or wedged: the next call starts a fresh one.
      this.forget(tool.server);
      const message = (error as Error).message;
      const timedOut = /timed out|timeout/i.test(message);
      return {
        output: timedOut
          ? `MCP tool ${tool.name} did not answer within ${tool.server.timeoutSeconds} s; it may be stuck. Try something else or ask the user.`
          : `MCP tool ${tool.name} failed: ${message}. The server may have crashed; try again once or do something else.`,
        isError: true,
        metadata: { mcp: { server: tool.server.name, tool: tool.toolName, error: timedOut ? 'timeout' : 'failed' } },
      };
    }
  }

  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map(async (pending) => (await pending.catch(() => undefined))?.client.close().catch(() => undefined)));
  }

  private connect(server: McpServer): Promise<Connection> {
    const key = configHash(server);
    const existing = this.connections.get(key);
    if (existing) return existing;
    const pending = this.open(server);
    this.connections.set(key, pending);
    pending.catch(() => this.connections.delete(key));
    return pending;
  }

  private async open(server: McpServer): Promise<Connection> {
    const client = new Client(CLIENT_INFO);
    const key = configHash(server);
    client.onclose = () => {
      if (this.connections.get(key)) this.connections.delete(key);
    };
    // A server declared with a longer call timeout gets as long to start (a sandboxed tsx server compiles first).
    const timeout = Math.max(MCP_CONNECT_TIMEOUT_MS, server.timeoutSeconds * 1000);
    await client.connect(this.transportFor(server), { timeout });
    const tools = client.listTools(undefined, { timeout }).then((listed) => listed.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema as Record<string, unknown>,
      readOnlyHint: tool.annotations?.readOnlyHint,
    })));
    await tools;
    return { client, tools };
  }

  private transportFor(server: McpServer): Transport {
    const { transport } = server;
    if (transport.type === 'stdio') {
      const env = Object.fromEntries(Object.entries(transport.env).map(([name, value]) => [name, typeof value === 'string' ? value : this.secret(server, value)]));
      if (transport.sandbox) {
        const [command, ...args] = this.sandboxedArgv(server, transport.sandbox, env, [transport.command, ...transport.args]);
        return new StdioClientTransport({ command: command!, args, env: getDefaultEnvironment(), stderr: 'ignore' });
      }
      return new StdioClientTransport({ command: transport.command, args: transport.args, env: { ...getDefaultEnvironment(), ...env }, cwd: transport.cwd, stderr: 'ignore' });
    }
    const headers = Object.fromEntries(Object.entries(transport.headers).map(([name, value]) => [name, this.secret(server, value)]));
    return new StreamableHTTPClientTransport(new URL(transport.url), { requestInit: { headers } });
  }

  /** bwrap around the server: a scratch folder of its own as the working directory, the declared folders, a clean environment. */
  private sandboxedArgv(server: McpServer, sandbox: NonNullable<StdioSandbox>, env: Record<string, string>, inner: string[]): string[] {
    const worker = this.sandboxing?.sandbox;
    if (worker?.kind !== 'bubblewrap') throw new McpSandboxUnavailable(server.name, worker?.kind === 'unavailable' ? worker.failure : 'no sandbox configured');
    const scratch = path.join(this.sandboxing!.scratchRoot, configHash(server));
    mkdirSync(scratch, { recursive: true });
    return buildBwrapCommand({
      workspace: scratch,
      allowNetwork: sandbox.network,
      limits: { ...DEFAULT_SANDBOX_LIMITS, ...worker.limits },
      bwrapPath: worker.bwrapPath,
      readOnlyPaths: [...(worker.readOnlyPaths ?? []), ...sandbox.readOnlyPaths],
      writablePaths: sandbox.writablePaths,
      // The server's own lifetime is the connection's: it dies with the worker.
      environment: env,
    }, inner);
  }

  private secret(server: McpServer, reference: SecretReference): string {
    const value = this.environment[`${MCP_SECRET_ENV_PREFIX}${reference.secret}`];
    if (value === undefined) throw new McpSecretMissing(server.name, reference.secret);
    return value;
  }

  private forget(server: McpServer): void {
    const key = configHash(server);
    const pending = this.connections.get(key);
    this.connections.delete(key);
    void pending?.then((connection) => connection.client.close()).catch(() => undefined);
  }
}

/** A stable key for a server's configuration (its tools are cached per configuration). */
export function configHash(server: McpServer): string {
  return createHash('sha256').update(stableJson(server)).digest('hex').slice(0, 32);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const mcpArguments = z.record(z.string(), z.unknown());

/** The worker's registry plus the run's MCP tools, for one step. */
export function withMcpTools(base: ToolRegistry, connections: McpConnections, mcp: RunMcpTools): ToolRegistry {
  if (mcp.tools.length === 0) return base;
  const byName = new Map(mcp.tools.map((tool) => [tool.name, tool]));
  const definitionOf = (tool: McpTool): ToolDefinition<Record<string, unknown>> => ({
    name: tool.name,
    description: tool.spec.description,
    // The server validates against its own JSON Schema; Keel only insists on an object.
    schema: mcpArguments,
    run: (args, context) => connections.call(tool, args, context.signal),
  });
  return {
    get: (name) => {
      const tool = byName.get(name);
      return tool ? definitionOf(tool) as ToolDefinition : base.get(name);
    },
    names: () => [...base.names(), ...byName.keys()],
    specs: (names) => {
      const wanted = names ?? [...base.names(), ...byName.keys()];
      const builtIn = base.specs(wanted.filter((name) => !byName.has(name)));
      return [...builtIn, ...wanted.flatMap((name) => byName.get(name)?.spec ?? [])];
    },
  };
}
