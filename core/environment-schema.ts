// Every environment variable Keel reads that has a shape, as one zod schema: a start-up with several
// bad variables names them all at once, instead of one per restart. Unset and empty mean the same.
import path from 'node:path';
import { z } from 'zod';
import { parseAlertRoutes } from './alerts';
import { ConfigError } from './config-error';
import { NOTES_STORE_KINDS } from './memory/notes-store-kinds';
import { payloadKeysText } from './payload-keys';
import { buildIdSchema, deploymentNameSchema } from './worker-deployment';

/** Long enough to be unguessable; Alertmanager and Prometheus send them as `Authorization: Bearer …`. */
export const MIN_TOKEN_CHARS = 16;

const MAX_RETRY_DELAY_MS = 60_000;

const emptyIsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <Schema extends z.ZodType>(schema: Schema) => z.preprocess(emptyIsUnset, schema.optional());

const numberText = (check: (value: number) => boolean, expected: string) =>
  z.string().transform((text, context) => {
    const value = Number(text.trim());
    if (!check(value)) {
      context.addIssue({ code: 'custom', message: `"${text}" is not ${expected}` });
      return z.NEVER;
    }
    return value;
  });

const numberListText = (count: number | undefined, check: (value: number) => boolean, expected: string) =>
  z.string().transform((text, context) => {
    const values = text.split(',').map((part) => Number(part.trim()));
    if ((count !== undefined && values.length !== count) || !values.every(check)) {
      context.addIssue({ code: 'custom', message: `"${text}" is not ${expected}` });
      return z.NEVER;
    }
    return values;
  });

const positiveInteger = numberText((value) => Number.isSafeInteger(value) && value > 0, 'a positive whole number');
const positiveNumber = numberText((value) => Number.isFinite(value) && value > 0, 'a positive number');
const unitNumber = numberText((value) => Number.isFinite(value) && value >= 0 && value <= 1, 'a number from 0 to 1');
const port = numberText((value) => Number.isInteger(value) && value >= 0 && value <= 65535, 'a port number (0 to 65535)');
const requestsPerMinute = z.string().transform((text, context) => {
  if (text.trim() === 'off') return 0;
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value) || value < 0) {
    context.addIssue({ code: 'custom', message: `"${text}" is not a whole number of requests per minute (0 or "off" turns it off)` });
    return z.NEVER;
  }
  return value;
});
const token = z.string().min(MIN_TOKEN_CHARS, `must be at least ${MIN_TOKEN_CHARS} characters (e.g. openssl rand -hex 32)`);
const variableName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must name an environment variable (e.g. OPENAI_API_KEY), never hold the key itself');
const nonNegative = (value: number) => Number.isFinite(value) && value >= 0;

const alertRoutes = z.string().transform((text, context) => {
  try {
    return parseAlertRoutes(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: error instanceof ConfigError ? error.problem : String(error) });
    return z.NEVER;
  }
});

const absolutePaths = z.string().transform((text, context) => {
  const paths = text.split(':').filter(Boolean);
  const relative = paths.find((item) => !path.isAbsolute(item));
  if (relative !== undefined) {
    context.addIssue({ code: 'custom', message: `"${relative}" is not an absolute path` });
    return z.NEVER;
  }
  return paths;
});

export const keelEnvironmentSchema = z.object({
  PORT: optional(port),
  KEEL_CONTEXT_BUDGETS: optional(
    numberListText(3, nonNegative, 'three shares "system,recent,older" such as "0.1,0.4,0.5"').refine(
      (shares) => shares.some((share) => share > 0),
      'at least one share must be above 0',
    ),
  ),
  KEEL_DEFAULT_CONTEXT_WINDOW: optional(positiveInteger),
  KEEL_TOOL_OUTPUT_TOKEN_LIMIT: optional(positiveInteger),
  KEEL_SUMMARY_MAX_TOKENS: optional(positiveInteger),
  KEEL_SANDBOX_CPU_SECONDS: optional(positiveInteger),
  KEEL_SANDBOX_MEMORY_BYTES: optional(positiveInteger),
  KEEL_SANDBOX_PROCESSES: optional(positiveInteger),
  KEEL_SANDBOX_FILE_SIZE_BYTES: optional(positiveInteger),
  KEEL_UNSAFE_BASH: optional(z.enum(['0', '1'], { error: (issue) => `"${String(issue.input)}" must be 1 (run bash unsandboxed) or 0` })),
  KEEL_SANDBOX_READ_ONLY_PATHS: optional(absolutePaths),
  KEEL_METRICS_PORT: optional(port),
  KEEL_TEMPORAL_METRICS_PORT: optional(port),
  KEEL_METRICS_TOKEN: optional(token),
  KEEL_ALERT_ROUTES: optional(alertRoutes),
  KEEL_ALERT_WEBHOOK_TOKEN: optional(token),
  KEEL_ALERT_RETRY_DELAYS_MS: optional(
    numberListText(undefined, (value) => Number.isInteger(value) && value >= 0 && value <= MAX_RETRY_DELAY_MS, `comma-separated milliseconds (0 to ${MAX_RETRY_DELAY_MS}) such as "250,1000,4000"`),
  ),
  KEEL_NOTES_STORE: optional(z.enum(NOTES_STORE_KINDS, { error: (issue) => `"${String(issue.input)}" is not a notes store; use ${NOTES_STORE_KINDS.join(', ')}` })),
  KEEL_PINECONE_HOST: optional(z.string()),
  KEEL_EMBEDDINGS_BASE_URL: optional(z.string()),
  KEEL_EMBEDDINGS_MODEL: optional(z.string()),
  KEEL_EMBEDDINGS_DIMENSIONS: optional(positiveInteger),
  KEEL_EMBEDDINGS_API_KEY_ENV: optional(variableName),
  KEEL_PINECONE_API_KEY_ENV: optional(variableName),
  KEEL_MEMORY_MERGE_SIMILARITY: optional(unitNumber),
  KEEL_MEMORY_CANDIDATES: optional(positiveInteger),
  KEEL_MEMORY_HALF_LIFE_DAYS: optional(positiveNumber),
  KEEL_RATE_LIMIT_PER_KEY: optional(requestsPerMinute),
  KEEL_RATE_LIMIT_PER_TENANT: optional(requestsPerMinute),
  KEEL_PAYLOAD_KEYS: optional(payloadKeysText),
  KEEL_CODEC_UI_TOKEN: optional(token),
  KEEL_CODEC_CORS_ORIGINS: optional(z.string().transform((text) => text.split(',').map((origin) => origin.trim()).filter(Boolean))),
  /** Seconds a tenant step slot's lease lasts unrenewed: how soon a killed worker's slots come back (decisions/0013). */
  KEEL_STEP_SLOT_LEASE_SECONDS: optional(positiveNumber),
  KEEL_MEMORY_WEIGHTS: optional(numberListText(3, nonNegative, 'three non-negative numbers "similarity,importance,recency" (default 0.7,0.2,0.1)')),
  KEEL_DEPLOYMENT_NAME: optional(deploymentNameSchema),
  KEEL_BUILD_ID: optional(buildIdSchema),
  /** Workflows a worker keeps in memory between tasks: bounds its memory (worker/create-worker.ts). */
  KEEL_MAX_CACHED_WORKFLOWS: optional(positiveInteger),
  });

export type KeelEnvironment = z.infer<typeof keelEnvironmentSchema>;

/** Thrown when one or more environment variables are malformed; names every one of them. */
export class EnvironmentConfigError extends ConfigError {
  constructor(readonly problems: ReadonlyArray<{ variable: string; problem: string }>) {
    super('environment', problems.map((entry) => entry.variable).join(', '), problems.map((entry) => `${entry.variable}: ${entry.problem}`).join('; '));
    this.name = 'EnvironmentConfigError';
  }
}

/** Parses the environment once; every bad variable is reported in the one error. */
export function parseKeelEnvironment(environment: Record<string, string | undefined>): KeelEnvironment {
  const result = keelEnvironmentSchema.safeParse(environment);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? 'environment'), problem: issue.message }))),
    ...crossVariableProblems(environment),
  ];
  if (result.success && problems.length === 0) return result.data;
  throw new EnvironmentConfigError(problems);
}

/**
 * Settings that only make sense with another one, read from the raw text so they are reported
 * beside malformed values (zod skips an object's refinements once a field fails).
 */
function crossVariableProblems(environment: Record<string, string | undefined>): Array<{ variable: string; problem: string }> {
  const set = (variable: string) => {
    const value = environment[variable]?.trim();
    return value ? value : undefined;
  };
  const problems: Array<{ variable: string; problem: string }> = [];
  const routes = set('KEEL_ALERT_ROUTES');
  if (routes !== undefined && routes !== '[]' && set('KEEL_ALERT_WEBHOOK_TOKEN') === undefined) {
    problems.push({ variable: 'KEEL_ALERT_WEBHOOK_TOKEN', problem: "KEEL_ALERT_ROUTES is set but the relay has no token to check Alertmanager's requests against; set one (openssl rand -hex 32) and send it from Alertmanager's http_config" });
  }
  if (set('KEEL_NOTES_STORE') === 'pinecone' && set('KEEL_PINECONE_HOST') === undefined) {
    problems.push({ variable: 'KEEL_PINECONE_HOST', problem: 'KEEL_NOTES_STORE=pinecone needs the index host (https://<index>-<project>.svc.<region>.pinecone.io)' });
  }
  const model = set('KEEL_EMBEDDINGS_MODEL');
  const baseURL = set('KEEL_EMBEDDINGS_BASE_URL');
  if (baseURL !== undefined && model === undefined) {
    problems.push({ variable: 'KEEL_EMBEDDINGS_MODEL', problem: `KEEL_EMBEDDINGS_BASE_URL is set (${baseURL}) but no model; set the embeddings model name, e.g. text-embedding-3-small` });
  }
  if (model !== undefined && set('KEEL_EMBEDDINGS_DIMENSIONS') === undefined) {
    problems.push({ variable: 'KEEL_EMBEDDINGS_DIMENSIONS', problem: `set the vector size of ${model} (e.g. 1536 for text-embedding-3-small); the store's index is built for it` });
  }
  if (set('KEEL_DEPLOYMENT_NAME') !== undefined && set('KEEL_BUILD_ID') === undefined) {
    problems.push({ variable: 'KEEL_BUILD_ID', problem: 'KEEL_DEPLOYMENT_NAME is set but no build id: the worker would run unversioned; set KEEL_BUILD_ID (e.g. the git commit) or unset both' });
  }
  return problems;
}
