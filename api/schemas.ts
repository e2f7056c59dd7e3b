// Request and response shapes of the HTTP API (zod; also the OpenAPI document at /docs).
import { z } from 'zod';
import { CIRCUIT_STATES, COMPLEXITY_CHOICES, POOL_TIERS } from '../core/model-pool';
import { mcpServersSchema } from '../core/mcp-servers';
import { MAX_MAX_STEPS } from '../core/run-input';
import { MAX_RUN_SKILLS, skillName } from '../core/skills';
import { runOutputSchema } from '../core/run-output';
import { httpToolsSchema } from '../core/http-tools';
import { REVIEW_ACTIONS, REVIEW_KINDS, REVIEW_STATUSES } from '../core/review';
import { RUN_STATUSES } from '../core/run-status';
import { QUOTA_NAMES } from '../core/access';
import { USAGE_GROUPS } from '../core/model-call-purposes';
import { scorersSchema } from '../core/evals';

export const MAX_MESSAGE_CHARS = 200_000;
export const MAX_INSTRUCTIONS_CHARS = 100_000;
export const MAX_FALLBACK_MODELS = 8;

const modelId = z.string().min(1).max(200);

/** PostgreSQL timestamps have no year 0 (and ISO 8601 allows it): an instant from year 1 to 9999. */
const EARLIEST_INSTANT_MS = Date.parse('0001-01-01T00:00:00Z');
export const isoInstant = () => z.iso.datetime({ offset: true }).refine((value) => Date.parse(value) >= EARLIEST_INSTANT_MS, 'must be in year 1 or later');
const usd = z.number().positive().max(1_000_000);

export const budgetSchema = z.object({
  maxCostPerCall: usd.optional().describe('USD: no single model call may cost more (checked against its worst case before calling).'),
  maxCostPerRun: usd.optional().describe('USD: the run stops with `budget_exceeded` before a call that could take it over this.'),
}).strict();

export const AGENT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const agentName = () => z.string().regex(AGENT_NAME_PATTERN, 'must be a slug: 1-63 lowercase letters, digits or -, starting with a letter or digit');
/** `name` (the latest version) or `name@3`. */
export const AGENT_REFERENCE_PATTERN = /^([a-z0-9][a-z0-9-]{0,62})(?:@([1-9][0-9]{0,8}))?$/;

export const createRunBody = z.object({
  agent: z.string().regex(AGENT_REFERENCE_PATTERN, 'must be an agent name or name@version, like "reviewer" or "reviewer@3"').optional()
    .describe('Start from a saved agent definition (GET /v1/agents); the fields given here override its settings.'),
  message: z.string().trim().min(1, 'must not be empty').max(MAX_MESSAGE_CHARS),
  instructions: z.string().max(MAX_INSTRUCTIONS_CHARS).optional(),
  model: modelId.optional().describe('Model id from the catalog (GET /v1/models). Defaults to the configured default model.'),
  models: z.array(modelId).min(1).max(MAX_FALLBACK_MODELS).optional().describe('Models in fallback order; use instead of `model`.'),
  tools: z.array(z.string().min(1)).max(50).optional().describe('Tool names; default: every tool.'),
  limits: z.object({
    maxSteps: z.number().int().min(1).max(MAX_MAX_STEPS).optional(),
    stepTimeoutSeconds: z.number().int().min(10).max(3600).optional(),
    heartbeatTimeoutSeconds: z.number().int().min(1).max(600).optional(),
    historyEventsBeforeContinueAsNew: z.number().int().min(200).max(40_000).optional().describe('Advanced: continue-as-new threshold in history events.'),
  }).strict().optional(),
  stream: z.boolean().optional().describe('Stream tokens over SSE (default true).'),
  complexity: z.enum(COMPLEXITY_CHOICES).optional().describe('With a model pool and no `model(s)`: the tier to route to; `auto` (default) classifies the message.'),
  budget: budgetSchema.optional().describe('Spending limits in USD; needs priced (pool) models.'),
  policy: z.record(z.string(), z.unknown()).optional().describe('Overrides of the tenant policy for this run (safety verdicts, review timeout, side effects, reflection, critical, memory); see README "Policies".'),
  mcpServers: mcpServersSchema.optional().describe('MCP servers whose tools the run may use (named <server>__<tool>); see README "Bring your own tools".'),
  httpTools: httpToolsSchema.optional().describe('Declarative HTTP tools (method, URL template, JSON Schema of arguments, headers from named secrets, allowed hosts); see README "HTTP tools".'),
  output: runOutputSchema.optional().describe('Structured output: the final answer must be JSON matching `schema`; an invalid one is sent back for correction. GET /v1/runs/:id shows it as `output`.'),
  skills: z.array(skillName()).max(MAX_RUN_SKILLS).optional().describe('Skills the run may load with get_skill (GET /v1/skills); default: every skill of the tenant and of KEEL_SKILLS_DIR; [] for none.'),
}).strict();
export type CreateRunBody = z.infer<typeof createRunBody>;

/** An agent's evals (core/evals): its scorers, and the share of its completed runs scored live. Not run settings: a run body has neither. */
const agentEvaluationSettings = {
  scorers: scorersSchema.optional().describe('Scorers of the agent\'s finished runs (answer_regex, answer_json_schema, tool_used, tool_not_used, workspace_file, rubric); see README "Evaluating an agent".'),
  evalSampleRate: z.number().min(0).max(1).optional().describe('The share (0..1) of the agent\'s completed runs scored live with its scorers (a `score.recorded` event per scorer); default 0.'),
};

/** An agent definition is saved run settings: the run body's fields that describe the agent, not the task. */
export const agentSettings = createRunBody.pick({
  instructions: true, model: true, models: true, complexity: true, tools: true, policy: true, limits: true, budget: true, mcpServers: true, skills: true, httpTools: true, output: true,
}).extend(agentEvaluationSettings).strict();
export type AgentSettings = z.infer<typeof agentSettings>;

const agentDescription = z.string().max(2000).optional();
export const createAgentBody = agentSettings.extend({ name: agentName(), description: agentDescription }).strict();
export const updateAgentBody = agentSettings.extend({ description: agentDescription }).strict();
export type AgentDefinitionBody = z.infer<typeof updateAgentBody>;
export const agentNameParams = z.object({ name: agentName() });
export const agentVersionQuery = z.object({
  version: z.coerce.number().int().min(1).max(999_999_999).optional().describe('A version; default: the latest.'),
}).strict();

export const agentResource = z.object({
  name: z.string(),
  version: z.number(),
  description: z.string().nullable(),
  settings: z.record(z.string(), z.unknown()).describe('The saved run settings: instructions, model(s) or complexity, tools, policy, limits, budget.'),
  createdBy: z.string(),
  createdAt: z.string(),
  links: z.object({ self: z.string() }),
});

export const runIdParams = z.object({ id: z.string().regex(/^run_[0-9A-Z]{26}$/, 'must be a run id like run_01J...') });

export const usageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number().optional(),
  reasoningTokens: z.number().optional(),
});

export const runResource = z.object({
  id: z.string(),
  status: z.enum(RUN_STATUSES),
  step: z.number(),
  model: z.string().nullable().describe('The first model the run named; null when the pool chooses.'),
  models: z.array(z.string()),
  complexity: z.enum(COMPLEXITY_CHOICES).nullable().describe('Set when the pool chooses the models.'),
  budget: budgetSchema.nullable(),
  agent: z.object({ name: z.string(), version: z.number() }).nullable().describe('The agent definition the run started from; null when it named none.'),
  experiment: z.object({ id: z.string(), arm: z.string() }).nullable().describe('The experiment on its agent the run was enrolled in, and the arm it got (GET /v1/experiments/:id); null when none.'),
  policy: z.record(z.string(), z.unknown()).nullable().describe('The resolved policy the run runs under (tenant defaults plus its overrides); null for runs started before policies.'),
  usage: usageSchema,
  costUsd: z.number().describe('USD spent on priced (pool) models so far.'),
  outcome: z.unknown().nullable(),
  output: z.unknown().nullable().describe('A run with an output schema: its final answer as parsed JSON once one matched; null otherwise.'),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  parentRunId: z.string().nullable().describe('A fork (POST /v1/runs/:id/fork): the run it continues; null otherwise.'),
  forkedFromStep: z.number().nullable().describe("A fork: the parent's step it continues from (its own steps start at this + 1); null otherwise."),
  live: z.unknown().optional().describe('Live state from the workflow (pending work, queued messages) while the run is active.'),
  links: z.object({ self: z.string(), events: z.string(), messages: z.string(), temporal: z.string() }),
});

export const sendMessageBody = z.object({ text: z.string().trim().min(1, 'must not be empty').max(MAX_MESSAGE_CHARS) }).strict();
export const cancelBody = z.object({ reason: z.string().max(1000).optional() }).strict().optional();

/** Transcript seqs are PostgreSQL integers: a larger cursor is a 400, not a database error. */
export const MAX_CURSOR = 2_147_483_647;

export const messagesQuery = z.object({
  after: z.coerce.number().int().min(0).max(MAX_CURSOR).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const listRunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const usageQuery = z.object({
  from: isoInstant().optional().describe('Only calls at or after this time (ISO 8601).'),
  to: isoInstant().optional().describe('Only calls before this time (ISO 8601).'),
  groupBy: z.enum(USAGE_GROUPS).optional().describe('Also total the calls by `purpose` (step, prediction, reflection, cross_validation, summary, compression, extraction, health), `model` or `user` (the run\'s owner), in `groups`.'),
}).strict();

const usageTotals = {
  calls: z.number(),
  runs: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  reasoningTokens: z.number(),
  costUsd: z.number(),
};

const cacheTotals = {
  hits: z.number().describe('Steps answered from the cache.'),
  misses: z.number().describe('Steps that looked in the cache and called the model.'),
  hitRatio: z.number().nullable().describe('hits / (hits + misses); null without lookups.'),
};

export const cacheUsageResource = z.object({
  ...cacheTotals,
  byKind: z.array(z.object({ kind: z.string().describe('`response` (identical request) or `similar_query` (a similar earlier run\'s answer).'), ...cacheTotals })),
}).describe('Cache lookups in the window, by runs whose policy turns the cache on (README "Cache and dedupe").');

export const usageResource = z.object({
  tenantId: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  ...usageTotals,
  byModel: z.array(z.object({ model: z.string(), ...usageTotals })),
  scope: z.enum(['tenant', 'user']).describe("`tenant`: every call of the tenant; `user`: only the calls of the caller's own runs (a role without `runs:read:all`)."),
  groupBy: z.enum(USAGE_GROUPS).nullable().describe('What `groups` totals by, as asked (null: not asked).'),
  groups: z.array(z.object({
    key: z.string().nullable().describe('The purpose, the model, or the user id (null for calls outside any run, such as health checks).'),
    ...usageTotals,
  })).describe('With `groupBy`: one entry per purpose, model or user that had calls, in key order; their totals add up to the top-level ones. Empty without `groupBy`.'),
  quotas: z.array(z.object({
    quota: z.enum(QUOTA_NAMES),
    scope: z.enum(['tenant', 'user']).describe("The tenant's quota, or the caller's own."),
    limit: z.number().nullable().describe('null: unlimited.'),
    used: z.number(),
    remaining: z.number().nullable(),
    resetsAt: z.string().nullable().describe('When the window starts again (null for quotas that count what exists now).'),
  })).describe("The tenant's quotas and the caller's, each with what it counts now (runs today, runs not finished, tokens and USD this UTC month, live notes)."),
  cache: cacheUsageResource,
});

export const MAX_USAGE_DAYS_QUERY = 366;

export const dailyUsageQuery = z.object({
  days: z.coerce.number().int().min(1).max(MAX_USAGE_DAYS_QUERY).default(30).describe('How many UTC days, ending today (default 30).'),
}).strict();

export const dailyUsageResource = z.object({
  tenantId: z.string(),
  from: z.string().describe('The first day\'s start (UTC midnight, ISO 8601).'),
  to: z.string().describe('The end of today (UTC, ISO 8601), exclusive.'),
  days: z.array(z.object({ day: z.string().describe('YYYY-MM-DD (UTC)'), model: z.string(), ...usageTotals })).describe('One entry per day and model that had calls, oldest first.'),
  scope: z.enum(['tenant', 'user']).describe("`tenant`: every call of the tenant; `user`: only the calls of the caller's own runs."),
});

export const toolOutputParams = runIdParams.extend({ callId: z.string().min(1).max(200) });
export const toolOutputQuery = z.object({
  step: z.coerce.number().int().min(0).max(MAX_CURSOR).optional().describe('With the model\'s call id (as in `tool-call.finished` events): the step it was made at. Without it, `callId` is a reference (`s1_0_call_…`, as `read_tool_output` takes).'),
  offset: z.coerce.number().int().min(1).max(MAX_CURSOR).default(1).describe('First line, 1-based.'),
  limit: z.coerce.number().int().min(1).max(2000).default(500).describe('Most lines.'),
}).strict();
export const toolOutputResource = z.object({
  callId: z.string(),
  reference: z.string().describe('The stored call\'s reference (`read_tool_output` takes it).'),
  toolName: z.string(),
  text: z.string().describe('Lines offset..lastLine of the full output (at most 16,000 characters).'),
  firstLine: z.number(),
  lastLine: z.number(),
  totalLines: z.number(),
  lineCut: z.boolean().describe('The first line was longer than a page and was cut.'),
});

const healthCheckResource = z.object({ at: z.string(), ok: z.boolean(), latencyMs: z.number(), error: z.string().nullable() });

export const modelResource = z.object({
  id: z.string(),
  provider: z.string(),
  model: z.string(),
  tier: z.enum(POOL_TIERS).nullable().describe('Pool tier; null for models outside the pool.'),
  contextWindow: z.number().nullable(),
  pricing: z.object({ inputPerMillion: z.number(), outputPerMillion: z.number(), cachedInputPerMillion: z.number().optional() }).nullable(),
  circuit: z.object({
    state: z.enum(CIRCUIT_STATES),
    consecutiveFailures: z.number(),
    retryAt: z.string().nullable(),
    lastError: z.string().nullable(),
    lastLatencyMs: z.number().nullable(),
    lastCheckedAt: z.string().nullable(),
    lastHealthOk: z.boolean().nullable(),
  }).nullable().describe('Shared circuit state and the last health check; null for a family (`local/*`).'),
  healthChecks: z.array(healthCheckResource).describe('The latest health checks, oldest first (empty for a family or a model never checked).'),
});

export const modelsResource = z.object({
  default: z.string().describe('The model of runs that name none, when no pool is configured.'),
  selection: z.enum(['pool', 'default-model']).describe('How runs that name no model get one.'),
  models: z.array(modelResource),
});

export const reviewIdParams = z.object({ reviewId: z.string().regex(/^rev_[0-9A-Z]{26}$/, 'must be a review id like rev_01J...') });
export const runReviewParams = runIdParams.extend(reviewIdParams.shape);

export const listReviewsQuery = z.object({
  status: z.enum(REVIEW_STATUSES).optional().describe('Default: pending.'),
  runId: z.string().regex(/^run_[0-9A-Z]{26}$/, 'must be a run id like run_01J...').optional(),
  kind: z.enum(REVIEW_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

export const decideReviewBody = z.object({
  action: z.enum(REVIEW_ACTIONS).describe('approve; reject (give a reason: the agent reads it); edit = approve a tool call with edited `arguments`.'),
  reason: z.string().trim().min(1).max(2000).optional(),
  arguments: z.record(z.string(), z.unknown()).optional().describe('With `edit`: the arguments the tool call runs with.'),
}).strict();

export const reviewResource = z.object({
  id: z.string(),
  runId: z.string(),
  kind: z.enum(REVIEW_KINDS),
  step: z.number(),
  status: z.enum(REVIEW_STATUSES),
  summary: z.string(),
  context: z.record(z.string(), z.unknown()).describe('What the reviewer decides on: the tool call and its arguments, safety reasons, predictions, answers.'),
  decision: z.unknown().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  expiresAt: z.string(),
  createdAt: z.string(),
  links: z.object({ self: z.string(), decide: z.string(), run: z.string() }),
});

export const reviewAuditResource = z.object({
  actor: z.string(),
  actorKeyId: z.string().nullable(),
  action: z.string(),
  reason: z.string().nullable(),
  argumentsSeen: z.unknown().nullable(),
  argumentsApplied: z.unknown().nullable(),
  at: z.string(),
});

// Notes (semantic memory): search or list, record through the write path, delete.
export const MAX_NOTE_CHARS = 4000;
export const MAX_NOTES_LIMIT = 100;
const noteCategory = z.string().regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, _, . or -');

export const notesQuery = z.object({
  query: z.string().trim().min(1, 'must not be empty').max(MAX_NOTE_CHARS).optional().describe('Search text; without it, the newest notes.'),
  category: noteCategory.optional(),
  userId: z.string().min(1).max(200).optional().describe('Only this user\'s notes; default: every user of your tenant.'),
  limit: z.coerce.number().int().min(1).max(MAX_NOTES_LIMIT).default(20),
  history: z.enum(['true', 'false']).default('false').transform((value) => value === 'true').describe('Also superseded and expired versions.'),
}).strict();

export const recordNoteBody = z.object({
  content: z.string().trim().min(1, 'must not be empty').max(MAX_NOTE_CHARS),
  category: noteCategory.optional().describe('user_preference (importance 0.9), project_info (0.8), temp_info (0.3), or any label (0.5).'),
  importance: z.number().min(0).max(1).optional().describe('Overrides the category\'s initial importance.'),
  userId: z.string().min(1).max(200).optional().describe('Whose note; default: the API key\'s user.'),
  expiresAt: isoInstant().optional().describe('Not recalled after this instant (ISO 8601).'),
  ttlSeconds: z.number().int().min(1).max(10 * 365 * 24 * 3600).optional().describe('Not recalled after this many seconds; instead of expiresAt.'),
  supersedes: z.string().min(1).max(100).optional().describe('Id of a note this one corrects; it is kept as history.'),
}).strict().refine((body) => !(body.expiresAt && body.ttlSeconds), { message: 'give expiresAt or ttlSeconds, not both', path: ['ttlSeconds'] });

export const noteIdParams = z.object({ id: z.string().regex(/^note_[0-9A-Za-z]{1,64}$/, 'must be a note id like note_01J...') });

export const noteResource = z.object({
  id: z.string(),
  userId: z.string().nullable(),
  runId: z.string().nullable(),
  category: z.string(),
  content: z.string(),
  importance: z.number(),
  version: z.number(),
  supersedesId: z.string().nullable(),
  supersededBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  expiresAt: z.string().nullable(),
});

export const scoredNoteResource = noteResource.extend({
  score: z.number().nullable().describe('0.7 similarity + 0.2 importance + 0.1 recency (configurable); null when listing.'),
  similarity: z.number().nullable(),
  recency: z.number().nullable().describe('0..1, halving every half-life since the note was written; null when listing.'),
});

export const recordNoteResponse = z.object({
  note: noteResource,
  action: z.enum(['inserted', 'superseded', 'existing']),
  superseded: noteResource.nullable().describe('The earlier version this note replaced, kept as history.'),
  similarity: z.number().nullable(),
});
