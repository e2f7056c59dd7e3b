// The local model server: one plain Node http server speaking the OpenAI chat-completions and
// Anthropic messages wire formats, scripted by scenarios, with an admin API and a request log.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, handleAdmin } from './admin-routes';
import { handleEmbeddings } from './embeddings-handler';
import { BodyTooLargeError, sendJson, splitPath } from './http-io';
import { handleModelCall } from './model-call-handler';
import { DEFAULT_REQUEST_LOG_CAPACITY, RequestLog, type RecordedRequest, type RequestFilter } from './request-log';
import { ScenarioRegistry } from './scenario-registry';
import { loadScenarioDirectory } from './scenario-files';
import { parseScenario, type Scenario, type ScenarioInput } from './scenario-schema';
import type { WireFormat } from './model-call';
import { errorMessage } from '../core/error-message';

export const DEFAULT_MODEL_SERVER_HOST = '127.0.0.1';

export type ModelServerOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  scenarios?: ScenarioInput[];
  /** Folder of `*.json` scenarios loaded before `scenarios`. */
  scenarioDir?: string;
  /** Latency added before every model reply, for benchmarks. */
  latencyMs?: number;
  requestLogCapacity?: number;
};

export type ModelServer = {
  /** Root URL, e.g. http://127.0.0.1:4010 (the Anthropic SDK's base URL). */
  url: string;
  /** `${url}/v1`, the OpenAI SDK's base URL. */
  openaiBaseURL: string;
  port: number;
  /** Validates and registers (or replaces, by name) a scenario. */
  addScenario(scenario: ScenarioInput): Scenario;
  removeScenario(name: string): boolean;
  scenarios(): Scenario[];
  requests(filter?: RequestFilter): RecordedRequest[];
  clearRequests(): void;
  close(): Promise<void>;
};

const MODEL_ROUTES: Record<string, WireFormat> = {
  '/v1/chat/completions': 'openai',
  '/chat/completions': 'openai',
  '/v1/messages': 'anthropic',
};

export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  const registry = new ScenarioRegistry();
  const log = new RequestLog(options.requestLogCapacity ?? DEFAULT_REQUEST_LOG_CAPACITY);
  const fromFolder = options.scenarioDir ? await loadScenarioDirectory(options.scenarioDir) : [];
  for (const scenario of fromFolder) registry.add(scenario);
  for (const scenario of options.scenarios ?? []) registry.add(parseScenario(scenario));
  const modelContext = { registry, log, latencyMs: options.latencyMs ?? 0 };
  const adminContext = { registry, log, startedAt: Date.now() };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const { path, query } = splitPath(request.url);
    const method = request.method ?? 'GET';
    const wireFormat = MODEL_ROUTES[path];
    if (wireFormat && method === 'POST') return handleModelCall(modelContext, wireFormat, path, request, response);
    if (method === 'POST' && (path === '/v1/embeddings' || path === '/embeddings')) return handleEmbeddings(request, response);
    if (path.startsWith(ADMIN_PREFIX)) return handleAdmin(adminContext, method, path, query, request, response);
    if (method === 'GET' && (path === '/v1/models' || path === '/models')) {
      const data = registry.scriptedModels().map((id) => ({
        id, object: 'model', type: 'model', display_name: id, created: 0, created_at: '1970-01-01T00:00:00Z', owned_by: 'keel-model-server',
      }));
      return sendJson(response, 200, { object: 'list', data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
    }
    sendJson(response, 404, { error: { code: 'not_found', message: `no route ${method} ${path}`, details: null } });
  };

  const server = createServer({ noDelay: true, keepAliveTimeout: 30_000 }, (request, response) => {
    route(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const tooLarge = error instanceof BodyTooLargeError;
      const message = errorMessage(error);
      sendJson(response, tooLarge ? 413 : 500, { error: { code: tooLarge ? 'body_too_large' : 'internal', message, details: null } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? DEFAULT_MODEL_SERVER_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? DEFAULT_MODEL_SERVER_HOST;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    port,
    addScenario(input) {
      const scenario = parseScenario(input);
      registry.add(scenario);
      return scenario;
    },
    removeScenario: (name) => registry.remove(name),
    scenarios: () => registry.list(),
    requests: (filter) => log.list(filter),
    clearRequests: () => log.clear(),
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
}
