// Builds Keel's activities once per worker from its clients; workflows import only the type.
import { EventsRepository } from '../stores/events-repository';
import type { Database } from '../stores/database';
import type { EventBus } from '../stores/event-bus';
import { ReviewsRepository } from '../stores/reviews-repository';
import { NoteExtractionsRepository, type SemanticMemory } from '../stores/notes';
import { RunsRepository } from '../stores/runs-repository';
import { StepWritesRepository } from '../stores/step-writes-repository';
import { ContextSummariesRepository } from '../stores/context-summaries-repository';
import { TokenCalibrationsRepository } from '../stores/token-calibrations-repository';
import { ToolResultsRepository } from '../stores/tool-results-repository';
import { StepSnapshotsRepository } from '../stores/step-snapshots-repository';
import { TranscriptRepository } from '../stores/transcript-repository';
import type { ModelCatalog } from '../core/model-catalog';
import type { ModelPool } from '../core/model-pool';
import type { CircuitBreakerStore } from '../stores/circuit-breaker';
import type { ModelSpec } from '../core/model-spec';
import type { ContextSettings } from '../core/context';
import type { ModelProvider } from '../providers/types';
import type { ToolRegistry } from '../tools';
import { AttemptAbandoned } from '../tools/attempt-abandoned';
import type { Logger } from '../runtime/logger';
import { MetricLabels, RunEventMetrics, timedRecall, type KeelMetrics } from '../runtime/metrics';
import { ContextManager } from './model-turn/context-manager';
import { ContextSummaries } from './model-turn/context-summaries';
import { EventRecorder } from './records/event-recorder';
import { StepRecorder } from './records/step-recorder';
import { finishRun } from './finish-run';
import { RunPolicies } from './records/run-policies';
import { expireReview, openReview } from './review-activities';
import type { ReviewRequest } from '../core/review';
import { checkModelHealth } from './model-health';
import { crossValidate } from './checks/cross-validation';
import { reflectOnAnswer } from './checks/reflection';
import { planModels } from './plan-models';
import { runStep, type RunStepDeps } from './step/run-step';
import type {
  CrossValidateInput,
  CrossValidationResult,
  ExpireReviewInput,
  ExtractRunNotesInput,
  ExtractRunNotesResult,
  FinishInput,
  LocalStepResult,
  ModelHealthReport,
  OpenedReview,
  PlanModelsInput,
  PlanModelsOutput,
  ReflectInput,
  ReflectionResult,
  ScoreRunInput,
  ScoreRunResult,
  StepInput,
  StepOutput,
} from './contract';
import type { StepContext } from './records/step-context';
import { StepRunner } from './step/step-runner';
import { TenantStepSlots } from './step/tenant-step-slots';
import type { TenantStepSlotStore } from '../stores/tenant-step-slots';
import { DEFAULT_STEP_SLOT_LEASE_SECONDS } from '../core/config';
import { SummaryWriter } from './model-turn/summary-writer';
import { TenantCostBudget } from './model-turn/tenant-budget';
import { QuotasRepository } from '../stores/quotas-repository';
import { WorkerCalibration } from './model-turn/token-calibrations';
import { TranscriptCache } from './records/transcript-cache';
import { Workspaces } from './tool-turn/workspaces';
import { SemanticNotesPort } from './tool-turn/notes-port';
import { McpConnections } from './tool-turn/mcp-tools';
import { RunTools } from './tool-turn/run-tools';
import { HttpToolCaller } from './tool-turn/http-tools';
import { RunExtras } from './records/run-extras';
import { SkillsRepository } from '../stores/skills-repository';
import { SkillFolders } from '../stores/skill-folders';
import { extractRunNotes } from './checks/note-extraction';
import { SideEffectSnapshots } from './tool-turn/snapshots/side-effect-snapshots';
import { asStoreFailure } from './store-unavailable';
import { CacheLedger } from './records/cache-ledger';
import { ResponseCache } from './model-turn/response-cache';
import { SimilarQueries } from './step/similar-query';
import { CacheLookupsRepository } from '../stores/cache-lookups-repository';
import { RunRequestsRepository } from '../stores/run-requests-repository';
import { InProcessResponseCacheStore, type ResponseCacheStore } from '../stores/response-cache';
import { UsageLedger } from './records/usage-ledger';
import { UsageRepository } from '../stores/usage-repository';
import { scoreRun } from './checks/run-scoring';
import { AgentsRepository } from '../stores/agents-repository';
import { ScoresRepository } from '../stores/scores-repository';

export type ActivityDependencies = {
  db: Database;
  bus: EventBus;
  catalog: ModelCatalog;
  providerFor: (spec: ModelSpec) => ModelProvider;
  tools: ToolRegistry;
  workspaceRoot: string;
  jobsRoot: string;
  logger?: Logger;
  /** A local step still working after this long continues as a regular activity. */
  promoteAfterMs?: number;
  /** Shared circuit-breaker state (Redis, or the in-process twin), one per process. */
  circuits: CircuitBreakerStore;
  /** The model pool, when one is configured. */
  pool?: ModelPool;
  /** Semantic memory (notes): the tools' store, automatic recall and extraction. */
  memory: SemanticMemory;
  /** Context windows, budgets, tool-output compression and summaries (defaults when absent). */
  context?: ContextSettings;
  /** The worker's Prometheus series; absent, nothing is measured. */
  metrics?: KeelMetrics;
  /** Connections to the MCP servers runs declare (one per worker; its owner closes it). */
  mcp?: McpConnections;
  /** KEEL_SKILLS_DIR: skill folders get_skill reads when the tenant has no skill of the name. */
  skillsDir?: string;
  /** Where HTTP tools' named secrets are read (default: the process environment). */
  secrets?: Record<string, string | undefined>;
  /** Where cached model replies live (Redis, shared by workers); absent: a bounded in-process LRU. */
  responseCache?: ResponseCacheStore;
  /** Tenant step slots (the `concurrentSteps` quota); absent, steps are not capped per tenant. */
  stepSlots?: TenantStepSlotStore;
  /** How long a step slot is held without renewal (KEEL_STEP_SLOT_LEASE_SECONDS). */
  stepSlotLeaseMs?: number;
};

export function createActivities(dependencies: ActivityDependencies) {
  const { db } = dependencies;
  const recordedEvents = new EventsRepository(db);
  const measured = dependencies.metrics && new RunEventMetrics(dependencies.metrics, new MetricLabels(dependencies.catalog, dependencies.pool));
  const events = new EventRecorder(recordedEvents, new StepWritesRepository(db), dependencies.bus, measured);
  const runs = new RunsRepository(db);
  const transcripts = new TranscriptCache(new TranscriptRepository(db));
  const reviews = new ReviewsRepository(db);
  const toolResults = new ToolResultsRepository(db);
  const policies = new RunPolicies(runs);
  const extras = new RunExtras(runs);
  const quotas = new QuotasRepository(db);
  const ledger = new UsageLedger(new UsageRepository(db), dependencies.pool, measured && ((entry) => measured.usageRecorded(entry)));
  const calibration = new WorkerCalibration(new TokenCalibrationsRepository(db), dependencies.logger);
  // Loaded as the worker starts; the first count waits for it (a failed read keeps the defaults).
  void calibration.ready();
  const context = new ContextManager({
    settings: dependencies.context,
    pool: dependencies.pool,
    calibration,
    summaries: new ContextSummaries(new ContextSummariesRepository(db)),
    writer: new SummaryWriter({ catalog: dependencies.catalog, providerFor: dependencies.providerFor, policies, ledger, logger: dependencies.logger }),
    logger: dependencies.logger,
  });
  const cacheLedger = new CacheLedger(new CacheLookupsRepository(db), dependencies.metrics, dependencies.logger);
  const stepDeps: RunStepDeps = {
    catalog: dependencies.catalog,
    providerFor: dependencies.providerFor,
    tools: dependencies.tools,
    toolResults,
    toolOutputs: toolResults,
    notes: new SemanticNotesPort(dependencies.memory),
    memory: dependencies.metrics ? timedRecall(dependencies.memory, dependencies.metrics) : dependencies.memory,
    workspaces: new Workspaces(dependencies.workspaceRoot, dependencies.jobsRoot),
    transcripts,
    reviews,
    policies,
    context,
    sideEffects: new SideEffectSnapshots(),
    mcp: dependencies.mcp ?? new McpConnections(runs),
    runTools: new RunTools({ extras, skills: new SkillsRepository(db), folders: new SkillFolders(dependencies.skillsDir), http: new HttpToolCaller(dependencies.secrets) }),
    events,
    recorder: new StepRecorder(events, transcripts),
    pool: dependencies.pool,
    circuits: dependencies.circuits,
    logger: dependencies.logger,
    responseCache: new ResponseCache({ store: dependencies.responseCache ?? new InProcessResponseCacheStore(), ledger: cacheLedger, policies, logger: dependencies.logger }),
    similarQueries: new SimilarQueries({ requests: new RunRequestsRepository(db), embedder: dependencies.memory.embedder, policies, ledger: cacheLedger, logger: dependencies.logger }),
    tenantBudget: new TenantCostBudget(quotas),
    ledger,
    forks: { runs, stepSnapshots: new StepSnapshotsRepository(db) },
  };
  const { catalog, providerFor, circuits, pool, tools } = dependencies;
  const checkDeps = { catalog, providerFor, ledger, transcripts, events, recordedEvents, policies };
  const loggedStep = async (input: StepInput, context: StepContext): Promise<StepOutput> => {
    const log = dependencies.logger?.child({ runId: input.runId, tenantId: input.tenantId, step: input.step, model: input.modelId });
    const started = performance.now();
    try {
      const output = await runStep(stepDeps, input, context);
      output.durationMs = Math.round(performance.now() - started);
      measured?.stepFinished(input, { kind: output.kind, durationMs: performance.now() - started });
      log?.debug({ kind: output.kind, toolCalls: output.toolCalls.length, durationMs: Math.round(performance.now() - started) }, 'step finished');
      return output;
    } catch (error) {
      // An abandoned attempt is routine after a worker stall: another attempt carries the step on.
      if (error instanceof AttemptAbandoned) log?.info({ reason: error.why, durationMs: Math.round(performance.now() - started) }, 'step attempt abandoned');
      else log?.warn({ err: error, durationMs: Math.round(performance.now() - started) }, 'step failed');
      measured?.stepFinished(input, { kind: 'error', durationMs: performance.now() - started });
      throw asStoreFailure(error);
    }
  };
  // A tenant at its concurrentSteps quota is refused before any work; the workflow waits for a slot.
  const slots = dependencies.stepSlots && new TenantStepSlots({
    store: dependencies.stepSlots, quotas, leaseMs: dependencies.stepSlotLeaseMs ?? DEFAULT_STEP_SLOT_LEASE_SECONDS * 1000, metrics: dependencies.metrics, logger: dependencies.logger,
  });
  const steps = new StepRunner(slots ? slots.guard(loggedStep) : loggedStep, dependencies.promoteAfterMs);
  const extractionDeps = {
    memory: dependencies.memory, catalog, providerFor, transcripts: new TranscriptRepository(db),
    extractions: new NoteExtractionsRepository(db), ledger, logger: dependencies.logger,
  };
  const scoringDeps = {
    catalog, providerFor, runs, agents: new AgentsRepository(db), transcripts: new TranscriptRepository(db),
    scores: new ScoresRepository(db), events, workspaceRoot: dependencies.workspaceRoot, ledger,
  };
  return {
    /** Local activity: the fast path of a step. */
    runStepLocally: (input: StepInput): Promise<LocalStepResult> => steps.runLocally(input),
    /** Regular activity: a slow step (adopting the local attempt's work) or any step on old histories. */
    runStep: (input: StepInput): Promise<StepOutput> => steps.runAsActivity(input),
    finishRun: (input: FinishInput): Promise<void> => finishRun({ runs, events, transcripts, reviews, ledger }, input),
    /** Local activity: chooses a pool run's candidate models. */
    planModels: (input: PlanModelsInput): Promise<PlanModelsOutput> => planModels({ pool, circuits, transcripts, tools, events }, input),
    /** Local activity: opens a review the workflow waits for (idempotent per subject). */
    openReview: (input: ReviewRequest): Promise<OpenedReview> => openReview({ reviews, events }, input),
    /** Local activity: a review nobody decided in time takes the policy's escalation (a human who decided first wins). */
    expireReview: (input: ExpireReviewInput) => expireReview({ reviews, events }, input),
    /** Activity of the modelHealth workflow: one small request to one model. */
    checkModelHealth: (input: { modelId: string }): Promise<ModelHealthReport> => checkModelHealth({ catalog, providerFor, circuits, ledger }, input),
    /** Activity: self-reflection on a step's final answer (confidence against the policy's threshold, contradictions). */
    reflectOnAnswer: (input: ReflectInput): Promise<ReflectionResult> => reflectOnAnswer(checkDeps, input),
    /** Activity: a critical run's final answer checked against several models' answers. */
    crossValidate: (input: CrossValidateInput): Promise<CrossValidationResult> => crossValidate(checkDeps, input),
    /** Activity: the small model names a finished run's durable facts; each is recorded (idempotent per run). */
    extractRunNotes: (input: ExtractRunNotesInput): Promise<ExtractRunNotesResult> => extractRunNotes(extractionDeps, input),
    /** Activity: a finished run's scores (evals), each written once per scoring and recorded as `score.recorded`. */
    scoreRun: (input: ScoreRunInput): Promise<ScoreRunResult> => scoreRun(scoringDeps, input).catch((error: unknown) => { throw asStoreFailure(error); }),
  };
}
