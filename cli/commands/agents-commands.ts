// `keel agents ls|apply -f agent.yaml`: apply creates the agent, or saves a new version when it exists.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { agentListShape, agentShape } from '../api-shapes';
import { table, type CliIo } from '../cli-io';
import { KeelApiError, type KeelClient } from '../keel-client';

/** The file needs a name; Keel checks every other field and names the one at fault. */
const agentFileShape = z.looseObject({ name: z.string().min(1) });

/** Thrown when an agent file cannot be read or parsed, or has no name. */
export class AgentFileError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'AgentFileError';
  }
}

export async function listAgents(client: KeelClient, io: CliIo): Promise<number> {
  const { agents } = await client.request('GET', '/v1/agents', agentListShape);
  if (agents.length === 0) {
    io.err('no agents\n');
    return 0;
  }
  io.out(table([['NAME', 'VERSION', 'DESCRIPTION', 'CREATED'], ...agents.map((agent) => [agent.name, String(agent.version), agent.description ?? '', agent.createdAt])]));
  return 0;
}

export async function applyAgent(client: KeelClient, io: CliIo, file: string): Promise<number> {
  const definition = readAgentFile(file);
  try {
    const created = await client.request('POST', '/v1/agents', agentShape, definition);
    io.out(`created ${created.name}@${created.version}\n`);
  } catch (error) {
    if (!(error instanceof KeelApiError && error.code === 'agent_exists')) throw error;
    const { name, ...settings } = definition;
    const updated = await client.request('PUT', `/v1/agents/${encodeURIComponent(name)}`, agentShape, settings);
    io.out(`updated ${updated.name}@${updated.version}\n`);
  }
  return 0;
}

function readAgentFile(file: string): z.infer<typeof agentFileShape> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AgentFileError(file, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  let document: unknown;
  try {
    // YAML is a superset of JSON: agent.json works too.
    document = parseYaml(text);
  } catch (error) {
    throw new AgentFileError(file, `not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = agentFileShape.safeParse(document);
  if (!parsed.success) throw new AgentFileError(file, `needs a "name" (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data;
}
