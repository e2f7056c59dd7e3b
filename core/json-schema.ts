// JSON Schema as Keel accepts it from users (a run's output schema, an HTTP tool's arguments):
// bounded in size, compiled once with ajv, and values checked against it with readable errors.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { z } from 'zod';

export const MAX_JSON_SCHEMA_CHARS = 20_000;

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 500;

/** Thrown when a document given as JSON Schema does not compile. */
export class JsonSchemaInvalid extends Error {
  constructor(readonly reason: string) {
    super(`not a valid JSON Schema: ${reason}`);
    this.name = 'JsonSchemaInvalid';
  }
}

/** A JSON Schema object: small enough to send with every model call, and compilable. */
export const jsonSchemaObject = () => z.record(z.string(), z.unknown())
  .refine((schema) => JSON.stringify(schema).length <= MAX_JSON_SCHEMA_CHARS, `must be at most ${MAX_JSON_SCHEMA_CHARS} characters as JSON`)
  .superRefine((schema, context) => {
    try {
      validatorFor(schema);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  const cached = compiled.get(key);
  if (cached) return cached;
  let validate: ValidateFunction;
  try {
    // $schema and $id would make ajv look up meta-schemas or register ids across calls.
    const { $schema: _dialect, $id: _id, ...rest } = schema;
    validate = ajv.compile(rest);
  } catch (error) {
    throw new JsonSchemaInvalid((error as Error).message);
  }
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, validate);
  return validate;
}

/** The problems of `value` against `schema`, as "path: message" lines; empty when it is valid. */
export function schemaErrors(schema: Record<string, unknown>, value: unknown): string[] {
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(describeError);
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath.slice(1).replace(/\//g, '.');
  const extra = error.keyword === 'additionalProperties' ? ` ("${String((error.params as { additionalProperty?: string }).additionalProperty)}")` : '';
  return `${where}: ${error.message ?? error.keyword}${extra}`;
}
