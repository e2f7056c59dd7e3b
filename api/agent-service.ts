// What the agent routes do, apart from HTTP: save versioned agent definitions for a tenant after
// checking them the way a run would, and read, list and delete them.
import { AgentNameTaken, AgentNotFound, type AgentRow, type AgentsRepository } from '../stores/agents-repository';
import type { Principal } from '../stores/tenants-repository';
import { HttpError, notFound } from './http-error';
import type { RunService } from './run-service';
import type { AgentDefinitionBody } from './schemas';

export type AgentServiceDeps = {
  agents: AgentsRepository;
  /** Checks settings as a run started from them would be checked. */
  runs: Pick<RunService, 'checkSettings'>;
};

export class AgentService {
  constructor(private readonly deps: AgentServiceDeps) {}

  async create(principal: Principal, name: string, body: AgentDefinitionBody): Promise<AgentRow> {
    const { description, ...settings } = body;
    await this.deps.runs.checkSettings(principal, settings);
    try {
      return await this.deps.agents.create({ tenantId: principal.tenantId, name, description, settings, createdBy: principal.userId });
    } catch (error) {
      if (error instanceof AgentNameTaken) {
        throw new HttpError(409, 'agent_exists', `${error.message}; PUT /v1/agents/${name} saves a new version`, { field: 'name', latestVersion: error.latestVersion });
      }
      throw error;
    }
  }

  async addVersion(principal: Principal, name: string, body: AgentDefinitionBody): Promise<AgentRow> {
    const { description, ...settings } = body;
    await this.deps.runs.checkSettings(principal, settings);
    try {
      return await this.deps.agents.addVersion({ tenantId: principal.tenantId, name, description, settings, createdBy: principal.userId });
    } catch (error) {
      if (error instanceof AgentNotFound) throw notFound('agent', name);
      throw error;
    }
  }

  async get(principal: Principal, name: string, version?: number): Promise<AgentRow> {
    const row = version === undefined
      ? await this.deps.agents.latest(principal.tenantId, name)
      : await this.deps.agents.get(principal.tenantId, name, version);
    if (!row) throw notFound('agent', version === undefined ? name : `${name}@${version}`);
    return row;
  }

  async list(principal: Principal): Promise<AgentRow[]> {
    return this.deps.agents.list(principal.tenantId);
  }

  /** The versions deleted. */
  async delete(principal: Principal, name: string): Promise<number[]> {
    const versions = await this.deps.agents.delete(principal.tenantId, name);
    if (versions.length === 0) throw notFound('agent', name);
    return versions;
  }
}
