/**
 * The `x-mcp-header` annotations of a tool's input schema (MCP 2026-07-28 basic/transports/streamable-http,
 * "Custom headers"): each names an argument that a client mirrors into an `Mcp-Param-{Name}` header so proxies
 * can route on it. They are read and checked once, when the tool is registered: conforming clients drop a tool
 * whose annotations are invalid, so a bad one is a registration error here rather than a tool that silently
 * disappears. The transport compares the headers against the arguments with the list computed here.
 */
import { ErlmcpError } from '../errors.js';
import { isObject } from '../protocol/json-rpc.js';
import type { ToolEntry } from './tool-entry.js';

/** One `x-mcp-header` annotation. */
export interface HeaderParam {
  /** The lower-cased header name, `mcp-param-<name>`. */
  readonly header: string;
  /** The property path from the arguments' root. */
  readonly path: readonly string[];
  readonly type: 'string' | 'integer' | 'boolean';
}

// RFC 9110 section 5.6.2 token characters.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const byTool = new WeakMap<ToolEntry, readonly HeaderParam[]>();

/**
 * The annotations of `tool`, computed and validated on first use (registration). An annotation must be a
 * non-empty token, unique case-insensitively, on a string, integer or boolean property (nullable or not) reached
 * from the root through `properties` alone; anything else throws `ERLMCP_ERR_INVALID_ARGUMENT`.
 */
export function headerParamsOf(tool: ToolEntry): readonly HeaderParam[] {
  let params = byTool.get(tool);
  if (params === undefined) {
    const out: HeaderParam[] = [];
    const schema = tool.descriptor['2025-11-25']?.inputSchema;
    misplaced(tool.name, schema, '', false);
    collect(tool.name, schema, [], out);
    byTool.set(tool, (params = Object.freeze(out)));
  }
  return params;
}

function collect(tool: string, schema: unknown, path: string[], out: HeaderParam[]): void {
  if (!isObject(schema) || !isObject(schema.properties)) return;
  for (const [key, prop] of Object.entries(schema.properties)) {
    if (!isObject(prop)) continue;
    const name = prop['x-mcp-header'];
    const where = [...path, key];
    if (name !== undefined) {
      const at = `tool ${tool}: inputSchema property ${where.join('.')}`;
      if (typeof name !== 'string' || !TOKEN.test(name)) throw invalid(`${at}: x-mcp-header must be a non-empty header-name token, got ${JSON.stringify(name)}`);
      const type = primitiveOf(prop.type);
      if (type === undefined) throw invalid(`${at}: x-mcp-header is allowed on string, integer or boolean properties only (nullable or not), not ${JSON.stringify(prop.type)}`);
      const header = `mcp-param-${name.toLowerCase()}`;
      if (out.some((p) => p.header === header)) throw invalid(`${at}: x-mcp-header ${name} is used twice (names are case-insensitive)`);
      out.push({ header, path: where, type });
    }
    collect(tool, prop, where, out);
  }
}

const PRIMITIVES: ReadonlySet<unknown> = new Set(['string', 'integer', 'boolean']);

/**
 * The one primitive type a property's `type` names, alone or beside `"null"` (`["string", "null"]`): the spec
 * allows "parameters with primitive types (integer, string, boolean)" and says what a null value means ("Client MUST
 * omit the header"; streamable-http, "Server Behavior for Custom Headers"). Undefined for anything else: `number`,
 * `null` alone, no `type`, or two primitives, whose header text could not be compared as one type.
 */
function primitiveOf(type: unknown): HeaderParam['type'] | undefined {
  if (PRIMITIVES.has(type)) return type as HeaderParam['type'];
  if (!Array.isArray(type) || type.length === 0 || type.length > 2) return undefined;
  const named = type.filter((t) => t !== 'null');
  // One primitive, with at most one "null" beside it (["null", "null"] names none).
  return named.length === 1 && PRIMITIVES.has(named[0]) ? (named[0] as HeaderParam['type']) : undefined;
}

/** Keywords whose values are data, not schemas: an `x-mcp-header` key inside one is just data. */
const DATA_KEYWORDS: ReadonlySet<string> = new Set(['enum', 'const', 'default', 'examples']);

/**
 * Throws for an `x-mcp-header` anywhere but on a property reached from the root through `properties` keys alone:
 * the root itself, or under `items`, `anyOf`/`oneOf`/`allOf`/`not`, `if`/`then`/`else`, `$defs`, and so on
 * ("statically reachable"; such an annotation makes the tool definition invalid, and clients drop the tool).
 * `reachableProperty` is true for a property schema whose whole path from the root is `properties` steps.
 */
function misplaced(tool: string, node: unknown, pointer: string, reachableProperty: boolean): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => misplaced(tool, item, `${pointer}/${i}`, false));
    return;
  }
  if (!isObject(node)) return;
  if (!reachableProperty && 'x-mcp-header' in node) {
    throw invalid(`tool ${tool}: inputSchema${pointer === '' ? ' root' : ` at ${pointer}`} has an x-mcp-header, which is allowed only on a property reached from the root through properties alone (no items, anyOf, oneOf, allOf, not, if/then/else or $ref on the way)`);
  }
  for (const [key, value] of Object.entries(node)) {
    if (DATA_KEYWORDS.has(key)) continue;
    if (key === 'properties' && isObject(value)) {
      const chain = reachableProperty || pointer === '';
      for (const [name, prop] of Object.entries(value)) misplaced(tool, prop, `${pointer}/properties/${name}`, chain);
    } else {
      misplaced(tool, value, `${pointer}/${key}`, false);
    }
  }
}

function invalid(message: string): ErlmcpError {
  return new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', message);
}
