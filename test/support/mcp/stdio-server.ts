// A real MCP server over stdio for the MCP tests (run with tsx): `echo` (read-only), `note` (counts
// its calls in MCP_CALLS_FILE, so a test can tell a tool ran once), `slow_note` (counts its call,
// then takes 5 s to answer: a worker can be killed mid-call) and `crash` (the process dies mid-call).
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'keel-test-stdio', version: '1.0.0' });

server.registerTool('echo', {
  description: 'Echoes the text back, upper-cased.',
  inputSchema: { text: z.string().describe('What to echo') },
  annotations: { readOnlyHint: true },
}, async ({ text }) => ({ content: [{ type: 'text', text: `ECHO: ${text.toUpperCase()} (token ${process.env.TEST_TOKEN ?? 'none'})` }] }));

server.registerTool('note', {
  description: 'Writes a note (has a side effect: not read-only).',
  inputSchema: { text: z.string() },
}, async ({ text }) => {
  if (process.env.MCP_CALLS_FILE) appendFileSync(process.env.MCP_CALLS_FILE, `${text}\n`);
  return { content: [{ type: 'text', text: `noted: ${text}` }] };
});

server.registerTool('slow_note', {
  description: 'Writes a note, slowly (has a side effect: not read-only).',
  inputSchema: { text: z.string() },
}, async ({ text }) => {
  if (process.env.MCP_CALLS_FILE) appendFileSync(process.env.MCP_CALLS_FILE, `${text}\n`);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  return { content: [{ type: 'text', text: `slowly noted: ${text}` }] };
});

server.registerTool('crash', {
  description: 'Crashes the server mid-call.',
  inputSchema: {},
  annotations: { readOnlyHint: true },
}, async () => {
  setTimeout(() => process.exit(3), 50);
  return new Promise(() => undefined);
});

void server.connect(new StdioServerTransport());
