// The local model server's public surface, for tests, benchmarks and the dev script.
export { startModelServer, DEFAULT_MODEL_SERVER_HOST } from './model-server';
export type { ModelServer, ModelServerOptions } from './model-server';
export { parseScenario, scenarioSchema, ScenarioValidationError } from './scenario-schema';
export type { Scenario, ScenarioInput, ScenarioRule, ScriptedFault, ScriptedReply, ScriptedToolCall } from './scenario-schema';
export { BUILT_IN_SCENARIO_DIR, loadScenarioDirectory, loadScenarioFile } from './scenario-files';
export { CONVERSATION_HEADER, WIRE_FORMATS } from './model-call';
export type { WireFormat } from './model-call';
export type { RecordedRequest, RequestFilter, RequestOutcome } from './request-log';
