// Shared set-up for provider tests: one local model server per test file and model specs that
// point each provider at it.
import type { Message, ProviderKind } from '../../../core/messages';
import type { ModelSpec } from '../../../core/model-spec';
import type { ToolSpec } from '../../../core/tool-spec';
import { startModelServer, type ModelServer, type ScenarioInput } from '../../../model-server';
import type { ModelRequest } from '../../../providers';

export const PROVIDERS: readonly ProviderKind[] = ['openai', 'anthropic'];

export const READ_FILE_TOOL: ToolSpec = {
  name: 'read_file',
  description: 'Reads a file from the workspace.',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

/** Starts a server before the file's tests and closes it after; `current()` returns it. */
export function useModelServer(scenarios: ScenarioInput[] = []): () => ModelServer {
  let server: ModelServer | undefined;
  beforeAll(async () => {
    server = await startModelServer({ scenarios });
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('the model server is not started');
    return server;
  };
}

export function specFor(server: ModelServer, provider: ProviderKind, model: string, extra: Partial<ModelSpec> = {}): ModelSpec {
  return {
    id: `${provider}-${model}`,
    provider,
    model,
    baseURL: provider === 'openai' ? server.openaiBaseURL : server.url,
    timeoutMs: 5_000,
    ...extra,
  };
}

export function requestFor(spec: ModelSpec, messages: Message[], options: Partial<ModelRequest> = {}): ModelRequest {
  return { spec, system: 'You are a test assistant.', messages, tools: [READ_FILE_TOOL], ...options };
}

/** The JSON body of the newest request the server recorded for a model. */
export function lastBodyFor(server: ModelServer, model: string): Record<string, unknown> {
  const recorded = server.requests({ model }).at(-1);
  if (!recorded) throw new Error(`no request recorded for ${model}`);
  return recorded.body as Record<string, unknown>;
}
