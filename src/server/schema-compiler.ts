/**
 * Compiles the JSON Schemas of tools once, at registration, and formats validation failures.
 *
 * MCP 2025-11-25 makes JSON Schema 2020-12 the default dialect for tool schemas, so one Ajv 2020 instance compiles
 * them all. `strict: false` because authors' schemas legitimately carry annotations Ajv does not know. A zod
 * schema is converted with zod's own `toJSONSchema`, loaded only when a zod schema is actually registered.
 */
import { createRequire } from 'node:module';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ErlmcpError } from '../errors.js';
import type { JsonObject } from '../protocol/json-rpc.js';
import { isObject } from '../protocol/json-rpc.js';
import type { SchemaInput } from './types.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;

/**
 * Schemas one Ajv instance compiles before a fresh one takes over. Ajv keeps every schema it compiled, and the
 * generated code, for the life of the instance (ajv-validator/ajv#1413; `removeSchema` frees neither): with one
 * instance for the process, a server that adds and removes tools (per user, per session) kept some kilobytes per
 * registration for ever. An instance that no longer compiles is collected once the tools compiled on it are gone;
 * a new one costs about 20 ms (its meta-schema), which this spreads over many registrations.
 */
export const COMPILES_PER_INSTANCE = 128;

let ajv = newAjv();
let compiled = 0;

function newAjv(): Ajv2020 {
  const instance = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(instance);
  return instance;
}

const require = createRequire(import.meta.url);

/** A compiled validator and the JSON Schema it came from. */
export interface CompiledSchema {
  readonly jsonSchema: JsonObject;
  readonly validate: ValidateFunction;
}

/** True for a zod (v4) schema. */
function isZod(schema: SchemaInput): schema is { readonly _zod: unknown } {
  return '_zod' in schema;
}

/** Turns a schema input into plain JSON Schema, converting zod once. */
export function toJsonSchema(schema: SchemaInput, path: string): JsonObject {
  if (isZod(schema)) {
    const zod = require('zod') as { toJSONSchema: (s: unknown, o?: unknown) => JsonObject };
    const json = zod.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
    delete json.$schema;
    return json;
  }
  if (!isObject(schema)) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${path} must be a JSON Schema object or a zod schema`);
  }
  return schema;
}

/** Compiles a tool schema, which MCP requires to describe an object. */
export function compileObjectSchema(schema: SchemaInput, path: string): CompiledSchema {
  const jsonSchema = toJsonSchema(schema, path);
  if (jsonSchema.type !== 'object') {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${path} must have "type": "object" (MCP tool schemas describe an object)`);
  }
  if (compiled++ >= COMPILES_PER_INSTANCE) {
    ajv = newAjv();
    compiled = 1;
  }
  try {
    // Ajv registers a schema under its `$id`, and refuses a second one: a tool removed and registered again, or two
    // tools sharing a schema document, would fail. The validators already compiled keep working without the entry.
    const id = jsonSchema.$id;
    if (typeof id === 'string' && ajv.getSchema(id) !== undefined) ajv.removeSchema(id);
    return { jsonSchema, validate: ajv.compile(jsonSchema) };
  } catch (err) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${path} is not a valid JSON Schema: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Describes the first validation failure so that a model can correct itself: the failing path, and what was
 * expected there. `root` names the validated value ("arguments").
 */
export function describeErrors(root: string, errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return `${root} is invalid`;
  let path = root + first.instancePath.replaceAll('/', '.');
  if (first.keyword === 'required') {
    path += `.${String((first.params as { missingProperty: string }).missingProperty)}`;
    return `Invalid ${root}: ${path} is required`;
  }
  if (first.keyword === 'additionalProperties') {
    const extra = String((first.params as { additionalProperty: string }).additionalProperty);
    return `Invalid ${root}: ${path}.${extra} is not allowed (no such property)`;
  }
  return `Invalid ${root}: ${path} ${first.message ?? 'is invalid'}`;
}
