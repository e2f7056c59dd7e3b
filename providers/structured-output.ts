// Structured output on each wire format. OpenAI-compatible servers get `response_format:
// json_schema`. Anthropic has no such field: the answer is requested through a forced tool
// (`tool_choice: any` with a `final_answer` tool whose input schema is the run's), and that tool
// call comes back to Keel as the answer's text, JSON, so the rest of Keel sees one shape.
import type { ToolChoiceAny, ToolChoiceAuto, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import type { ToolCallPart } from '../core/messages';
import { OUTPUT_TOOL_NAME } from '../core/run-output';
import type { JsonSchema } from '../core/tool-spec';
import type { ModelResponse } from './types';

/** What a call asks of the final answer. */
export type StructuredOutputRequest = { schema: JsonSchema };

/** A non-object schema is wrapped (Anthropic tool inputs are objects) and unwrapped from `value`. */
const WRAPPED_KEY = 'value';

function isObjectSchema(schema: JsonSchema): boolean {
  return schema.type === 'object';
}

export function openAIResponseFormat(output: StructuredOutputRequest): ResponseFormatJSONSchema {
  return { type: 'json_schema', json_schema: { name: OUTPUT_TOOL_NAME, schema: output.schema, strict: false } };
}

export function anthropicOutputTool(output: StructuredOutputRequest): Tool {
  const schema = isObjectSchema(output.schema) ? output.schema : { type: 'object', properties: { [WRAPPED_KEY]: output.schema }, required: [WRAPPED_KEY] };
  return {
    name: OUTPUT_TOOL_NAME,
    description: 'Give your final answer with this tool, once you are done with the other tools. Its input is the answer.',
    input_schema: { type: 'object', ...schema },
  };
}

/** Extended thinking refuses forced tool choice: then the tool is offered, not forced. */
export function anthropicOutputToolChoice(thinking: boolean): ToolChoiceAny | ToolChoiceAuto {
  return thinking ? { type: 'auto' } : { type: 'any' };
}

/**
 * A `final_answer` call becomes the answer's text (the JSON of its input). Beside other tool calls
 * it is dropped: the model is still working, and will answer again after their results.
 */
export function answerFromOutputTool(response: ModelResponse, output: StructuredOutputRequest): ModelResponse {
  const calls = response.message.parts.filter((part): part is ToolCallPart => part.type === 'tool-call');
  const answer = calls.find((call) => call.toolName === OUTPUT_TOOL_NAME);
  if (!answer) return response;
  const others = calls.filter((call) => call !== answer);
  if (others.length > 0) return { ...response, message: { ...response.message, parts: response.message.parts.filter((part) => part !== answer) } };
  const value = isObjectSchema(output.schema) ? answer.arguments : answer.arguments[WRAPPED_KEY];
  const parts = response.message.parts.filter((part) => part.type === 'reasoning');
  return {
    ...response,
    finishReason: 'stop',
    message: { ...response.message, parts: [...parts, { type: 'text', text: answer.rawArguments ?? JSON.stringify(value) }] },
  };
}
