/**
 * Compiles the JSON Schemas of tools once, at registration, and formats validation failures.
 *
 * MCP 2025-11-25 makes JSON Schema 2020-12 the default dialect for tool schemas, so one Ajv 2020 instance compiles
 * them all; a schema that names draft-07 or 2019-09 in `$schema` (basic, "JSON Schema Usage": schemas MAY name
 * another dialect) is compiled by an Ajv of that dialect, made when first needed. `strict: false` because authors'
 * schemas legitimately carry annotations Ajv does not know. A zod schema is converted with zod's own
 * `toJSONSchema`, loaded only when a zod schema is actually registered: an inputSchema as zod's input type, an
 * outputSchema as its output type. A zod inputSchema is validated with Ajv's `useDefaults`, on instances of its own,
 * so its `.default()` values reach the handler as they would through zod; a plain JSON Schema's `default` stays an
 * annotation, and its validators are compiled as before.
 */
import { createRequire } from 'node:module';
import type { Ajv as AjvDraft07 } from 'ajv';
import type { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ErlmcpError } from '../errors.js';
import type { JsonObject } from '../protocol/json-rpc.js';
import { isObject } from '../protocol/json-rpc.js';
import type { SchemaInput } from './types.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: AjvDraft07 | Ajv2019 | Ajv2020,
) => void;

/**
 * Schemas one Ajv instance compiles before a fresh one takes over. Ajv keeps every schema it compiled, and the
 * generated code, for the life of the instance (ajv-validator/ajv#1413; `removeSchema` frees neither): with one
 * instance for the process, a server that adds and removes tools (per user, per session) kept some kilobytes per
 * registration for ever. An instance that no longer compiles is collected once the tools compiled on it are gone;
 * a new one costs about 20 ms (its meta-schema), which this spreads over many registrations.
 */
export const COMPILES_PER_INSTANCE = 128;

/** The dialects tool schemas may name in `$schema`. */
type Dialect = '2020-12' | '2019-09' | 'draft-07';

/**
 * A new Ajv of `dialect`. The older dialects' classes are loaded on first use: most servers never name one, and
 * every module a server loads makes its process a little dearer per request (docs/performance.md, "Importing
 * erlmcp makes even the ceiling dearer").
 */
function ajvClass(dialect: Dialect): new (options: { strict: boolean; allErrors: boolean; validateFormats: boolean; useDefaults: boolean }) => AjvDraft07 | Ajv2019 | Ajv2020 {
  if (dialect === '2020-12') return Ajv2020;
  if (dialect === '2019-09') return (require('ajv/dist/2019.js') as { Ajv2019: typeof Ajv2019 }).Ajv2019;
  return (require('ajv') as { Ajv: typeof AjvDraft07 }).Ajv;
}

/**
 * The current instance of each dialect in use, and how many schemas it compiled; `defaults` instances compile the
 * input schemas converted from zod (see `compileObjectSchema`).
 */
const instances = new Map<Dialect, { ajv: AjvDraft07 | Ajv2019 | Ajv2020; compiled: number }>();
const defaultsInstances = new Map<Dialect, { ajv: AjvDraft07 | Ajv2019 | Ajv2020; compiled: number }>();

function newAjv(dialect: Dialect, useDefaults: boolean): AjvDraft07 | Ajv2019 | Ajv2020 {
  const Class = ajvClass(dialect);
  const instance = new Class({ strict: false, allErrors: false, validateFormats: true, useDefaults });
  addFormats(instance);
  return instance;
}

/**
 * The dialect a `$schema` names, read without its scheme and trailing `#` (both spellings are seen in the wild);
 * 2020-12 when there is none. An unknown one is refused here, naming the ones supported: Ajv's own error ("no schema
 * with key or ref") did not say that the dialect was the problem.
 */
function dialectOf(schema: JsonObject, path: string): Dialect {
  const uri = schema.$schema;
  if (uri === undefined) return '2020-12';
  const id = typeof uri === 'string' ? uri.replace(/^https?:\/\//, '').replace(/#$/, '') : '';
  if (id === 'json-schema.org/draft/2020-12/schema') return '2020-12';
  if (id === 'json-schema.org/draft/2019-09/schema') return '2019-09';
  if (id === 'json-schema.org/draft-07/schema') return 'draft-07';
  throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${path} names the JSON Schema dialect ${JSON.stringify(uri)}, which is not supported; use 2020-12 (the default), 2019-09 or draft-07`);
}

/** The instance that compiles the next schema of `dialect`: a fresh one every `COMPILES_PER_INSTANCE` schemas. */
function ajvFor(dialect: Dialect, useDefaults: boolean): AjvDraft07 | Ajv2019 | Ajv2020 {
  const pool = useDefaults ? defaultsInstances : instances;
  let current = pool.get(dialect);
  if (current === undefined || current.compiled >= COMPILES_PER_INSTANCE) {
    current = { ajv: newAjv(dialect, useDefaults), compiled: 0 };
    pool.set(dialect, current);
  }
  current.compiled++;
  return current.ajv;
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

/**
 * Which side of a zod schema the JSON Schema describes: what the tool accepts (`input`, an inputSchema) or what it
 * produces (`output`, an outputSchema, which describes structuredContent as the client receives it). The two differ
 * where zod changes a value: a `.default()` field is optional going in and always present coming out, a pipe takes
 * its first schema's type and yields its last one's, and a plain `z.object` strips unknown keys from its output.
 */
export type SchemaSide = 'input' | 'output';

/**
 * Turns a schema input into plain JSON Schema, converting zod once. What zod cannot state in JSON Schema (a
 * transform's output, a Date) is refused here, naming the tool, rather than advertised as something it is not.
 */
export function toJsonSchema(schema: SchemaInput, path: string, side: SchemaSide = 'input'): JsonObject {
  if (isZod(schema)) {
    const zod = require('zod') as { toJSONSchema: (s: unknown, o?: unknown) => JsonObject };
    let json: JsonObject;
    try {
      json = zod.toJSONSchema(schema, { target: 'draft-2020-12', io: side });
    } catch (err) {
      throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${path} cannot be stated as JSON Schema: ${(err as Error).message}`, { cause: err });
    }
    delete json.$schema;
    return json;
  }
  if (!isObject(schema)) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${path} must be a JSON Schema object or a zod schema`);
  }
  return schema;
}

/**
 * Compiles a tool's input schema, which MCP requires to describe an object (tool arguments are one). One converted
 * from zod fills in its `.default()` values as it validates (Ajv `useDefaults`): a handler typed by the schema's
 * `z.output` is promised them, and zod itself never runs. The validator writes into the arguments it checks, which
 * are each request's own, parsed from the wire (or cloned, in memory); Ajv inlines each default as a literal, so a
 * default array or object is a new one per call. Ajv generates the same code as before where no `default` appears.
 */
export function compileObjectSchema(schema: SchemaInput, path: string): CompiledSchema {
  const jsonSchema = toJsonSchema(schema, path, 'input');
  if (jsonSchema.type !== 'object') {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${path} must have "type": "object" (MCP tool schemas describe an object)`);
  }
  return compileJsonSchema(jsonSchema, path, isZod(schema));
}

/**
 * Compiles a tool's output schema (a zod one as its output type), of any root type: 2026-07-28 lets it be "any
 * valid JSON Schema 2020-12" (schema.json Tool.outputSchema; older revisions' listings leave out one that is not
 * `type: "object"`).
 */
export function compileAnySchema(schema: SchemaInput, path: string): CompiledSchema {
  return compileJsonSchema(toJsonSchema(schema, path, 'output'), path);
}

function compileJsonSchema(jsonSchema: JsonObject, path: string, useDefaults = false): CompiledSchema {
  const dialect = dialectOf(jsonSchema, path);
  const ajv = ajvFor(dialect, useDefaults);
  try {
    // Ajv registers a schema under its `$id`, and refuses a second one: a tool removed and registered again, or two
    // tools sharing a schema document, would fail. The validators already compiled keep working without the entry.
    const id = jsonSchema.$id;
    if (typeof id === 'string' && ajv.getSchema(id) !== undefined) ajv.removeSchema(id);
    // Compiled without `$schema`, so the instance's own dialect applies whichever spelling named it (Ajv knows only
    // its canonical one); the listed schema keeps it.
    return { jsonSchema, validate: ajv.compile(jsonSchema.$schema === undefined ? jsonSchema : withoutDialect(jsonSchema)) };
  } catch (err) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${path} is not a valid JSON Schema: ${(err as Error).message}`, { cause: err });
  }
}

function withoutDialect(schema: JsonObject): JsonObject {
  const { $schema: _named, ...rest } = schema;
  return rest;
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
