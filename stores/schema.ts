// Keel's relational schema (drizzle). Every row carries its tenant; transcripts, tool outputs and
// events live here so Temporal history only carries references (claim check).
import { sql } from 'drizzle-orm';
import {
  bigint, bigserial, boolean, customType, doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** The tenant's default run policy (core/run-policy.ts input); runs override fields at creation. */
  policy: jsonb('policy'),
  /** Set while the tenant is suspended: its keys answer 403 `tenant_suspended`. */
  suspendedAt: timestamp('suspended_at', { withTimezone: true, mode: 'date' }),
  suspendedReason: text('suspended_reason'),
  createdAt: createdAt(),
});

/**
 * People (or services) of a tenant. A key's user with a row here takes the row's role and is
 * refused while disabled; keys made before users existed (no row) keep the role stored on the key.
 */
export const users = pgTable('users', {
  tenantId: text('tenant_id').notNull().references(() => tenants.id),
  id: text('id').notNull(),
  name: text('name').notNull(),
  email: text('email'),
  role: text('role').notNull(),
  disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
  createdAt: createdAt(),
}, (table) => [primaryKey({ columns: [table.tenantId, table.id] })]);

/**
 * Limits of a tenant (`user_id` = '') or of one user in it; a null limit is unlimited. Enforced by
 * the API (api/quota-guard.ts) when runs and notes are created; `concurrent_steps` by the workers.
 */
export const quotas = pgTable('quotas', {
  tenantId: text('tenant_id').notNull().references(() => tenants.id),
  userId: text('user_id').notNull().default(''),
  runsPerDay: integer('runs_per_day'),
  concurrentRuns: integer('concurrent_runs'),
  tokensPerMonth: bigint('tokens_per_month', { mode: 'number' }),
  costUsdPerMonth: doublePrecision('cost_usd_per_month'),
  notesStored: integer('notes_stored'),
  /** Steps of the tenant running at once on the workers (tenant-wide rows only; activities/step/tenant-step-slots.ts). */
  concurrentSteps: integer('concurrent_steps'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, (table) => [primaryKey({ columns: [table.tenantId, table.userId] })]);

/** Every admin action and review decision: who (user and key), what, on which target, when. Append-only. */
export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** The tenant the action was about (the platform's own for tenant-wide platform actions). */
  tenantId: text('tenant_id').notNull(),
  actorTenantId: text('actor_tenant_id').notNull(),
  actorUserId: text('actor_user_id').notNull(),
  actorKeyId: text('actor_key_id'),
  action: text('action').notNull(),
  targetType: text('target_type').notNull(),
  targetId: text('target_id').notNull(),
  details: jsonb('details'),
  at: createdAt(),
}, (table) => [
  index('audit_log_tenant').on(table.tenantId, table.id),
]);

export const apiKeys = pgTable('api_keys', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull().references(() => tenants.id),
  userId: text('user_id').notNull(),
  name: text('name').notNull(),
  /** sha256 of the key; the key itself is shown once and never stored. */
  keyHash: text('key_hash').notNull().unique(),
  keyPrefix: text('key_prefix').notNull(),
  role: text('role').notNull().default('member'),
  createdAt: createdAt(),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  /** After this the key answers 401 `key_expired`; a rotation sets it to the end of the overlap. */
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
  /** Updated at most once per auth-cache period per API process. */
  lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  /** The key that replaced this one in a rotation. */
  rotatedTo: text('rotated_to'),
}, (table) => [index('api_keys_prefix').on(table.keyPrefix)]);

export const runs = pgTable('runs', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull().references(() => tenants.id),
  userId: text('user_id').notNull(),
  status: text('status').notNull(),
  /** The run's input as accepted by the API (agent, model, tools, limits). */
  spec: jsonb('spec').notNull(),
  idempotencyKey: text('idempotency_key'),
  step: integer('step').notNull().default(0),
  usage: jsonb('usage').notNull().default(sql`'{"inputTokens":0,"outputTokens":0}'::jsonb`),
  /** USD spent on priced (pool) models so far; models without a price count as 0. */
  costUsd: doublePrecision('cost_usd').notNull().default(0),
  /** Final answer, or the reason the run ended otherwise. */
  outcome: jsonb('outcome'),
  /** A run with an output schema: its final answer as parsed JSON, once one validated. */
  output: jsonb('output'),
  lastError: text('last_error'),
  /** The experiment the run was enrolled in at start (its agent's), and the arm it got. */
  experimentId: text('experiment_id'),
  experimentArm: text('experiment_arm'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  /** A fork (POST /v1/runs/:id/fork): the run it continues, and the last of that run's steps it took. */
  parentRunId: text('parent_run_id'),
  forkedFromStep: integer('forked_from_step'),
  /**
   * The parent's last transcript seq at that step: the fork's transcript is the parent's rows up to
   * it (read by reference, stores/transcript-repository.ts), then the fork's own, numbered after it.
   */
  forkedThroughSeq: integer('forked_through_seq'),
  /** A fork's replacement system prompt (null: the parent's stands). */
  forkInstructions: text('fork_instructions'),
}, (table) => [
  uniqueIndex('runs_tenant_idempotency').on(table.tenantId, table.idempotencyKey),
  index('runs_tenant_created').on(table.tenantId, table.createdAt),
  index('runs_tenant_user_created').on(table.tenantId, table.userId, table.createdAt),
  index('runs_tenant_experiment').on(table.tenantId, table.experimentId),
]);

export const messages = pgTable('messages', {
  runId: text('run_id').notNull().references(() => runs.id),
  seq: integer('seq').notNull(),
  tenantId: text('tenant_id').notNull(),
  /** Idempotency key of the write (`assistant:<step>`, `tool:<callId>`, `user:<id>`): a retried write is a no-op. */
  sourceKey: text('source_key').notNull(),
  step: integer('step').notNull(),
  message: jsonb('message').notNull(),
  createdAt: createdAt(),
}, (table) => [
  primaryKey({ columns: [table.runId, table.seq] }),
  uniqueIndex('messages_run_source').on(table.runId, table.sourceKey),
]);

/**
 * The workspace as a step that called write_file, edit_file or bash left it (after its tool
 * results), kept so a fork from that step can restore it: the manifest (every entry and its content hash) is a file in the run's
 * jobs folder, the contents are in its blob folder; this row says it exists and whether it is whole.
 */
export const stepSnapshots = pgTable('step_snapshots', {
  runId: text('run_id').notNull().references(() => runs.id),
  step: integer('step').notNull(),
  tenantId: text('tenant_id').notNull(),
  /** The manifest's path on the workers' file system. */
  manifestRef: text('manifest_ref').notNull(),
  entries: integer('entries').notNull(),
  /** Files whose content was not kept (over a size cap), at most MAX_LISTED_PATHS of them. */
  unrestorable: jsonb('unrestorable').notNull(),
  /** The walk stopped at its entry cap: paths after it were not seen. */
  truncated: boolean('truncated').notNull(),
  createdAt: createdAt(),
}, (table) => [primaryKey({ columns: [table.runId, table.step] })]);

export const toolResults = pgTable('tool_results', {
  runId: text('run_id').notNull().references(() => runs.id),
  callId: text('call_id').notNull(),
  tenantId: text('tenant_id').notNull(),
  step: integer('step').notNull(),
  toolName: text('tool_name').notNull(),
  arguments: jsonb('arguments').notNull(),
  /** Full output; the transcript may hold a shorter version. */
  output: text('output').notNull(),
  /** What the transcript holds when the output was too large: a summary and a reference line (null: the output itself). */
  contextOutput: text('context_output'),
  isError: boolean('is_error').notNull(),
  metadata: jsonb('metadata'),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }).notNull(),
}, (table) => [primaryKey({ columns: [table.runId, table.callId] })]);

export const runEvents = pgTable('run_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  runId: text('run_id').notNull().references(() => runs.id),
  tenantId: text('tenant_id').notNull(),
  type: text('type').notNull(),
  data: jsonb('data').notNull(),
  /** Set for events that must appear once even when an activity is retried. */
  dedupeKey: text('dedupe_key'),
  createdAt: createdAt(),
}, (table) => [
  index('run_events_run_id').on(table.runId, table.id),
  uniqueIndex('run_events_run_dedupe').on(table.runId, table.dedupeKey),
]);

/**
 * Semantic-memory notes (stores/notes). A merge never overwrites: the new version is a new row that
 * `supersedes_id` the old one, whose `superseded_by` points back. `embedding` is the portable copy
 * of the vector (exact search reads it when PostgreSQL has no pgvector); `note_embeddings` holds
 * the indexed copy where pgvector exists.
 */
export const notes = pgTable('notes', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull().references(() => tenants.id),
  userId: text('user_id'),
  runId: text('run_id'),
  category: text('category').notNull(),
  content: text('content').notNull(),
  importance: real('importance').notNull(),
  version: integer('version').notNull().default(1),
  supersedesId: text('supersedes_id'),
  supersededBy: text('superseded_by'),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
  /** Set by an explicit delete; the row stays for audit, its content is never recalled. */
  deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
  embedding: real('embedding').array(),
  embeddingModel: text('embedding_model'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, (table) => [
  index('notes_tenant').on(table.tenantId, table.createdAt),
  index('notes_tenant_user_live').on(table.tenantId, table.userId, table.createdAt).where(sql`"superseded_by" IS NULL AND "deleted_at" IS NULL`),
]);

/** pgvector's `vector` with no fixed size: one table serves any embedder, each size indexed apart. */
const anyVector = customType<{ data: number[]; driverData: string }>({
  dataType: () => 'vector',
  toDriver: (value) => `[${value.join(',')}]`,
  fromDriver: (value) => JSON.parse(value) as number[],
});

/**
 * The indexed copy of each note's vector. Exists only where the `vector` extension does (migration
 * 0003 and PgvectorNotesStore create it conditionally); each embedder size has a partial HNSW index
 * on `(embedding::vector(N)) vector_cosine_ops WHERE dimensions = N`.
 */
export const noteEmbeddings = pgTable('note_embeddings', {
  noteId: text('note_id').primaryKey().references(() => notes.id),
  tenantId: text('tenant_id').notNull(),
  dimensions: integer('dimensions').notNull(),
  embedding: anyVector('embedding').notNull(),
});

/** One row per run whose notes were extracted, so a retried extraction records nothing twice. */
export const noteExtractions = pgTable('note_extractions', {
  runId: text('run_id').primaryKey().references(() => runs.id),
  tenantId: text('tenant_id').notNull(),
  noteIds: jsonb('note_ids').notNull(),
  createdAt: createdAt(),
});

/**
 * One row per answered model call, whatever it was for (`purpose`: a step's reply, a check, a
 * summary, a health probe): the usage and cost ledger every budget and usage total reads. Keyed by
 * `usage_key` (`<run>:<step>:<purpose>[:detail]`), so a retried activity never counts a call twice.
 */
export const modelUsage = pgTable('model_usage', {
  usageKey: text('usage_key').primaryKey(),
  /** Null for calls outside any run (health checks, on the platform tenant). */
  runId: text('run_id').references(() => runs.id),
  /** The step the call belongs to; null for calls after the steps (note extraction) or outside a run. */
  step: integer('step'),
  tenantId: text('tenant_id').notNull(),
  /** The run's owner; null outside a run. */
  userId: text('user_id'),
  /** One of MODEL_CALL_PURPOSES (core/model-call-purposes.ts). */
  purpose: text('purpose').notNull().default('step'),
  model: text('model').notNull(),
  inputTokens: integer('input_tokens').notNull(),
  outputTokens: integer('output_tokens').notNull(),
  cachedInputTokens: integer('cached_input_tokens').notNull().default(0),
  reasoningTokens: integer('reasoning_tokens').notNull().default(0),
  /** Null when the model has no price (not in the pool). */
  costUsd: doublePrecision('cost_usd'),
  createdAt: createdAt(),
}, (table) => [
  index('model_usage_tenant_created').on(table.tenantId, table.createdAt),
  index('model_usage_run').on(table.runId),
  index('model_usage_tenant_user_created').on(table.tenantId, table.userId, table.createdAt),
]);

/**
 * Decisions a run waits for: a risky tool call, unexpected side effects, exhausted corrections, a
 * low-confidence reflection or a cross-validation disagreement. One row per (run, subject), so a
 * retried activity opens the same review; `status` moves from `pending` exactly once.
 */
export const reviews = pgTable('reviews', {
  id: text('id').primaryKey(),
  runId: text('run_id').notNull().references(() => runs.id),
  tenantId: text('tenant_id').notNull(),
  /** The run's owner. */
  userId: text('user_id').notNull(),
  kind: text('kind').notNull(),
  /** Idempotency key of the subject within the run (`tool:<execution key>`, `reflection:<step>`...). */
  subjectKey: text('subject_key').notNull(),
  step: integer('step').notNull(),
  status: text('status').notNull().default('pending'),
  /** What the reviewer sees: the call and its arguments, reasons, predictions, answers. */
  context: jsonb('context').notNull(),
  /** The decision: approve / reject / edit, reason, edited arguments. */
  decision: jsonb('decision'),
  decidedBy: text('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  createdAt: createdAt(),
}, (table) => [
  uniqueIndex('reviews_run_subject').on(table.runId, table.subjectKey),
  index('reviews_tenant_status').on(table.tenantId, table.status, table.createdAt),
]);

/** Every review decision and escalation: who, when, what, and the arguments they saw. Append-only. */
export const reviewAudit = pgTable('review_audit', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  reviewId: text('review_id').notNull().references(() => reviews.id),
  runId: text('run_id').notNull(),
  tenantId: text('tenant_id').notNull(),
  /** A user id, or `system:timeout` for an escalation. */
  actor: text('actor').notNull(),
  /** The API key that made the decision, when a human did. */
  actorKeyId: text('actor_key_id'),
  action: text('action').notNull(),
  reason: text('reason'),
  argumentsSeen: jsonb('arguments_seen'),
  argumentsApplied: jsonb('arguments_applied'),
  at: createdAt(),
}, (table) => [index('review_audit_review').on(table.reviewId, table.id)]);

/**
 * Per-model ratio of the tokens providers report to Keel's estimate (models without a published
 * tokenizer), learned from every call's usage and loaded by each worker at its first step.
 */
export const tokenCalibrations = pgTable('token_calibrations', {
  model: text('model').primaryKey(),
  ratio: doublePrecision('ratio').notNull(),
  samples: integer('samples').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * Summaries that stand in for the turns context truncation dropped, keyed by the last seq they cover:
 * a retried or later step reuses one instead of asking the small model again, and each new summary
 * extends the previous one with the turns dropped since.
 */
export const contextSummaries = pgTable('context_summaries', {
  runId: text('run_id').notNull().references(() => runs.id),
  throughSeq: integer('through_seq').notNull(),
  tenantId: text('tenant_id').notNull(),
  fromSeq: integer('from_seq').notNull(),
  /** Seqs inside the range that stayed in context (system messages, pins, the latest user message). */
  keptSeqs: jsonb('kept_seqs').notNull(),
  droppedCount: integer('dropped_count').notNull(),
  text: text('text').notNull(),
  /** The model that wrote the summary, or `placeholder`. */
  model: text('model').notNull(),
  createdAt: createdAt(),
}, (table) => [primaryKey({ columns: [table.runId, table.throughSeq] })]);

/**
 * Saved agent definitions ("saved run settings"): one row per (tenant, name, version). A new version
 * is a new row, so a run that recorded `name@N` can always read what it started with; a delete
 * marks every version and a later create continues the numbering, so `name@N` never means two things.
 */
export const agents = pgTable('agents', {
  tenantId: text('tenant_id').notNull().references(() => tenants.id),
  name: text('name').notNull(),
  version: integer('version').notNull(),
  description: text('description'),
  /** The run settings (api/schemas.ts `agentSettings`): instructions, models, tools, policy, limits, budget. */
  settings: jsonb('settings').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
}, (table) => [primaryKey({ columns: [table.tenantId, table.name, table.version] })]);

/** A tenant's skills (core/skills.ts): SKILL.md documents runs list by name and load with get_skill. */
export const skills = pgTable('skills', {
  tenantId: text('tenant_id').notNull().references(() => tenants.id),
  name: text('name').notNull(),
  description: text('description').notNull(),
  body: text('body').notNull(),
  updatedBy: text('updated_by').notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, (table) => [primaryKey({ columns: [table.tenantId, table.name] })]);

/**
 * Alerts the relay (POST /v1/alerts/webhook) could not deliver to a route after every retry: the
 * message it would have sent and the last error, for an operator to read or resend by hand.
 */
export const alertDeadLetters = pgTable('alert_dead_letters', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  route: text('route').notNull(),
  routeType: text('route_type').notNull(),
  /** Alertmanager's group key, so a dead letter can be matched to its notification. */
  groupKey: text('group_key'),
  status: text('status').notNull(),
  payload: jsonb('payload').notNull(),
  attempts: integer('attempts').notNull(),
  lastError: text('last_error').notNull(),
  createdAt: createdAt(),
}, (table) => [index('alert_dead_letters_created').on(table.createdAt)]);

/**
 * A run's first user request and its embedding, kept for similar-query dedupe (migration 0010):
 * a later run of the same tenant and setup (`setup_key`: model, instructions, tools, output schema)
 * whose request is close enough gets this run's final answer once it completed. `reusable` turns
 * false when the run took more user messages (its answer is then not the first request's).
 */
export const runRequests = pgTable('run_requests', {
  runId: text('run_id').primaryKey().references(() => runs.id),
  tenantId: text('tenant_id').notNull(),
  setupKey: text('setup_key').notNull(),
  request: text('request').notNull(),
  embeddingModel: text('embedding_model').notNull(),
  embedding: real('embedding').array().notNull(),
  reusable: boolean('reusable').notNull().default(true),
  createdAt: createdAt(),
}, (table) => [
  index('run_requests_tenant_setup').on(table.tenantId, table.setupKey, table.createdAt),
]);

/**
 * Every cache lookup a step made (migration 0010), hit or miss, for the hit ratio in GET /v1/usage.
 * One row per run, step and kind: a retried step's lookup replaces its earlier attempt's.
 */
export const cacheLookups = pgTable('cache_lookups', {
  runId: text('run_id').notNull().references(() => runs.id),
  step: integer('step').notNull(),
  kind: text('kind').notNull(),
  tenantId: text('tenant_id').notNull(),
  hit: boolean('hit').notNull(),
  sourceRunId: text('source_run_id'),
  createdAt: createdAt(),
}, (table) => [
  primaryKey({ columns: [table.runId, table.step, table.kind] }),
  index('cache_lookups_tenant_created').on(table.tenantId, table.createdAt),
]);

/**
 * Eval scores (core/evals): one row per scorer per scoring of a finished run, live on a sampled run
 * of an agent (`scoring_id` 'live') or asked for (`scoring_id` the request's id). Unique on (run,
 * scoring, scorer), so a retried scoring writes each score once. The agent columns let scores be
 * aggregated per agent (and, later, per experiment arm) without joining runs.
 */
export const scores = pgTable('scores', {
  id: text('id').primaryKey(),
  runId: text('run_id').notNull().references(() => runs.id),
  tenantId: text('tenant_id').notNull(),
  agentName: text('agent_name'),
  agentVersion: integer('agent_version'),
  scoringId: text('scoring_id').notNull(),
  /** `live` or `request`. */
  source: text('source').notNull(),
  scorerName: text('scorer_name').notNull(),
  scorerKind: text('scorer_kind').notNull(),
  /** 0..1. */
  score: doublePrecision('score').notNull(),
  passed: boolean('passed').notNull(),
  reason: text('reason').notNull(),
  /** A rubric scorer's judge call: its model and tokens. */
  judgeModel: text('judge_model'),
  judgeInputTokens: integer('judge_input_tokens'),
  judgeOutputTokens: integer('judge_output_tokens'),
  createdAt: createdAt(),
}, (table) => [
  uniqueIndex('scores_run_scoring_scorer').on(table.runId, table.scoringId, table.scorerName),
  index('scores_tenant_agent_created').on(table.tenantId, table.agentName, table.createdAt),
]);

/**
 * A/B experiments over an agent's configuration: `arms` ([{ name, weight, overrides }]) are parsed on
 * read. While `running`, runs of the agent get an arm by a hash of (id, user); once `stopped`, the
 * `winner`'s. At most one running experiment per agent.
 */
export const experiments = pgTable('experiments', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull().references(() => tenants.id),
  name: text('name').notNull(),
  agentName: text('agent_name').notNull(),
  arms: jsonb('arms').notNull(),
  status: text('status').notNull().default('running'),
  winner: text('winner'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  stoppedBy: text('stopped_by'),
  stoppedAt: timestamp('stopped_at', { withTimezone: true, mode: 'date' }),
}, (table) => [
  uniqueIndex('experiments_one_running_per_agent').on(table.tenantId, table.agentName).where(sql`${table.status} = 'running'`),
  index('experiments_tenant_agent_created').on(table.tenantId, table.agentName, table.createdAt),
]);
