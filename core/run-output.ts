// Structured output: a run (or its agent) asks for a final answer that is JSON matching a schema.
// The providers request it their way (OpenAI `response_format: json_schema`, Anthropic a forced
// answer tool); the worker validates the answer and the workflow sends an invalid one back.
import { z } from 'zod';
import { jsonSchemaObject, schemaErrors } from './json-schema';

/** The Anthropic answer tool's name, and OpenAI's json_schema name. */
export const OUTPUT_TOOL_NAME = 'final_answer';

export const runOutputSchema = z.object({
  schema: jsonSchemaObject().describe('JSON Schema the final answer must match (an object schema for Anthropic models, which answer through a tool).'),
}).strict();
export type RunOutput = z.infer<typeof runOutputSchema>;

/** How a final answer measured up against the run's schema. */
export type OutputCheck = { valid: true; value: unknown } | { valid: false; errors: string[] };

/** Parses the answer text as JSON (a ```json fence is tolerated) and validates it. */
export function checkOutput(output: RunOutput, answer: string): OutputCheck {
  const text = answer.trim().replace(/^```(?:json)?\s*\n([\s\S]*?)\n```$/, '$1');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { valid: false, errors: [`the answer is not JSON (${(error as Error).message})`] };
  }
  const errors = schemaErrors(output.schema, value);
  return errors.length === 0 ? { valid: true, value } : { valid: false, errors };
}
