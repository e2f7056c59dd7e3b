// What the run routes do, apart from HTTP: create (idempotently) and start runs, look them up for a
// tenant, send them messages and cancel them through the workflow's update and signal.
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { ulid } from 'ulid';
import type { KeelConfig } from '../core/config';
import type { ModelCatalog } from '../core/model-catalog';
import type { ModelPool } from '../core/model-pool';
import type { ComplexityChoice } from '../core/model-pool';
import { ZodError } from 'zod';
import { mayReach, roleCan } from '../core/access';
import { invalidPolicy } from './invalid-policy';
import { DEFAULT_LIMITS, type AgentRunInput } from '../core/run-input';
import { parseStoredRunSpec, parseStoredRunStatus } from '../core/run-input-schema';
import { parseStoredRow } from '../stores/stored-row';
import { resolveRunPolicy, type RunPolicy, type RunPolicyInput } from '../core/run-policy';
import { TERMINAL_STATUSES } from '../core/run-status';
import { TENANT_SEARCH_ATTRIBUTE, USER_SEARCH_ATTRIBUTE } from '../core/search-attributes';
import { REQUEST_ID_MEMO_FIELD } from '../core/request-id';
import type { Principal, TenantsRepository } from '../stores/tenants-repository';
import type { RunRow, RunsRepository } from '../stores/runs-repository';
import type { AgentsRepository } from '../stores/agents-repository';
import { applyAgentSettings, parseAgentReference } from './agent-overrides';
import { agentRun } from '../workflows/agent-run';
import { inLiveSample, type Scorer } from '../core/evals';
import { cancelSignal, sendMessageUpdate, stateQuery, type RunStateSnapshot, type SendMessageResult } from '../workflows/definitions';
import { HttpError, notFound } from './http-error';
import { agentSettings, type AgentSettings, type CreateRunBody } from './schemas';
import { GET_SKILL_TOOL, skillsPromptSection } from '../core/skills';
import type { HttpTool } from '../core/http-tools';
import type { SkillService } from './skill-service';
import type { ExperimentEnrollments } from './experiment-enrollment';
import { applyArmOverrides } from './experiment-overrides';

export const DEFAULT_INSTRUCTIONS =
  'You are Keel, a careful software agent. Work in the workspace with the tools you have: read before you edit, ' +
  'keep changes minimal, run commands to check your work, and finish with a short summary of what you did.';
export const LIVE_STATE_TIMEOUT_MS = 2000;

export type RunServiceDeps = {
  client: Client;
  runs: RunsRepository;
  catalog: ModelCatalog;
  config: Pick<KeelConfig, 'taskQueue' | 'defaultModel'>;
  toolNames: readonly string[];
  /** With a pool, runs that name no model are routed through it. */
  pool?: ModelPool;
  /** Tenant policies, the defaults each run's policy starts from. */
  tenants: Pick<TenantsRepository, 'getPolicy'>;
  /** Saved agent definitions a run may start from (`agent` in the body). */
  agents: Pick<AgentsRepository, 'get' | 'latest'>;
  /** The skills a run lists in its system prompt (absent: runs have none). */
  skills?: Pick<SkillService, 'forRun'>;
  /**
   * The client shares the connection of a worker in this process (npm run dev, one-process
   * deployments): the server hands the first workflow task back in the start response, saving a
   * dispatch round trip on every run.
   */
  eagerStart?: boolean;
  /** Refuses a new run the caller's quotas have no room for (a replayed Idempotency-Key is not new). */
  admit?: (principal: Principal) => Promise<void>;
  /** Experiments on agents: a run started by agent name gets its arm's overrides (absent: no experiments). */
  experiments?: Pick<ExperimentEnrollments, 'enrol'>;
};

export class RunService {
  constructor(private readonly deps: RunServiceDeps) {}

  /** `requestId`: the API request's id, kept in the workflow's memo and carried into the worker's logs. */
  async create(principal: Principal, given: CreateRunBody, idempotencyKey?: string, requestId?: string): Promise<{ row: RunRow; created: boolean }> {
    const replay = idempotencyKey === undefined ? undefined : await this.deps.runs.findByIdempotencyKey(principal.tenantId, idempotencyKey);
    if (!replay) await this.deps.admit?.(principal);
    const { body, agent, evaluation, experiment } = await this.withAgent(principal, given);
    const input = this.toWorkflowInput(principal, body);
    if (agent) input.agent = agent;
    if (evaluation && inLiveSample(input.runId, evaluation.evalSampleRate ?? 0) && (evaluation.scorers?.length ?? 0) > 0) input.scoreWhenCompleted = true;
    await this.withSkills(input, body.skills);
    input.policy = this.policyOf(await this.deps.tenants.getPolicy(principal.tenantId), body.policy as RunPolicyInput | undefined);
    this.assertPolicyModelsKnown(input.policy);
    const { row, created } = await this.deps.runs.create({
      id: input.runId, tenantId: principal.tenantId, userId: principal.userId, spec: input, idempotencyKey, experiment,
    });
    // A repeated key returns the first run; a run stuck in `queued` (start failed) is started again.
    if (created || row.status === 'queued') await this.start(parseStoredRunSpec(row.id, row.spec), requestId);
    return { row: (await this.deps.runs.get(principal.tenantId, row.id)) ?? row, created };
  }

  /**
   * Checks saved agent settings the way a run started from them would be checked (models, tools,
   * policy against the tenant's defaults), so a definition that could never start a run is a 400 now.
   */
  async checkSettings(principal: Principal, settings: AgentSettings): Promise<void> {
    const { scorers, evalSampleRate: _rate, ...runSettings } = settings;
    this.toWorkflowInput(principal, { ...runSettings, message: 'settings check' });
    this.assertScorerModelsKnown(scorers ?? []);
    if (settings.skills !== undefined) await this.deps.skills?.forRun(principal.tenantId, settings.skills);
    const policy = this.policyOf(await this.deps.tenants.getPolicy(principal.tenantId), settings.policy as RunPolicyInput | undefined);
    this.assertPolicyModelsKnown(policy);
  }

  /** A rubric scorer's judge is a catalog model, like a run's. */
  assertScorerModelsKnown(scorers: readonly Scorer[], field = 'scorers'): void {
    scorers.forEach((scorer, index) => {
      if (scorer.kind === 'rubric' && !this.deps.catalog.has(scorer.model)) {
        throw new HttpError(400, 'unknown_model', `unknown judge model "${scorer.model}"; see GET /v1/models`, { field: `${field}[${index}].model`, known: this.deps.catalog.ids() });
      }
    });
  }

  /**
   * The run's skills: their names and descriptions join the system prompt (the bodies stay out
   * until get_skill loads one), and their names travel in the input for the worker's get_skill.
   */
  private async withSkills(input: AgentRunInput, named: readonly string[] | undefined): Promise<void> {
    const skills = (await this.deps.skills?.forRun(input.tenantId, named)) ?? [];
    if (skills.length === 0) return;
    input.instructions = [input.instructions, skillsPromptSection(skills)].filter(Boolean).join('\n\n');
    input.skills = skills.map((skill) => skill.name);
  }

  /**
   * The run body with the named agent's settings under it (and, when the agent has an experiment,
   * the run's arm's overrides between the two); unknown agents are a 404 naming `agent`.
   */
  private async withAgent(principal: Principal, body: CreateRunBody): Promise<{ body: CreateRunBody; agent?: { name: string; version: number }; evaluation?: Pick<AgentSettings, 'scorers' | 'evalSampleRate'>; experiment?: { id: string; arm: string } }> {
    if (body.agent === undefined) return { body };
    const reference = parseAgentReference(body.agent);
    const row = reference.version === undefined
      ? await this.deps.agents.latest(principal.tenantId, reference.name)
      : await this.deps.agents.get(principal.tenantId, reference.name, reference.version);
    if (!row) throw new HttpError(404, 'not_found', `agent ${body.agent} not found`, { field: 'agent' });
    const settings = parseStoredRow(agentSettings, row.settings, { table: 'agents', id: `${row.name}@${row.version}` });
    const agent = { name: row.name, version: row.version };
    const evaluation = { scorers: settings.scorers, evalSampleRate: settings.evalSampleRate };
    const enrollment = await this.deps.experiments?.enrol(principal.tenantId, row.name, principal.userId, body);
    if (!enrollment) return { body: applyAgentSettings(settings, body), agent, evaluation };
    return {
      body: applyAgentSettings(applyArmOverrides(settings, enrollment.overrides), body), agent, evaluation,
      experiment: { id: enrollment.experimentId, arm: enrollment.arm },
    };
  }

  /** A run the principal may see: its own, or any of the tenant's with `runs:read:all`; others are not found. */
  async get(principal: Principal, runId: string): Promise<RunRow> {
    const row = await this.deps.runs.get(principal.tenantId, runId);
    if (!row || !mayReach(principal, row.userId, 'runs:read:all')) throw notFound('run', runId);
    return row;
  }

  async list(principal: Principal, limit: number): Promise<RunRow[]> {
    return this.deps.runs.list(principal.tenantId, limit, roleCan(principal.role, 'runs:read:all') ? undefined : principal.userId);
  }

  /** A run the principal may message or cancel: seen, and its own or any with `runs:control:all`. */
  private async controllable(principal: Principal, runId: string): Promise<RunRow> {
    const row = await this.get(principal, runId);
    if (!mayReach(principal, row.userId, 'runs:control:all')) throw notFound('run', runId);
    return row;
  }

  /** The workflow's own view while the run is active; undefined when it cannot answer quickly. */
  async liveState(row: RunRow): Promise<RunStateSnapshot | undefined> {
    if (TERMINAL_STATUSES.includes(parseStoredRunStatus(row.id, row.status))) return undefined;
    try {
      return await this.deps.client.connection.withDeadline(Date.now() + LIVE_STATE_TIMEOUT_MS, () =>
        this.deps.client.workflow.getHandle(row.id).query(stateQuery),
      );
    } catch {
      return undefined;
    }
  }

  /** The workflow history of the run's latest execution, as Temporal's JSON (for download and replay). */
  async history(principal: Principal, runId: string): Promise<{ events: unknown[] }> {
    await this.get(principal, runId);
    let history;
    try {
      history = await this.deps.client.workflow.getHandle(runId).fetchHistory();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw notFound('run history', runId);
      throw new HttpError(503, 'temporal_unavailable', `could not read the run's history: ${(error as Error).message}`);
    }
    const json = JSON.parse(historyToJSON(history)) as { events?: unknown[] };
    return { ...json, events: json.events ?? [] };
  }

  async sendMessage(principal: Principal, runId: string, text: string): Promise<SendMessageResult> {
    const row = await this.controllable(principal, runId);
    this.assertActive(row);
    try {
      return await this.deps.client.workflow.getHandle(runId).executeUpdate(sendMessageUpdate, { args: [{ id: ulid(), text }] });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw new HttpError(409, 'message_rejected', error.cause?.message ?? error.message);
      if (error instanceof WorkflowNotFoundError) throw new HttpError(409, 'run_not_active', `run ${runId} is no longer running`);
      throw error;
    }
  }

  async cancel(principal: Principal, runId: string, reason?: string): Promise<void> {
    const row = await this.controllable(principal, runId);
    this.assertActive(row);
    try {
      await this.deps.client.workflow.getHandle(runId).signal(cancelSignal, { reason });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new HttpError(409, 'run_not_active', `run ${runId} is no longer running`);
      throw error;
    }
  }

  private assertActive(row: RunRow): void {
    if (TERMINAL_STATUSES.includes(parseStoredRunStatus(row.id, row.status))) {
      throw new HttpError(409, 'run_finished', `run ${row.id} is ${row.status}`, { status: row.status });
    }
  }

  /** Starts the recorded run's workflow (a fork's too: api/run-fork-service.ts). */
  async start(input: AgentRunInput, requestId: string | undefined): Promise<void> {
    try {
      await this.deps.client.workflow.start(agentRun, {
        taskQueue: this.deps.config.taskQueue,
        workflowId: input.runId,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        ...(this.deps.eagerStart && { requestEagerStart: true }),
        ...(requestId !== undefined && { memo: { [REQUEST_ID_MEMO_FIELD]: requestId } }),
        typedSearchAttributes: [
          { key: TENANT_SEARCH_ATTRIBUTE, value: input.tenantId },
          { key: USER_SEARCH_ATTRIBUTE, value: input.userId },
        ],
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw new HttpError(503, 'temporal_unavailable', `could not start the run's workflow: ${(error as Error).message}`);
    }
  }

  private toWorkflowInput(principal: Principal, body: CreateRunBody): AgentRunInput {
    if (body.model && body.models) throw new HttpError(400, 'invalid_request', 'give either "model" or "models", not both', { fields: ['model', 'models'] });
    const selection = this.modelSelection(body);
    const models = selection.models;
    const unknownModels = models.filter((id) => !this.deps.catalog.has(id));
    if (unknownModels.length > 0) {
      throw new HttpError(400, 'unknown_model', `unknown model ${unknownModels.map((id) => `"${id}"`).join(', ')}; see GET /v1/models`, { field: body.models ? 'models' : 'model', known: this.deps.catalog.ids() });
    }
    const tools = body.tools ?? [...this.deps.toolNames];
    const unknownTools = tools.filter((name) => !this.deps.toolNames.includes(name));
    if (unknownTools.length > 0) {
      throw new HttpError(400, 'unknown_tool', `unknown tool ${unknownTools.map((name) => `"${name}"`).join(', ')}; available: ${this.deps.toolNames.join(', ')}`, { field: 'tools' });
    }
    return {
      runId: `run_${ulid()}`,
      tenantId: principal.tenantId,
      userId: principal.userId,
      instructions: body.instructions ?? DEFAULT_INSTRUCTIONS,
      firstMessage: body.message,
      models,
      tools: [...new Set(tools)],
      limits: { ...DEFAULT_LIMITS, ...body.limits },
      stream: body.stream ?? true,
      ...(selection.complexity !== undefined && { complexity: selection.complexity }),
      ...(body.budget !== undefined && { budget: body.budget }),
      ...(body.mcpServers !== undefined && body.mcpServers.length > 0 && { mcpServers: body.mcpServers }),
      ...(body.httpTools !== undefined && body.httpTools.length > 0 && { httpTools: this.checkedHttpTools(body.httpTools) }),
      ...(body.output !== undefined && { output: body.output }),
    };
  }

  /** An HTTP tool may not take a name the model already knows (a built-in, get_skill). */
  private checkedHttpTools(tools: HttpTool[]): HttpTool[] {
    const taken = new Set([...this.deps.toolNames, GET_SKILL_TOOL]);
    tools.forEach((tool, index) => {
      if (taken.has(tool.name)) throw new HttpError(400, 'tool_name_taken', `HTTP tool "${tool.name}" has the name of a built-in tool`, { field: `httpTools.${index}.name` });
    });
    return tools;
  }

  /** Models a policy names (small model, validators, judge) must be in the catalog, or the checks would fail mid-run. */
  assertPolicyModelsKnown(policy: RunPolicy): void {
    const named: Array<[string, string | undefined]> = [
      ['policy.smallModel', policy.smallModel],
      ['policy.crossValidation.judgeModel', policy.crossValidation.judgeModel],
      ...policy.crossValidation.models.map((id, index): [string, string] => [`policy.crossValidation.models.${index}`, id]),
    ];
    for (const [field, id] of named) {
      if (id !== undefined && !this.deps.catalog.has(id)) {
        throw new HttpError(400, 'unknown_model', `unknown model "${id}" in ${field}; see GET /v1/models`, { field, known: this.deps.catalog.ids() });
      }
    }
  }

  /** The tenant's defaults with the run's overrides; a malformed override is a 400 naming the field. */
  policyOf(tenant: RunPolicyInput | undefined, override: RunPolicyInput | undefined): RunPolicy {
    try {
      return resolveRunPolicy(tenant, override);
    } catch (error) {
      if (!(error instanceof ZodError)) throw error;
      throw invalidPolicy(error, 'policy');
    }
  }

  /** The run's models, or (pool configured, none named) an empty list and the complexity the pool routes by. */
  private modelSelection(body: CreateRunBody): { models: string[]; complexity?: ComplexityChoice } {
    const { pool } = this.deps;
    const named = body.models ?? (body.model ? [body.model] : undefined);
    if (named && body.complexity) {
      throw new HttpError(400, 'invalid_request', '"complexity" routes through the model pool; give it or "model"/"models", not both', { fields: ['complexity', body.models ? 'models' : 'model'] });
    }
    if (!pool && body.complexity) {
      throw new HttpError(400, 'pool_not_configured', '"complexity" needs a model pool (KEEL_MODEL_POOL_FILE); this deployment has none', { field: 'complexity' });
    }
    if (body.budget) {
      const unpriced = (named ?? (pool ? [] : [this.deps.config.defaultModel])).filter((id) => !pool?.model(id));
      if (unpriced.length > 0) {
        throw new HttpError(400, 'unpriced_model', `"budget" needs priced models from the model pool; no price for ${unpriced.map((id) => `"${id}"`).join(', ')}`, { field: 'budget', models: unpriced });
      }
    }
    if (named) return { models: named };
    if (pool) return { models: [], complexity: body.complexity ?? 'auto' };
    return { models: [this.deps.config.defaultModel] };
  }
}
