// Handles one chat request in either wire format: parse, pick the scenario rule, record the
// request, then answer with the scripted reply or fault after any configured latency.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendWireError, writeAnswer, writeFault } from './answer-writer';
import { readBody, sleep } from './http-io';
import { CONVERSATION_HEADER, InvalidModelCallError, readModelCall, type ModelCall, type WireFormat } from './model-call';
import { withoutCredentials, type RecordedRequest, type RequestLog } from './request-log';
import type { ScenarioRegistry } from './scenario-registry';
import { buildAnswer } from './scripted-answer';

export type ModelCallContext = { registry: ScenarioRegistry; log: RequestLog; latencyMs: number };

export async function handleModelCall(
  context: ModelCallContext,
  wireFormat: WireFormat,
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const raw = await readBody(request);
  const entry: RecordedRequest = {
    sequence: context.log.nextSequence(),
    receivedAt: new Date().toISOString(),
    path,
    wireFormat,
    headers: withoutCredentials(request.headers),
    body: raw,
    outcome: 'invalid',
    status: 400,
  };
  const fail = (status: number, message: string) => {
    entry.status = status;
    context.log.record(entry);
    sendWireError(response, wireFormat, status, message);
  };
  let call: ModelCall;
  try {
    entry.body = JSON.parse(raw) as unknown;
    const explicitKey = request.headers[CONVERSATION_HEADER];
    call = readModelCall(wireFormat, entry.body, raw.length, typeof explicitKey === 'string' ? explicitKey : undefined);
  } catch (error) {
    if (error instanceof SyntaxError) return fail(400, `request body is not valid JSON: ${error.message}`);
    if (error instanceof InvalidModelCallError) return fail(400, error.message);
    throw error;
  }
  Object.assign(entry, { model: call.model, stream: call.stream, turn: call.turn, conversationKey: call.conversationKey });

  const selection = context.registry.select(call);
  if (selection.kind === 'no-scenario') {
    entry.outcome = 'no-scenario';
    const scripted = selection.scriptedModels.join(', ') || '(none)';
    return fail(404, `model "${call.model}" is not scripted on this model server; scripted models: ${scripted}`);
  }
  entry.scenario = selection.scenario.name;
  if (selection.kind === 'no-rule') {
    entry.outcome = 'no-rule';
    return fail(400, `scenario "${selection.scenario.name}" has no rule for turn ${call.turn} of model "${call.model}"`);
  }
  const { rule, ruleIndex } = selection;
  entry.ruleIndex = ruleIndex;
  entry.outcome = rule.fault ? 'fault' : 'reply';
  entry.status = rule.fault?.status ?? 200;
  context.log.record(entry);

  const delayMs = context.latencyMs + (rule.fault?.delayMs ?? 0) + (rule.reply?.delayMs ?? 0);
  if (delayMs > 0) await sleep(delayMs);
  if (response.destroyed) return;
  if (rule.fault && (await writeFault(response, call, rule.fault))) return;
  const responseId = `${wireFormat === 'openai' ? 'chatcmpl' : 'msg'}_${entry.sequence}`;
  writeAnswer(response, call, buildAnswer(rule.reply, call), responseId, rule.fault?.cutAfterChunks);
}
