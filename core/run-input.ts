// The agentRun workflow's one input object, and the state it carries across continue-as-new.
import type { HttpTool } from './http-tools';
import type { McpServer } from './mcp-servers';
import type { RunOutput } from './run-output';
import type { Usage } from './messages';
import type { Complexity, ComplexityChoice } from './model-pool/tiers';
import type { RunPolicy } from './run-policy';

export type RunLimits = {
  /** Model/tool steps before the run stops with `step_limit_reached`. */
  maxSteps: number;
  /** Upper bound for one step (model call plus its tool runs). */
  stepTimeoutSeconds: number;
  /** A step that stops heartbeating this long is retried on another worker. */
  heartbeatTimeoutSeconds: number;
  /** Continue-as-new once the history has this many events (keeps replays after cache eviction cheap). */
  historyEventsBeforeContinueAsNew?: number;
};

export const DEFAULT_MAX_STEPS = 50;
export const MAX_MAX_STEPS = 10_000;
export const DEFAULT_STEP_TIMEOUT_SECONDS = 15 * 60;
export const DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 30;
export const DEFAULT_HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW = 4000;

export const DEFAULT_LIMITS: RunLimits = {
  maxSteps: DEFAULT_MAX_STEPS,
  stepTimeoutSeconds: DEFAULT_STEP_TIMEOUT_SECONDS,
  heartbeatTimeoutSeconds: DEFAULT_HEARTBEAT_TIMEOUT_SECONDS,
};

export type PendingMessage = { id: string; text: string };

/** What a run may spend, in USD; enforced before each call against the call's worst-case cost. */
export type RunBudget = {
  /** No single model call may cost more than this. */
  maxCostPerCall?: number;
  /** The run stops with `budget_exceeded` before a call that could take it over this. */
  maxCostPerRun?: number;
};

export type AgentRunInput = {
  runId: string;
  tenantId: string;
  userId: string;
  /** System prompt for the agent. Persisted to the transcript by the first step, then not carried. */
  instructions: string;
  /** The first user message; like `instructions`, only travels until it is persisted. */
  firstMessage: string;
  /** Model ids from the worker's catalog, in fallback order (first is preferred); empty when the pool chooses. */
  models: string[];
  /** Set when the model pool chooses the models (the run named none): the complexity to route by. */
  complexity?: ComplexityChoice;
  budget?: RunBudget;
  /** Tool names the agent may use. */
  tools: string[];
  limits: RunLimits;
  /** Stream tokens to the event channel. */
  stream: boolean;
  /** The resolved policy (tenant defaults plus the run's overrides); absent on runs started before policies. */
  policy?: RunPolicy;
  /** MCP servers whose tools the run may use; the worker reads them from the stored run spec. */
  mcpServers?: McpServer[];
  /** Declarative HTTP tools; the worker reads them from the stored run spec. */
  httpTools?: HttpTool[];
  /** Structured output: the final answer's JSON Schema (the worker reads it from the stored run spec). */
  output?: RunOutput;
  /** Skills the run may load with get_skill (their names and descriptions are already in `instructions`). */
  skills?: string[];
  /** The saved agent definition the run started from (informational: its settings are already merged in). */
  agent?: { name: string; version: number };
  /** The run is in its agent's live eval sample: once completed, its agent's scorers score it (LIVE_SCORING_PATCH). */
  scoreWhenCompleted?: boolean;
  /** Set by continue-as-new. */
  carried?: CarriedState;
};

export type CarriedState = {
  step: number;
  usage: Usage;
  /** Highest transcript seq written so far (lets the worker skip re-reading its cache). */
  transcriptSeq: number;
  pendingMessages: PendingMessage[];
  continuedRuns: number;
  /** USD spent so far (pool models only; other models have no price). */
  costUsd?: number;
  /** The complexity the pool resolved `auto` to, so later runs of the chain route the same way. */
  complexity?: Complexity;
  /** Steps in a row whose tool calls all failed (the correction loop's count). */
  failedSteps?: number;
};
