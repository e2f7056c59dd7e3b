// fast-check arbitraries derived from the JSON schemas of the OpenAPI document: values that fit a
// schema, and mutations of them (one field broken: wrong type, out of range, missing, unknown key).
import fc from 'fast-check';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
};

/** Long strings are capped: the point is the shape, the huge bodies are hand-written cases. */
const MAX_GENERATED_STRING = 40;

/**
 * Strings matching a schema's pattern. fast-check cannot build from every regex (lookaheads, e.g.
 * MCP server names): then strings made of the pattern's likely characters, kept when they match,
 * plus any strings (which the route must refuse with a 400).
 */
function patternArbitrary(pattern: string): fc.Arbitrary<string> {
  const regex = new RegExp(pattern);
  try {
    return fc.stringMatching(regex);
  } catch {
    const likely = fc.string({ minLength: 1, maxLength: 32, unit: fc.constantFrom(...'abcxyz019-_'.split('')) }).filter((value) => regex.test(value));
    return fc.oneof(likely, fc.string({ maxLength: MAX_GENERATED_STRING }));
  }
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
  if (schema.pattern) return patternArbitrary(schema.pattern);
  const minLength = schema.minLength ?? 0;
  return fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? MAX_GENERATED_STRING, MAX_GENERATED_STRING)), unit: 'grapheme' })
    .filter((value) => value.trim().length >= minLength);
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const exclusive = schema.exclusiveMinimum === true;
  const min = schema.minimum ?? (typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : -1e6);
  const max = schema.maximum ?? 1e6;
  if (integer) return fc.integer({ min: Math.ceil(exclusive ? min + 1 : min), max: Math.floor(max) });
  return fc.double({ min: exclusive ? min + 1e-6 : min, max, noNaN: true, noDefaultInfinity: true });
}

/**
 * Arbitraries are built once per schema (and path): built afresh inside a `chain` for every sample,
 * a large body's regexes were tokenised again each time, 10,000 samples took 150 s, and that
 * blocked the event loop past the server's keep-alive timeout (the fuzz's only finding was that).
 */
const validCache = new WeakMap<JsonSchema, fc.Arbitrary<unknown>>();
const mutatedCache = new WeakMap<JsonSchema, Map<string, fc.Arbitrary<Mutated>>>();

/** A value that fits the schema. */
export function valid(schema: JsonSchema): fc.Arbitrary<unknown> {
  let arbitrary = validCache.get(schema);
  if (!arbitrary) {
    arbitrary = buildValid(schema);
    validCache.set(schema, arbitrary);
  }
  return arbitrary;
}

function buildValid(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map(valid));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(valid(schema.items ?? {}), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case 'object': {
      const properties = schema.properties ?? {};
      const required = schema.required ?? [];
      if (Object.keys(properties).length === 0) {
        return fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      }
      return fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, valid(property)])),
        { requiredKeys: required.filter((key) => key in properties) },
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A value of the wrong kind for the schema. */
function wrongValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const candidates: fc.Arbitrary<unknown>[] = [
    fc.constant(null),
    fc.constant({ $ne: 1 }),
    fc.constant(['x']),
    fc.constantFrom("' OR 1=1 --", '"; DROP TABLE runs; --', '\u0000', '../../etc/passwd', '\ud800', '%00', '${jndi:ldap://x}', '<script>alert(1)</script>'),
  ];
  if (type !== 'number' && type !== 'integer') candidates.push(fc.constantFrom(-1, 1e308, 3.5, Number.MAX_SAFE_INTEGER + 2));
  if (type !== 'boolean') candidates.push(fc.boolean());
  if (type === 'string') {
    if (schema.maxLength !== undefined && schema.maxLength <= 5000) candidates.push(fc.constant('y'.repeat(schema.maxLength + 1)));
    if (schema.minLength) candidates.push(fc.constant(''), fc.constant('   '));
    if (schema.pattern || schema.enum) candidates.push(fc.string({ maxLength: 30 }));
  }
  if (type === 'integer' || type === 'number') {
    if (schema.minimum !== undefined) candidates.push(fc.constant(schema.minimum - 1));
    if (schema.maximum !== undefined) candidates.push(fc.constant(schema.maximum + 1));
    if (type === 'integer') candidates.push(fc.constant(1.5));
    candidates.push(fc.constant('12'), fc.constant('NaN'));
  }
  return fc.oneof(...candidates);
}

export type Mutated = { value: unknown; field?: string };

/**
 * A value that fits the schema except at one place, and the path of that place (dots), so a 400 can
 * be checked to name it. Mutations: wrong value at a property, a required property missing, an
 * unknown property where none are allowed, or the whole value wrong.
 */
export function mutated(schema: JsonSchema, path: string): fc.Arbitrary<Mutated> {
  let byPath = mutatedCache.get(schema);
  if (!byPath) {
    byPath = new Map();
    mutatedCache.set(schema, byPath);
  }
  let arbitrary = byPath.get(path);
  if (!arbitrary) {
    arbitrary = buildMutated(schema, path);
    byPath.set(path, arbitrary);
  }
  return arbitrary;
}

function buildMutated(schema: JsonSchema, path: string): fc.Arbitrary<Mutated> {
  const whole = wrongValue(schema).map((value) => ({ value, field: path }));
  const properties = schema.properties ?? {};
  const keys = Object.keys(properties);
  if ((schema.type !== 'object' && !Array.isArray(schema.type)) || keys.length === 0) return whole;
  const base = valid(schema) as fc.Arbitrary<Record<string, unknown>>;
  const options: fc.Arbitrary<Mutated>[] = [
    whole,
    fc.tuple(base, fc.constantFrom(...keys)).chain(([value, key]) => mutated(properties[key]!, `${path}.${key}`).map((inner) => ({
      value: { ...value, [key]: inner.value }, field: inner.field,
    }))),
  ];
  if (schema.additionalProperties === false) {
    options.push(base.map((value) => ({ value: { ...value, unexpectedField: 1 }, field: 'unexpectedField' })));
  }
  const required = (schema.required ?? []).filter((key) => key in properties);
  if (required.length > 0) {
    options.push(fc.tuple(base, fc.constantFrom(...required)).map(([value, key]) => {
      const copy = { ...value };
      delete copy[key];
      return { value: copy, field: `${path}.${key}` };
    }));
  }
  return fc.oneof(...options);
}
