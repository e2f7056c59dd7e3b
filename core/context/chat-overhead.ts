// The fixed token costs a chat request adds around its text, as named constants. Message costs follow
// OpenAI's published accounting (openai-cookbook "How to count tokens with tiktoken"); the tool parts
// are documented estimates, because no provider publishes how it renders tools.

/** Every message is wrapped as `<|start|>{role}<|message|>…<|end|>`: three tokens besides the role. */
export const MESSAGE_OVERHEAD = 3;

/** Every reply is primed with `<|start|>assistant<|message|>`. */
export const REPLY_PRIMING_TOKENS = 3;

/** A message that carries a `name` (here: a tool result, named by its tool) costs one token more. */
export const NAME_OVERHEAD = 1;

/** Estimate: the wrapper around one tool call (recipient, channel and argument delimiters). */
export const TOOL_CALL_OVERHEAD = 4;

/**
 * Estimate: OpenAI renders tool definitions into a TypeScript-like namespace in the system message.
 * Keel counts each definition as its JSON (usually a little more than the rendering) plus this wrapper.
 */
export const TOOL_DEFINITION_OVERHEAD = 7;

/** Estimate: the namespace header and footer around all tool definitions, once per request. */
export const TOOLS_SECTION_OVERHEAD = 12;

/**
 * Anthropic's documented tool-use system prompt (346 tokens for `tool_choice: auto` on current Claude
 * models), added once whenever tools are sent over the Anthropic wire format.
 */
export const ANTHROPIC_TOOL_SYSTEM_PROMPT_TOKENS = 346;

/** Role strings as the OpenAI wire format names them; each is one token in cl100k and o200k. */
export const WIRE_ROLES = {
  system: 'system',
  user: 'user',
  assistant: 'assistant',
  'tool-result': 'tool',
} as const;
