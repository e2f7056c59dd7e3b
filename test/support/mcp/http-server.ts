// A real streamable HTTP MCP server on a local port for the MCP tests: `lookup` (read-only; checks
// the bearer token the worker sent from a named secret) and `hang` (never answers).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export type TestMcpHttpServer = { url: string; authorizations: string[]; close(): Promise<void> };

function mcpServer(): McpServer {
  const server = new McpServer({ name: 'keel-test-http', version: '1.0.0' });
  server.registerTool('lookup', {
    description: 'Looks up the capital of a country.',
    inputSchema: { country: z.string() },
    annotations: { readOnlyHint: true },
  }, async ({ country }) => ({ content: [{ type: 'text', text: country === 'France' ? 'The capital of France is Paris.' : `unknown: ${country}` }] }));
  server.registerTool('hang', {
    description: 'Never answers.',
    inputSchema: {},
    annotations: { readOnlyHint: true },
  }, () => new Promise(() => undefined));
  return server;
}

export async function startMcpHttpServer(): Promise<TestMcpHttpServer> {
  const authorizations: string[] = [];
  const http: Server = createServer((request, response) => {
    authorizations.push(String(request.headers.authorization ?? ''));
    // Stateless: a server and transport per request, as in the SDK's stateless example.
    const server = mcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    void server.connect(transport).then(() => transport.handleRequest(request, response));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    authorizations,
    close: () => new Promise((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    }),
  };
}
