/**
 * The checks of `McpServer`'s options and of registrations' cache hints: each refuses a bad value with
 * `ERLMCP_ERR_INVALID_ARGUMENT` and a message naming its option path and what was expected (style rule 5). The
 * server runs them once, in its constructor, and trusts what they return.
 */
import { CONFIG_SCHEMA, type IntegerSpec } from '../config/config-schema.js';
import { checkValue } from '../config/validate-config.js';
import { ErlmcpError } from '../errors.js';
import type { McpServerOptions } from './mcp-server.js';
import type { CacheHint } from './types.js';

const SERVER_KEYS = CONFIG_SCHEMA.keys.server.keys;
const SESSION_KEYS = CONFIG_SCHEMA.keys.sessions.keys;
const LIMIT_KEYS = CONFIG_SCHEMA.keys.limits.keys;

/**
 * Each integer option and the config key it is set from (cli/build-server.ts), whose rule it shares: the API and
 * the config file refuse the same values, in the same words. Kept apart, the API had no upper bound where the
 * config had one (a `sessionIdleTtlMs` over 2^31-1 ms, a timer node fires at once).
 */
export const INTEGER_OPTIONS = Object.freeze({
  pageSize: SERVER_KEYS.pageSize,
  clientRequestTimeoutMs: SERVER_KEYS.clientRequestTimeoutMs,
  sessionIdleTtlMs: SESSION_KEYS.idleTtlMs,
  maxEventsPerStream: SESSION_KEYS.maxEventsPerStream,
  maxSessions: SESSION_KEYS.maxSessions,
  maxListenUris: LIMIT_KEYS.maxListenUris,
  'mrtr.stateTtlMs': SERVER_KEYS.mrtrStateTtlMs,
  'mrtr.maxStateBytes': SERVER_KEYS.mrtrMaxStateBytes,
  'mrtr.maxRounds': SERVER_KEYS.mrtrMaxRounds,
} satisfies Record<string, IntegerSpec>);

/** `options.<path>` checked by its config key's rule; `fallback` when undefined. */
export function integerOption(value: unknown, path: keyof typeof INTEGER_OPTIONS, fallback: number): number {
  if (value === undefined) return fallback;
  const problems = checkValue(value, INTEGER_OPTIONS[path], `options.${path}`);
  if (problems.length > 0) throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', problems.join('; '));
  return value as number;
}

/** A cache hint with its defaults filled in; `path` names it in messages. */
export function cacheOption(hint: CacheHint | undefined, path = 'options.cache'): Required<CacheHint> {
  const ttlMs = hint?.ttlMs ?? 0;
  const scope = hint?.scope ?? 'public';
  // The rule of server.cacheTtlMs, which sets the default hint: a registration's own hint keeps to it too.
  const problems = checkValue(ttlMs, SERVER_KEYS.cacheTtlMs, `${path}.ttlMs`);
  if (problems.length > 0) throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', problems.join('; '));
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
