/**
 * The checks of `McpServer`'s options and of registrations' cache hints: each refuses a bad value with
 * `ERLMCP_ERR_INVALID_ARGUMENT` and a message naming its option path and what was expected (style rule 5). The
 * server runs them once, in its constructor, and trusts what they return.
 */
import { ErlmcpError } from '../errors.js';
import type { McpServerOptions } from './mcp-server.js';
import type { CacheHint } from './types.js';

/** `value`, an integer from 1 to `max` named `options.<path>`; `fallback` when undefined. */
export function positiveInt(value: unknown, path: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from 1 to ${max}`;
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `options.${path} must be ${range}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A cache hint with its defaults filled in; `path` names it in messages. */
export function cacheOption(hint: CacheHint | undefined, path = 'options.cache'): Required<CacheHint> {
  const ttlMs = hint?.ttlMs ?? 0;
  const scope = hint?.scope ?? 'public';
  if (!Number.isInteger(ttlMs) || ttlMs < 0) throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${path}.ttlMs must be a non-negative integer, got ${JSON.stringify(ttlMs)}`);
  if (scope !== 'public' && scope !== 'private') throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${path}.scope must be public or private, got ${JSON.stringify(scope)}`);
  return { ttlMs, scope };
}

/**
 * Checks a registration's cache hint before its entry is added: checked after, a refused hint left the entry
 * registered (and announced by list_changed), and registering it again with a valid hint failed as a duplicate.
 */
export function checkHint(kind: string, name: string, hint: CacheHint | undefined): void {
  if (hint !== undefined) cacheOption(hint, `${kind} ${name}: cache`);
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The types of the options no range check covers. A JavaScript caller can pass anything: `instructions: 12` went
 * out in every initialize result (the schema's `instructions` is a string), and `serverInfoInResults: 'no'` meant
 * true.
 */
export function checkShapes(options: McpServerOptions): void {
  const o = options as unknown as Record<string, unknown>;
  const bad = (path: string, expected: string, value: unknown): ErlmcpError =>
    new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `options.${path} must be ${expected}, got ${JSON.stringify(value)}`);
  if (o.instructions !== undefined && typeof o.instructions !== 'string') throw bad('instructions', 'a string', o.instructions);
  if (o.serverInfoInResults !== undefined && typeof o.serverInfoInResults !== 'boolean') throw bad('serverInfoInResults', 'true or false', o.serverInfoInResults);
  if (o.cache !== undefined && !isPlainObject(o.cache)) throw bad('cache', 'an object { ttlMs, scope }', o.cache);
  if (o.mrtr !== undefined && !isPlainObject(o.mrtr)) throw bad('mrtr', 'an object', o.mrtr);
}

/** `options.mrtr.secret` as bytes, at least 32 of them; undefined when not given. */
export function secretOption(secret: string | Buffer | undefined): Buffer | undefined {
  if (secret === undefined) return undefined;
  const bytes = typeof secret === 'string' ? Buffer.from(secret) : secret;
  if (!Buffer.isBuffer(bytes) || bytes.length < 32) throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', 'options.mrtr.secret must be at least 32 bytes');
  return bytes;
}
