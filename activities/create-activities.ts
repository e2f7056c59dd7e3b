// Builds Keel's activities once per worker from its clients; workflows import only the type.
import { EventsRepository } from '../stores/events-repository';
import type { Database } from '../stores/database';
import type { EventBus } from '../stores/event-bus';
import { NotesRepository } from '../stores/notes-repository';
import { RunsRepository } from '../stores/runs-repository';
import { StepWritesRepository } from '../stores/step-writes-repository';
import { ToolResultsRepository } from '../stores/tool-results-repository';
import { TranscriptRepository } from '../stores/transcript-repository';
import type { ModelCatalog } from '../core/model-catalog';
import type { ModelPool } from '../core/model-pool';
import type { CircuitBreakerStore } from '../stores/circuit-breaker';
import type { ModelSpec } from '../core/model-spec';
import type { ModelProvider } from '../providers/types';
import type { ToolRegistry } from '../tools';
import type { Logger } from '../runtime/logger';
import { EventRecorder } from './event-recorder';
import { StepRecorder } from './step-recorder';
import { finishRun } from './finish-run';
import { RunPolicies } from './run-policies';
import { checkModelHealth, type ModelHealthReport } from './model-health';
import { planModels, type PlanModelsInput, type PlanModelsOutput } from './plan-models';
import { runStep, type RunStepDeps } from './run-step';
import type { FinishInput, LocalStepResult, StepInput, StepOutput } from './step-types';
import type { StepContext } from './step-context';
import { StepRunner } from './step-runner';
import { TranscriptCache } from './transcript-cache';
import { Workspaces } from './workspaces';
import { SideEffectSnapshots } from '../tools/side-effect-snapshots';

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
};

export function createActivities(dependencies: ActivityDependencies) {
  const { db } = dependencies;
  const events = new EventRecorder(new EventsRepository(db), new StepWritesRepository(db), dependencies.bus);
  const runs = new RunsRepository(db);
  const transcripts = new TranscriptCache(new TranscriptRepository(db));
  const stepDeps: RunStepDeps = {
    catalog: dependencies.catalog,
    providerFor: dependencies.providerFor,
    tools: dependencies.tools,
    toolResults: new ToolResultsRepository(db),
    notes: new NotesRepository(db),
    workspaces: new Workspaces(dependencies.workspaceRoot, dependencies.jobsRoot),
    transcripts,
    policies: new RunPolicies(runs),
    sideEffects: new SideEffectSnapshots(),
    events,
    recorder: new StepRecorder(events, transcripts),
    pool: dependencies.pool,
    circuits: dependencies.circuits,
    logger: dependencies.logger,
  };
  const { catalog, providerFor, circuits, pool, tools } = dependencies;
  const loggedStep = async (input: StepInput, context: StepContext): Promise<StepOutput> => {
    const log = dependencies.logger?.child({ runId: input.runId, tenantId: input.tenantId, step: input.step, model: input.modelId });
    const started = performance.now();
    try {
      const output = await runStep(stepDeps, input, context);
      output.durationMs = Math.round(performance.now() - started);
      log?.debug({ kind: output.kind, toolCalls: output.toolCalls.length, durationMs: Math.round(performance.now() - started) }, 'step finished');
      return output;
    } catch (error) {
      log?.warn({ err: error, durationMs: Math.round(performance.now() - started) }, 'step failed');
      throw error;
    }
  };
  const steps = new StepRunner(loggedStep, dependencies.promoteAfterMs);
  return {
    /** Local activity: the fast path of a step. */
    runStepLocally: (input: StepInput): Promise<LocalStepResult> => steps.runLocally(input),
    /** Regular activity: a slow step (adopting the local attempt's work) or any step on old histories. */
    runStep: (input: StepInput): Promise<StepOutput> => steps.runAsActivity(input),
    finishRun: (input: FinishInput): Promise<void> => finishRun({ runs, events, transcripts }, input),
    /** Local activity: chooses a pool run's candidate models. */
    planModels: (input: PlanModelsInput): Promise<PlanModelsOutput> => planModels({ pool, circuits, transcripts, tools, events }, input),
    /** Activity of the modelHealth workflow: one small request to one model. */
    checkModelHealth: (input: { modelId: string }): Promise<ModelHealthReport> => checkModelHealth({ catalog, providerFor, circuits }, input),
  };
}
