// Keel's configuration: explicit options, then environment variables, validated once at start-up.
// Pure: the environment is passed in, so tests and both processes share one reading of it.
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { parseKeelEnvironment, type KeelEnvironment } from './environment-schema';
import { memoryConfigFrom, type MemoryConfig } from './memory/memory-config';
import { DEFAULT_CONTEXT_SETTINGS, type ContextSettings } from './context';
import { parsePoolConfig, PoolConfigError, poolModelSpec, POOL_TIERS, type PoolConfig } from './model-pool';
import type { ModelSpec } from './model-spec';
import type { PayloadKey } from './payload-keys';
import { modelSpecSchema } from './model-spec-schema';
import { operationsConfigFrom, type OperationsConfig } from './operations-config';
import { rateLimitConfigFrom, type RateLimitConfig } from './rate-limit-config';
import { DEFAULT_DEPLOYMENT_NAME, type WorkerDeploymentConfig } from './worker-deployment';

export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_TASK_QUEUE = 'keel-agent';
export const DEFAULT_API_PORT = 3000;
export const DEFAULT_MODEL_SERVER_URL = 'http://127.0.0.1:4010/v1';
export const DEMO_MODEL_ID = 'keel-demo';
/** A tenant step slot's lease: renewed every third of it while the step runs, back this long after a worker dies. */
export const DEFAULT_STEP_SLOT_LEASE_SECONDS = 30;

export { ConfigError };

export { modelSpecSchema };

export type KeelConfig = {
  home: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  databaseUrl?: string;
  pgliteDir: string;
  redisUrl?: string;
  workspaceRoot: string;
  jobsRoot: string;
  /** KEEL_SKILLS_DIR: folders of SKILL.md every tenant's runs may use (read by the API and the worker). */
  skillsDir?: string;
  apiHost: string;
  apiPort: number;
  models: ModelSpec[];
  defaultModel: string;
  /** True when no provider key is configured and runs go to the local model server's demo. */
  usingDemoModel: boolean;
  logLevel: string;
  /** A prebuilt workflow bundle (npm run build:workflows); without it the worker bundles at start. */
  workflowBundlePath?: string;
  /** The model pool (KEEL_MODEL_POOL_FILE): runs that name no model are routed through it. */
  pool?: PoolConfig;
  modelPoolFile?: string;
  /** Semantic memory: embeddings provider, notes store and ranking (core/memory/memory-config.ts). */
  memory: MemoryConfig;
  /** Context windows, budgets, tool-output compression and summaries (core/context/context-settings.ts). */
  context: ContextSettings;
  sandbox: SandboxConfig;
  /** Metrics and alerting (core/operations-config.ts). */
  operations: OperationsConfig;
  /** Payload encryption for Temporal (runtime/payload-codec/) and the codec endpoint the Web UI calls. */
  codec: CodecConfig;
  /** API request rates per key and per tenant (core/rate-limit-config.ts). */
  rateLimits: RateLimitConfig;
  /** KEEL_MAX_CACHED_WORKFLOWS: the worker's sticky workflow cache; absent, the worker's default (worker/create-worker.ts). */
  maxCachedWorkflows?: number;
  /** KEEL_STEP_SLOT_LEASE_SECONDS: how long a tenant step slot is held without renewal (activities/step/tenant-step-slots.ts). */
  stepSlotLeaseMs: number;
  /**
   * KEEL_BUILD_ID (and KEEL_DEPLOYMENT_NAME): the worker joins this Temporal Worker Deployment as
   * this build; absent, it runs unversioned.
   */
  deployment?: WorkerDeploymentConfig;
};

export type CodecConfig = {
  /** KEEL_PAYLOAD_KEYS: absent, payloads go to Temporal in clear. The first key encrypts. */
  keys?: PayloadKey[];
  /** KEEL_CODEC_UI_TOKEN: the secret in the codec endpoint URL given to the Temporal Web UI (which sends no Keel key). */
  uiToken?: string;
  /** KEEL_CODEC_CORS_ORIGINS: the Web UI origins allowed to call the codec endpoint. */
  corsOrigins: string[];
};

/** The Web UI of `temporal server start-dev` (npm run dev). */
export const DEFAULT_CODEC_CORS_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];

/**
 * How bash commands are confined (tools/sandbox/). Limits left undefined take the sandbox's own
 * defaults (DEFAULT_SANDBOX_LIMITS, next to the code that applies them).
 */
export type SandboxConfig = {
  /** KEEL_UNSAFE_BASH=1: run bash without a sandbox when bubblewrap is missing (with a warning at start-up). */
  unsafeBash: boolean;
  limits: { cpuSeconds?: number; memoryBytes?: number; processes?: number; fileSizeBytes?: number };
  /** KEEL_SANDBOX_READ_ONLY_PATHS (colon-separated absolute paths): more host folders visible read-only, e.g. /opt/toolchain. */
  readOnlyPaths: string[];
};

export type ConfigOverrides = Partial<KeelConfig> & { modelsFile?: string };

/** Provider families enabled by the presence of their key, so a key alone makes them usable. */
const KEYED_FAMILIES: Array<{ env: string; spec: ModelSpec }> = [
  { env: 'OPENAI_API_KEY', spec: { id: 'openai/*', provider: 'openai', model: '*', apiKeyEnv: 'OPENAI_API_KEY' } },
  { env: 'ANTHROPIC_API_KEY', spec: { id: 'anthropic/*', provider: 'anthropic', model: '*', apiKeyEnv: 'ANTHROPIC_API_KEY' } },
  { env: 'MINIMAX_API_KEY', spec: { id: 'minimax/*', provider: 'anthropic', model: '*', baseURL: 'https://api.minimax.io/anthropic', apiKeyEnv: 'MINIMAX_API_KEY' } },
  { env: 'DEEPSEEK_API_KEY', spec: { id: 'deepseek/*', provider: 'openai', model: '*', baseURL: 'https://api.deepseek.com', apiKeyEnv: 'DEEPSEEK_API_KEY' } },
];
const KEYED_DEFAULTS: Record<string, string> = {
  OPENAI_API_KEY: 'openai/gpt-4o-mini',
  ANTHROPIC_API_KEY: 'anthropic/claude-sonnet-4-5',
  MINIMAX_API_KEY: 'minimax/MiniMax-M2',
  DEEPSEEK_API_KEY: 'deepseek/deepseek-chat',
};

export function loadConfig(
  environment: Record<string, string | undefined>,
  overrides: ConfigOverrides = {},
  readFile: (file: string) => string = () => {
    throw new Error('no file reader');
  },
): KeelConfig {
  // Every shaped variable is checked first, so one start-up names all that are wrong.
  const parsed = parseKeelEnvironment(environment);
  const home = path.resolve(overrides.home ?? environment.KEEL_HOME ?? '.keel');
  const modelServerUrl = environment.KEEL_MODEL_SERVER_URL ?? DEFAULT_MODEL_SERVER_URL;
  const localModels: ModelSpec[] = [
    { id: DEMO_MODEL_ID, provider: 'openai', model: DEMO_MODEL_ID, baseURL: modelServerUrl },
    { id: 'local/*', provider: 'openai', model: '*', baseURL: modelServerUrl },
    { id: 'local-anthropic/*', provider: 'anthropic', model: '*', baseURL: modelServerUrl.replace(/\/v1\/?$/, '') },
  ];
  const keyed = KEYED_FAMILIES.filter((family) => environment[family.env]);
  const modelPoolFile = overrides.modelPoolFile ?? (environment.KEEL_MODEL_POOL_FILE || undefined);
  const pool = overrides.pool ?? readPoolFile(modelPoolFile, readFile);
  const fileModels = readModelsFile(overrides.modelsFile ?? environment.KEEL_MODELS_FILE, readFile);
  // Pool models join the catalog, so a run can also name one explicitly.
  const models = overrides.models ?? [...(pool ? poolSpecs(pool, fileModels, modelPoolFile) : []), ...fileModels, ...keyed.map((family) => family.spec), ...localModels];
  const firstKeyed = keyed[0];
  const defaultModel = overrides.defaultModel ?? environment.KEEL_DEFAULT_MODEL ?? (firstKeyed ? KEYED_DEFAULTS[firstKeyed.env]! : DEMO_MODEL_ID);
  return {
    home,
    temporalAddress: overrides.temporalAddress ?? environment.TEMPORAL_ADDRESS ?? DEFAULT_TEMPORAL_ADDRESS,
    namespace: overrides.namespace ?? environment.TEMPORAL_NAMESPACE ?? DEFAULT_NAMESPACE,
    taskQueue: overrides.taskQueue ?? environment.KEEL_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
    databaseUrl: overrides.databaseUrl ?? (environment.DATABASE_URL || undefined),
    pgliteDir: overrides.pgliteDir ?? path.join(home, 'pglite'),
    redisUrl: overrides.redisUrl ?? (environment.REDIS_URL || undefined),
    workspaceRoot: path.resolve(overrides.workspaceRoot ?? environment.KEEL_WORKSPACE_ROOT ?? path.join(home, 'workspaces')),
    jobsRoot: path.resolve(overrides.jobsRoot ?? environment.KEEL_JOBS_ROOT ?? path.join(home, 'jobs')),
    skillsDir: overrides.skillsDir ?? (environment.KEEL_SKILLS_DIR ? path.resolve(environment.KEEL_SKILLS_DIR) : undefined),
    apiHost: overrides.apiHost ?? environment.HOST ?? '127.0.0.1',
    apiPort: overrides.apiPort ?? parsed.PORT ?? DEFAULT_API_PORT,
    models,
    defaultModel,
    usingDemoModel: !pool && defaultModel === DEMO_MODEL_ID,
    logLevel: overrides.logLevel ?? environment.LOG_LEVEL ?? 'info',
    workflowBundlePath: overrides.workflowBundlePath ?? (environment.KEEL_WORKFLOW_BUNDLE || undefined),
    pool,
    modelPoolFile,
    memory: overrides.memory ?? memoryConfigFrom(parsed),
    context: overrides.context ?? contextSettingsFrom(parsed),
    sandbox: overrides.sandbox ?? sandboxConfigFrom(parsed),
    operations: overrides.operations ?? operationsConfigFrom(parsed, environment),
    codec: overrides.codec ?? {
      keys: parsed.KEEL_PAYLOAD_KEYS?.length ? parsed.KEEL_PAYLOAD_KEYS : undefined,
      uiToken: parsed.KEEL_CODEC_UI_TOKEN,
      corsOrigins: parsed.KEEL_CODEC_CORS_ORIGINS ?? DEFAULT_CODEC_CORS_ORIGINS,
    },
    rateLimits: rateLimitConfigFrom(parsed),
    maxCachedWorkflows: overrides.maxCachedWorkflows ?? parsed.KEEL_MAX_CACHED_WORKFLOWS,
    stepSlotLeaseMs: overrides.stepSlotLeaseMs ?? Math.round((parsed.KEEL_STEP_SLOT_LEASE_SECONDS ?? DEFAULT_STEP_SLOT_LEASE_SECONDS) * 1000),
    deployment: overrides.deployment ?? (parsed.KEEL_BUILD_ID ? { name: parsed.KEEL_DEPLOYMENT_NAME ?? DEFAULT_DEPLOYMENT_NAME, buildId: parsed.KEEL_BUILD_ID } : undefined),
  };
}

function contextSettingsFrom(environment: KeelEnvironment): ContextSettings {
  const defaults = DEFAULT_CONTEXT_SETTINGS;
  const shares = environment.KEEL_CONTEXT_BUDGETS;
  return {
    defaultContextWindow: environment.KEEL_DEFAULT_CONTEXT_WINDOW ?? defaults.defaultContextWindow,
    budgets: shares ? { system: shares[0]!, recent: shares[1]!, older: shares[2]! } : defaults.budgets,
    toolOutputTokenLimit: environment.KEEL_TOOL_OUTPUT_TOKEN_LIMIT ?? defaults.toolOutputTokenLimit,
    summaryMaxTokens: environment.KEEL_SUMMARY_MAX_TOKENS ?? defaults.summaryMaxTokens,
  };
}

function sandboxConfigFrom(environment: KeelEnvironment): SandboxConfig {
  const limits: SandboxConfig['limits'] = {};
  if (environment.KEEL_SANDBOX_CPU_SECONDS !== undefined) limits.cpuSeconds = environment.KEEL_SANDBOX_CPU_SECONDS;
  if (environment.KEEL_SANDBOX_MEMORY_BYTES !== undefined) limits.memoryBytes = environment.KEEL_SANDBOX_MEMORY_BYTES;
  if (environment.KEEL_SANDBOX_PROCESSES !== undefined) limits.processes = environment.KEEL_SANDBOX_PROCESSES;
  if (environment.KEEL_SANDBOX_FILE_SIZE_BYTES !== undefined) limits.fileSizeBytes = environment.KEEL_SANDBOX_FILE_SIZE_BYTES;
  return { unsafeBash: environment.KEEL_UNSAFE_BASH === '1', limits, readOnlyPaths: environment.KEEL_SANDBOX_READ_ONLY_PATHS ?? [] };
}

function readModelsFile(file: string | undefined, readFile: (file: string) => string): ModelSpec[] {
  if (!file) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(file));
  } catch (error) {
    throw new ConfigError('modelsFile', 'KEEL_MODELS_FILE', `cannot read ${file} as JSON: ${(error as Error).message}`);
  }
  const result = z.object({ models: z.array(modelSpecSchema).min(1) }).safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError('modelsFile', 'KEEL_MODELS_FILE', `${file} is invalid: ${problems}`);
  }
  return result.data.models;
}

/** Reads and validates the pool file (YAML or JSON); every problem is named with its file and field. */
function readPoolFile(file: string | undefined, readFile: (file: string) => string): PoolConfig | undefined {
  if (!file) return undefined;
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    throw new ConfigError('modelPoolFile', 'KEEL_MODEL_POOL_FILE', `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return parsePoolConfig(text, file);
  } catch (error) {
    if (error instanceof PoolConfigError) throw new ConfigError('modelPoolFile', 'KEEL_MODEL_POOL_FILE', error.message);
    throw error;
  }
}

function poolSpecs(pool: PoolConfig, fileModels: readonly ModelSpec[], file: string | undefined): ModelSpec[] {
  const specs = POOL_TIERS.flatMap((tier) => pool.tiers[tier].map(poolModelSpec));
  const clash = specs.find((spec) => fileModels.some((model) => model.id === spec.id));
  if (clash) {
    throw new ConfigError('modelPoolFile', 'KEEL_MODEL_POOL_FILE', `${file ?? 'the pool'}: model id "${clash.id}" is also defined in KEEL_MODELS_FILE; give it one definition`);
  }
  return specs;
}
