// Where a provider's API key comes from: the environment variable the model spec names, or a
// placeholder for local servers (Ollama, vLLM, the local model server) that need none.
import type { ModelSpec } from '../core/model-spec';
import { notConfiguredError } from './model-call-errors';

/** Sent when a spec names no key variable; local servers ignore it, and the SDKs insist on one. */
export const LOCAL_API_KEY_PLACEHOLDER = 'not-needed';

/** Reads the key; throws a non-retryable ModelNotConfigured error when the named variable is empty. */
export function resolveApiKey(spec: ModelSpec, environment: NodeJS.ProcessEnv = process.env): string {
  if (!spec.apiKeyEnv) return LOCAL_API_KEY_PLACEHOLDER;
  const key = environment[spec.apiKeyEnv];
  if (!key) {
    throw notConfiguredError(
      spec,
      `environment variable ${spec.apiKeyEnv} (its API key) is not set; set it, or remove apiKeyEnv for a local server`,
    );
  }
  return key;
}
