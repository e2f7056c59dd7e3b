// What a model is told about a tool: name, description and JSON Schema of its arguments.

export type JsonSchema = Record<string, unknown>;

export type ToolSpec = {
  name: string;
  description: string;
  /** JSON Schema (draft 2020-12 subset) of the arguments object. */
  parameters: JsonSchema;
};
