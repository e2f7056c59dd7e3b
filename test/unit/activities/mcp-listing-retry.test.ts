// A stdio MCP server that dies while starting is tried once more before its tools are left out of
// a step.
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { McpConnections } from '../../../activities/tool-turn/mcp-tools';
import { mcpServersSchema } from '../../../core/mcp-servers';

const TSX = path.join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
const STDIO_SERVER = path.join(__dirname, '..', '..', 'support', 'mcp', 'stdio-server.ts');

/** A server whose first start exits at once (leaving a marker), and whose later starts serve. */
function failingOnceServer(marker: string) {
  const script = 'if [ ! -e "$1" ]; then touch "$1"; exit 1; fi; exec "$2" "$3"';
  return mcpServersSchema.parse([{ name: 'flaky', transport: { type: 'stdio', command: 'bash', args: ['-c', script, 'flaky', marker, TSX, STDIO_SERVER] }, timeoutSeconds: 30 }]);
}

describe('listing a run\'s MCP tools', () => {
  it('tries a server that died while starting once more, and lists its tools', async () => {
    const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'keel-mcp-flaky-')), 'started-once');
    const servers = failingOnceServer(marker);
    const connections = new McpConnections({ get: async () => ({ spec: { mcpServers: servers } }) as never });
    try {
      const listed = await connections.forRun('tenant', 'run_1');
      expect(existsSync(marker)).toBe(true);
      expect(listed.errors).toEqual([]);
      expect(listed.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['flaky__echo', 'flaky__note']));
    } finally {
      await connections.close();
    }
  }, 60_000);

  it('reports a server that fails both tries, without failing the listing', async () => {
    const servers = mcpServersSchema.parse([{ name: 'dead', transport: { type: 'stdio', command: 'bash', args: ['-c', 'exit 1'] }, timeoutSeconds: 5 }]);
    const connections = new McpConnections({ get: async () => ({ spec: { mcpServers: servers } }) as never });
    try {
      const listed = await connections.forRun('tenant', 'run_2');
      expect(listed.tools).toEqual([]);
      expect(listed.errors).toEqual([{ server: 'dead', message: expect.any(String) }]);
    } finally {
      await connections.close();
    }
  }, 60_000);
});
