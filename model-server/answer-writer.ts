// Writes a scripted answer or fault to the socket in the request's wire format: JSON or SSE,
// error statuses with retry headers, malformed bodies, streams cut mid-way, stalled requests.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { anthropicEvents, anthropicMessage } from './anthropic-wire';
import { defaultErrorMessage, errorBody } from './error-bodies';
import { sendJson, sleep } from './http-io';
import type { ModelCall, WireFormat } from './model-call';
import { openaiChunkEvents, openaiCompletion } from './openai-wire';
import type { ScriptedFault } from './scenario-schema';
import type { Answer } from './scripted-answer';

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' };

export function sendWireError(
  response: ServerResponse,
  wireFormat: WireFormat,
  status: number,
  message: string,
  options: { errorType?: string; headers?: OutgoingHttpHeaders } = {},
): void {
  sendJson(response, status, errorBody(wireFormat, status, message, options.errorType), options.headers);
}

function retryHeaders(fault: ScriptedFault): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  return headers;
}

/** Answers a fault that replaces the reply; returns false when the fault only shapes the reply (a cut). */
export async function writeFault(response: ServerResponse, call: ModelCall, fault: ScriptedFault): Promise<boolean> {
  if (fault.hangMs !== undefined) {
    await sleep(fault.hangMs);
    response.destroy();
    return true;
  }
  if (fault.status !== undefined) {
    sendWireError(response, call.wireFormat, fault.status, fault.message ?? defaultErrorMessage(fault.status), {
      errorType: fault.errorType,
      headers: retryHeaders(fault),
    });
    return true;
  }
  if (fault.malformed) {
    writeMalformed(response, call);
    return true;
  }
  return false;
}

function writeMalformed(response: ServerResponse, call: ModelCall): void {
  if (!call.stream) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"id": "malformed", "choices": [{"index": 0, "message": ');
    return;
  }
  response.writeHead(200, SSE_HEADERS);
  response.end(call.wireFormat === 'openai'
    ? 'data: {"id": "malformed", "choices": [\n\ndata: [DONE]\n\n'
    : 'event: message_start\ndata: {"type": "message_start", "message": \n\n');
}

export function writeAnswer(response: ServerResponse, call: ModelCall, answer: Answer, responseId: string, cutAfterChunks?: number): void {
  if (response.destroyed) return;
  if (call.stream) {
    const events = call.wireFormat === 'openai'
      ? openaiChunkEvents(answer, call, responseId, Math.floor(Date.now() / 1000))
      : anthropicEvents(answer, call, responseId);
    response.writeHead(200, { ...SSE_HEADERS, 'x-request-id': responseId });
    if (cutAfterChunks === undefined) response.end(events.join(''));
    else cutAfter(response, events.slice(0, cutAfterChunks).join(''));
    return;
  }
  const body = JSON.stringify(call.wireFormat === 'openai'
    ? openaiCompletion(answer, call, responseId, Math.floor(Date.now() / 1000))
    : anthropicMessage(answer, call, responseId));
  if (cutAfterChunks === undefined) {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': responseId });
    response.end(body);
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  cutAfter(response, body.slice(0, Math.floor(body.length / 2)));
}

/** Sends `text`, waits until it has left the process, then destroys the socket mid-response. */
function cutAfter(response: ServerResponse, text: string): void {
  response.flushHeaders();
  if (!text) {
    setImmediate(() => response.destroy());
    return;
  }
  response.write(text, () => setImmediate(() => response.destroy()));
}
