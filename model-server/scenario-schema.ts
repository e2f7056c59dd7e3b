// The scenario format that scripts the local model server's replies and faults, validated with zod.
// A scenario selects requests by model glob; its first matching rule decides the answer.
import { z } from 'zod';

const modelGlobs = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const toolCallReplySchema = z.strictObject({
  name: z.string().min(1),
  /** An object is sent as JSON; a string is sent verbatim (useful to script invalid JSON). */
  arguments: z.union([z.record(z.string(), z.unknown()), z.string()]).default({}),
  /** Call id; defaults to one derived from the turn and the call's position. */
  id: z.string().min(1).optional(),
});

export const usageOverrideSchema = z.strictObject({
  inputTokens: z.number().int().nonnegative().optional(),
  outputTokens: z.number().int().nonnegative().optional(),
  cachedInputTokens: z.number().int().nonnegative().optional(),
  reasoningTokens: z.number().int().nonnegative().optional(),
});

export const replySchema = z.strictObject({
  text: z.string().optional(),
  /** Reasoning: `reasoning_content` (OpenAI) or a signed `thinking` block (Anthropic). */
  reasoning: z.string().optional(),
  /** OpenAI only: `think-tags` puts reasoning in the content as a MiniMax-style `<think>…</think>` prefix. */
  reasoningFormat: z.enum(['field', 'think-tags']).default('field'),
  /** Anthropic thinking signature; defaults to a deterministic one. */
  reasoningSignature: z.string().optional(),
  /** Anthropic only: adds a `redacted_thinking` block carrying this data. */
  redactedReasoning: z.string().optional(),
  toolCalls: z.array(toolCallReplySchema).default([]),
  /** Replaces the estimated token counts. */
  usage: usageOverrideSchema.optional(),
  delayMs: z.number().int().nonnegative().optional(),
});

export const faultSchema = z.strictObject({
  /** HTTP status answered with an error body in the request's wire format. */
  status: z.number().int().min(400).max(599).optional(),
  message: z.string().optional(),
  /** Error `type` in the body; defaults to the one the real API uses for the status. */
  errorType: z.string().optional(),
  retryAfterSeconds: z.number().nonnegative().optional(),
  retryAfterMs: z.number().int().nonnegative().optional(),
  delayMs: z.number().int().nonnegative().optional(),
  /** Sends this many chunks of the rule's reply (or half the JSON body), then destroys the socket. */
  cutAfterChunks: z.number().int().nonnegative().optional(),
  /** Answers 200 with a body (or SSE event) that is not valid JSON. */
  malformed: z.boolean().optional(),
  /** Accepts the request, stalls this long, then destroys the socket without answering. */
  hangMs: z.number().int().nonnegative().optional(),
});

const turnRangeSchema = z.strictObject({
  from: z.number().int().nonnegative().default(0),
  to: z.number().int().nonnegative().optional(),
});

export const ruleSchema = z
  .strictObject({
    /** Exact turn: the number of assistant messages already in the request. */
    turn: z.number().int().nonnegative().optional(),
    turns: turnRangeSchema.optional(),
    /** Glob(s) on the request's model, within the scenario's models. */
    model: modelGlobs.optional(),
    /** Substring the conversation's first user message must contain. */
    promptIncludes: z.string().optional(),
    /** Substring the system prompt must contain (an agent's instructions). */
    systemIncludes: z.string().optional(),
    /** Substring the request's last message must contain (in a tool loop: the latest tool result). */
    lastMessageIncludes: z.string().optional(),
    /** Most times the rule fires per conversation; afterwards it is skipped. */
    times: z.number().int().positive().optional(),
    /** Chance (0..1] that the rule fires when everything else matches; otherwise the next rule is tried (fault storms). */
    probability: z.number().gt(0).max(1).optional(),
    reply: replySchema.optional(),
    fault: faultSchema.optional(),
  })
  .refine((rule) => rule.reply !== undefined || rule.fault !== undefined, {
    message: 'a rule needs a reply, a fault, or both',
  });

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).regex(/^[\w.-]+$/, 'letters, digits, _, . and - only'),
  description: z.string().optional(),
  models: modelGlobs,
  /** Seed of the draws `probability` rules make (one sequence per scenario); random when absent. */
  seed: z.number().int().optional(),
  rules: z.array(ruleSchema).min(1),
});

/** A scenario as written in JSON (defaults optional). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioRule = z.infer<typeof ruleSchema>;
export type ScriptedReply = z.infer<typeof replySchema>;
export type ScriptedFault = z.infer<typeof faultSchema>;
export type ScriptedToolCall = z.infer<typeof toolCallReplySchema>;

/** Thrown when a scenario does not match the scenario format; names the scenario source and the issues. */
export class ScenarioValidationError extends Error {
  constructor(readonly source: string, readonly issues: readonly string[]) {
    super(`invalid scenario ${source}: ${issues.join('; ')}`);
    this.name = 'ScenarioValidationError';
  }
}

export function parseScenario(input: unknown, source = '(inline)'): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ScenarioValidationError(source, issues);
}
