// Turns a scenario reply into the concrete answer for one request: `{{turn}}`/`{{model}}` filled in,
// tool-call ids and argument JSON fixed, token usage estimated (or taken from the scenario).
import { createHash } from 'node:crypto';
import { estimateTokens, type ModelCall } from './model-call';
import type { ScriptedReply } from './scenario-schema';

export type AnswerToolCall = {
  id: string;
  name: string;
  /** Arguments as sent on the wire (may be invalid JSON when the scenario says so). */
  argumentsJson: string;
  /** Arguments as an object, `{}` when `argumentsJson` is not a JSON object. */
  input: Record<string, unknown>;
};

export type AnswerUsage = { inputTokens: number; outputTokens: number; cachedInputTokens: number; reasoningTokens: number };

export type Answer = {
  text: string;
  reasoning?: string;
  reasoningFormat: 'field' | 'think-tags';
  reasoningSignature: string;
  redactedReasoning?: string;
  toolCalls: AnswerToolCall[];
  usage: AnswerUsage;
};

type Template = { turn: string; model: string };

function fill(text: string, template: Template): string {
  if (!text.includes('{{')) return text;
  return text.replaceAll('{{turn}}', template.turn).replaceAll('{{model}}', template.model);
}

function fillDeep(value: unknown, template: Template): unknown {
  if (typeof value === 'string') return fill(value, template);
  if (Array.isArray(value)) return value.map((item) => fillDeep(item, template));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillDeep(item, template)]));
  }
  return value;
}

function objectFromJson(json: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function buildAnswer(reply: ScriptedReply | undefined, call: ModelCall): Answer {
  const template: Template = { turn: String(call.turn), model: call.model };
  const idPrefix = call.wireFormat === 'openai' ? 'call' : 'toolu';
  const text = fill(reply?.text ?? '', template);
  const reasoning = reply?.reasoning === undefined ? undefined : fill(reply.reasoning, template);
  const toolCalls = (reply?.toolCalls ?? []).map((toolCall, index): AnswerToolCall => {
    const filled = fillDeep(toolCall.arguments, template);
    const argumentsJson = typeof filled === 'string' ? filled : JSON.stringify(filled);
    return {
      id: toolCall.id ?? `${idPrefix}_${call.turn}_${index}`,
      name: fill(toolCall.name, template),
      argumentsJson,
      input: typeof filled === 'string' ? objectFromJson(filled) : (filled as Record<string, unknown>),
    };
  });
  const outputCharacters = text.length + (reasoning?.length ?? 0)
    + toolCalls.reduce((sum, toolCall) => sum + toolCall.name.length + toolCall.argumentsJson.length, 0);
  const override = reply?.usage;
  return {
    text,
    reasoning,
    reasoningFormat: reply?.reasoningFormat ?? 'field',
    reasoningSignature: reply?.reasoningSignature
      ?? createHash('sha1').update(reasoning ?? '').digest('base64'),
    redactedReasoning: reply?.redactedReasoning,
    toolCalls,
    usage: {
      inputTokens: override?.inputTokens ?? call.inputTokens,
      outputTokens: override?.outputTokens ?? Math.max(1, estimateTokens(outputCharacters)),
      cachedInputTokens: override?.cachedInputTokens ?? 0,
      reasoningTokens: override?.reasoningTokens ?? estimateTokens(reasoning?.length ?? 0),
    },
  };
}

/** Splits text into word-sized pieces (whitespace kept) the way a model streams tokens. */
export function wordPieces(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

/** Splits tool-call argument JSON into fragments, as providers stream it. */
export function jsonFragments(json: string, size = 12): string[] {
  const fragments: string[] = [];
  for (let start = 0; start < json.length; start += size) fragments.push(json.slice(start, start + size));
  return fragments;
}
