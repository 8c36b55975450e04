/**
 * Validates wire messages against the official MCP JSON Schema of one revision (`shared/spec/<revision>/schema.json`,
 * see DESIGN.md "Two protocol eras on one endpoint"), so a test can prove that what the server emits to a peer of
 * that revision is what that revision defines.
 *
 * The schema's dialect is read from its `$schema`: 2025-03-26 and 2025-06-18 are draft-07 (`definitions`), 2025-11-25
 * and later are 2020-12 (`$defs`), compiled with Ajv's matching class. A server message is checked twice: its
 * envelope against the JSON-RPC definition, and its payload against the specific definition, found the way the spec
 * itself pairs them: a result by the method of the request it answers (`FooRequest` -> `FooResult`, else
 * `EmptyResult`), a notification or a server-to-client request by its `method` const among the `ServerNotification`
 * or `ServerRequest` members. So nothing here lists the methods of one revision, and revision 2026-07-28 works
 * the same way (its extra alternatives, such as multi round-trip results, go in `resultDefinitions`).
 *
 * The official definitions are open (no `additionalProperties: false`), so a field a revision does not know (a
 * `title` sent to a 2025-03-26 peer) passes them. `closed: true` compiles a closed-world copy: every object
 * definition that lists `properties` and says nothing about others refuses unlisted ones. Places that hold
 * caller-defined data (JSON Schemas, arguments, `_meta`, structured content) stay open, and so do definitions used
 * as `allOf` parts, which a closed part would wrongly reject.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution (as in schema-compiler.ts).
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv | Ajv2020,
) => void;

/** A JSON object. */
type Json = Record<string, unknown>;

/** The spec directory: `$MCP_SPEC_DIR`, else `shared/spec` beside the repository (DESIGN.md). */
export const SPEC_DIR: string = process.env.MCP_SPEC_DIR ?? fileURLToPath(new URL('../../../shared/spec/', import.meta.url));

/** Options of a validator. */
export interface SpecValidatorOptions {
  /** Refuse properties a definition does not list (see the module comment). Default false. */
  closed?: boolean;
  /** Result definitions by request method, overriding the derived ones; several names mean any of them. */
  resultDefinitions?: Readonly<Record<string, string | readonly string[]>>;
}

/** One failed check: what was checked against which definition, and Ajv's errors. */
export interface SchemaIssue {
  definition: string;
  /** Where in the message the checked value sits (`message`, `message.result`, `message[2]`). */
  at: string;
  errors: string;
  value: unknown;
}

/** Properties whose values are caller-defined data or schemas, left open by `closed`. */
const OPEN_PROPERTIES: ReadonlySet<string> = new Set([
  '_meta', 'inputSchema', 'outputSchema', 'requestedSchema', 'structuredContent', 'arguments', 'experimental', 'metadata',
]);

/** Role names, first match wins, so revisions that renamed a definition are both covered. */
const RESULT_ENVELOPE = ['JSONRPCResultResponse', 'JSONRPCResponse'] as const;
const ERROR_ENVELOPE = ['JSONRPCErrorResponse', 'JSONRPCError'] as const;

const cache = new Map<string, SpecSchemaValidator>();

/** A compiled schema of one revision. */
export class SpecSchemaValidator {
  readonly revision: string;
  readonly closed: boolean;
  readonly #ajv: Ajv | Ajv2020;
  readonly #defs: Readonly<Record<string, Json>>;
  readonly #pointer: string;
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #notificationDefs: ReadonlyMap<string, string>;
  readonly #serverRequestDefs: ReadonlyMap<string, string>;
  readonly #clientRequestDefs: ReadonlyMap<string, string>;
  readonly #resultOverrides: Readonly<Record<string, string | readonly string[]>>;

  /** The validator of `revision`, compiled once per process and options. */
  static forRevision(revision: string, options: SpecValidatorOptions = {}): SpecSchemaValidator {
    const key = `${revision}|${options.closed === true}|${JSON.stringify(options.resultDefinitions ?? {})}`;
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = new SpecSchemaValidator(revision, options)));
    return hit;
  }

  constructor(revision: string, options: SpecValidatorOptions = {}) {
    this.revision = revision;
    this.closed = options.closed === true;
    this.#resultOverrides = options.resultDefinitions ?? {};
    const path = `${SPEC_DIR.replace(/\/?$/, '/')}${revision}/schema.json`;
    let schema: Json;
    try {
      schema = JSON.parse(readFileSync(path, 'utf8')) as Json;
    } catch (err) {
      throw new Error(`No MCP schema for revision ${revision} at ${path} (set MCP_SPEC_DIR): ${(err as Error).message}`);
    }
    const dialect = String(schema.$schema ?? '');
    const is2020 = dialect.includes('2020-12');
    const defsKey = is2020 ? '$defs' : 'definitions';
    this.#pointer = `#/${defsKey}/`;
    if (this.closed) schema = closeWorld(schema, defsKey, is2020);
    this.#defs = (schema[defsKey] ?? {}) as Record<string, Json>;
    this.#ajv = is2020 ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
    addFormats(this.#ajv);
    delete schema.$schema;
    this.#ajv.addSchema(schema, this.#schemaId);
    this.#notificationDefs = this.#membersByMethod('ServerNotification');
    this.#serverRequestDefs = this.#membersByMethod('ServerRequest');
    this.#clientRequestDefs = this.#membersByMethod('ClientRequest');
  }

  get #schemaId(): string {
    return `mcp-${this.revision}${this.closed ? '-closed' : ''}`;
  }

  /** True when the revision defines `definition`. */
  has(definition: string): boolean {
    return Object.hasOwn(this.#defs, definition);
  }

  /** Checks `value` against `definition`; undefined when valid, else the issue. */
  check(definition: string, value: unknown, at = 'value'): SchemaIssue | undefined {
    const validate = this.#validator(definition);
    if (validate(value)) return undefined;
    return { definition, at, errors: formatErrors(validate.errors), value };
  }

  /** The notification definition for `method` among ServerNotification's members, if this revision has one. */
  notificationDefinition(method: string): string | undefined {
    return this.#notificationDefs.get(method);
  }

  /** The server-to-client request definition for `method` among ServerRequest's members. */
  serverRequestDefinition(method: string): string | undefined {
    return this.#serverRequestDefs.get(method);
  }

  /** The result definitions a response to a `method` request may match (any one suffices). */
  resultDefinitions(method: string): readonly string[] {
    const override = this.#resultOverrides[method];
    if (override !== undefined) return typeof override === 'string' ? [override] : override;
    const request = this.#clientRequestDefs.get(method);
    const derived = request?.replace(/Request$/, 'Result');
    if (derived !== undefined && this.has(derived)) return [derived];
    return [this.has('EmptyResult') ? 'EmptyResult' : 'Result'];
  }

  /**
   * Checks one value the server sent: a message, or a batch answer (an array). `requestMethod` names the method of
   * the client request a response answers; without it a result is only checked against `ServerResult`.
   */
  checkServerValue(value: unknown, requestMethod: (id: unknown) => string | undefined): SchemaIssue[] {
    if (Array.isArray(value)) {
      const issues: SchemaIssue[] = [];
      if (this.has('JSONRPCBatchResponse')) pushIssue(issues, this.check('JSONRPCBatchResponse', value, 'batch'));
      else issues.push({ definition: '(none)', at: 'batch', errors: `revision ${this.revision} has no JSON-RPC batches`, value });
      value.forEach((item, i) => issues.push(...this.checkServerMessage(item, requestMethod, `batch[${i}]`)));
      return issues;
    }
    return this.checkServerMessage(value, requestMethod);
  }

  /** Checks one server message (not a batch). */
  checkServerMessage(message: unknown, requestMethod: (id: unknown) => string | undefined, at = 'message'): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    if (!isJson(message)) return [{ definition: 'JSONRPCMessage', at, errors: 'not a JSON object', value: message }];
    pushIssue(issues, this.check('JSONRPCMessage', message, at));
    if (typeof message.method === 'string') {
      const isRequest = 'id' in message;
      const member = isRequest ? this.serverRequestDefinition(message.method) : this.notificationDefinition(message.method);
      const union = isRequest ? 'ServerRequest' : 'ServerNotification';
      pushIssue(issues, this.check(isRequest ? 'JSONRPCRequest' : 'JSONRPCNotification', message, at));
      if (member === undefined) {
        issues.push({ definition: union, at, errors: `${message.method} is not a ${union} of revision ${this.revision}`, value: message });
      } else {
        pushIssue(issues, this.check(member, this.#payload(member, message), at));
      }
      return issues;
    }
    if ('error' in message) {
      pushIssue(issues, this.check(firstDefined(this, ERROR_ENVELOPE), message, at));
      return issues;
    }
    pushIssue(issues, this.check(firstDefined(this, RESULT_ENVELOPE), message, at));
    const method = requestMethod(message.id);
    const candidates = method === undefined ? ['ServerResult'] : this.resultDefinitions(method);
    const failures = candidates.map((def) => this.check(def, message.result, `${at}.result (${method ?? 'unknown request'})`));
    if (failures.every((f) => f !== undefined)) issues.push(...(failures as SchemaIssue[]));
    return issues;
  }

  /**
   * A request or notification definition of the draft-07 revisions lists only `method` and `params` (the envelope is
   * JSONRPCRequest's); a closed check must then not see `jsonrpc` and `id`.
   */
  #payload(definition: string, message: Json): Json {
    const props = this.#defs[definition]?.properties;
    if (isJson(props) && 'jsonrpc' in props) return message;
    const { jsonrpc: _j, id: _i, ...payload } = message;
    return payload;
  }

  #validator(definition: string): ValidateFunction {
    let validate = this.#validators.get(definition);
    if (validate) return validate;
    if (!this.has(definition)) throw new Error(`MCP schema ${this.revision} has no definition ${definition}`);
    validate = this.#ajv.getSchema(`${this.#schemaId}${this.#pointer}${definition}`);
    if (!validate) throw new Error(`MCP schema ${this.revision}: could not compile ${definition}`);
    this.#validators.set(definition, validate);
    return validate;
  }

  /** Maps each member of a union definition (ServerNotification, ...) by its `method` const. */
  #membersByMethod(union: string): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    const members = this.#defs[union]?.anyOf;
    if (!Array.isArray(members)) return out;
    for (const member of members) {
      const ref = isJson(member) && typeof member.$ref === 'string' ? member.$ref.slice(this.#pointer.length) : undefined;
      const def = ref === undefined ? undefined : this.#defs[ref];
      const method = isJson(def) && isJson(def.properties) && isJson(def.properties.method) ? def.properties.method.const : undefined;
      if (ref !== undefined && typeof method === 'string') out.set(method, ref);
    }
    return out;
  }
}

/** Formats issues for an assertion message: the definition, Ajv's errors and the offending value. */
export function formatIssues(revision: string, issues: readonly SchemaIssue[]): string {
  return issues
    .map((i) => `[${revision}] ${i.at} fails ${i.definition}: ${i.errors}\n  value: ${truncate(JSON.stringify(i.value), 1500)}`)
    .join('\n');
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'invalid';
  // anyOf failures repeat each branch's errors; keep them, but drop exact duplicates.
  const lines = new Set(errors.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${paramsText(e)}`));
  return [...lines].slice(0, 12).join('; ');
}

function paramsText(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return ` (${String(p.additionalProperty)})`;
  if (e.keyword === 'const' || e.keyword === 'enum') return ` (${JSON.stringify(p.allowedValue ?? p.allowedValues)})`;
  return '';
}

function pushIssue(issues: SchemaIssue[], issue: SchemaIssue | undefined): void {
  if (issue) issues.push(issue);
}

function firstDefined(validator: SpecSchemaValidator, names: readonly string[]): string {
  const name = names.find((n) => validator.has(n));
  if (name === undefined) throw new Error(`MCP schema ${validator.revision} defines none of ${names.join(', ')}`);
  return name;
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(text: string | undefined, max: number): string {
  if (text === undefined) return 'undefined';
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** A deep copy of `schema` in which object definitions refuse properties they do not list. */
function closeWorld(schema: Json, defsKey: string, is2020: boolean): Json {
  const copy = structuredClone(schema);
  const defs = (copy[defsKey] ?? {}) as Record<string, Json>;
  const refPrefix = `#/${defsKey}/`;
  const allOfParts = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(collect);
    if (!isJson(node)) return;
    if (Array.isArray(node.allOf)) {
      for (const part of node.allOf) if (isJson(part) && typeof part.$ref === 'string') allOfParts.add(part.$ref.slice(refPrefix.length));
    }
    for (const v of Object.values(node)) collect(v);
  };
  collect(defs);
  const close = (node: unknown): void => {
    if (!isJson(node)) return;
    if (isJson(node.properties)) {
      for (const [name, sub] of Object.entries(node.properties)) if (!OPEN_PROPERTIES.has(name)) close(sub);
      const open = 'additionalProperties' in node || 'unevaluatedProperties' in node || 'patternProperties' in node;
      if (!open) node[is2020 ? 'unevaluatedProperties' : 'additionalProperties'] = false;
    }
    if (isJson(node.items)) close(node.items);
    if (isJson(node.additionalProperties)) close(node.additionalProperties);
    for (const key of ['anyOf', 'oneOf']) {
      const list = node[key];
      if (Array.isArray(list)) list.forEach(close);
    }
  };
  // 2026-07-28 names the shapes of `_meta` (MetaObject, ResultMetaObject, ...): open by the spec, like `_meta` above.
  for (const [name, def] of Object.entries(defs)) if (!allOfParts.has(name) && !name.endsWith('MetaObject')) close(def);
  return copy;
}

/**
 * The messages one client connection exchanged, recorded at the client's transport: what the client sent (to know
 * which method each response answers) and every value the server emitted, checked afterwards in one go.
 */
export class EmittedMessageLog {
  readonly #methods = new Map<unknown, string>();
  readonly #emitted: unknown[] = [];
  readonly #sent: unknown[] = [];

  /** Every value the server emitted, in arrival order. */
  get emitted(): readonly unknown[] {
    return this.#emitted;
  }

  /** Every value the client sent, in order. */
  get sent(): readonly unknown[] {
    return this.#sent;
  }

  /** Records a value the client sent (a message or a batch). */
  clientSent(value: unknown): void {
    this.#sent.push(structuredClone(value));
    for (const m of Array.isArray(value) ? value : [value]) {
      if (isJson(m) && typeof m.method === 'string' && (typeof m.id === 'string' || typeof m.id === 'number')) this.#methods.set(m.id, m.method);
    }
  }

  /** Records a value the server emitted. */
  serverSent(value: unknown): void {
    this.#emitted.push(structuredClone(value));
  }

  /** The method of the client request with this id. */
  methodOf(id: unknown): string | undefined {
    return this.#methods.get(id);
  }

  /** Checks every emitted value against `validator`'s revision. */
  issues(validator: SpecSchemaValidator): SchemaIssue[] {
    return this.#emitted.flatMap((value) => validator.checkServerValue(value, (id) => this.methodOf(id)));
  }

  /** Throws when any emitted value fails, naming each failure with Ajv's errors and the message. */
  assertValid(validator: SpecSchemaValidator): void {
    const issues = this.issues(validator);
    if (issues.length > 0) {
      throw new Error(`${issues.length} emitted message(s) fail the MCP ${validator.revision} schema${validator.closed ? ' (closed world)' : ''}:\n${formatIssues(validator.revision, issues)}`);
    }
  }
}
