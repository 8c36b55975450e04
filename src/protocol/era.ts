/**
 * Which era a request belongs to, and the per-request `_meta` of the stateless era (MCP 2026-07-28 basic/index,
 * "General fields"; basic/versioning, "Terminology").
 *
 * A dual-era server decides per request: a request whose `params._meta` names a protocol version, or whose HTTP
 * `MCP-Protocol-Version` header is not a session-era revision, is served statelessly; anything else follows the
 * session lifecycle (initialize, then a session). The test is meant for the hot path: a header compare, then two
 * property reads of the body.
 */
import { ErrorCode } from './error-codes.js';
import { isObject, type JsonObject } from './json-rpc.js';
import { MODERN_ERA_REVISIONS, isListed } from './versions.js';
import { WireError } from './wire-error.js';

/** `_meta` key of the request's protocol revision (required on every 2026-07-28 request). */
export const META_PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion';
/** `_meta` key of the client's capabilities (required; `{}` declares none). */
export const META_CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
/** `_meta` key of the client's self-reported identity (optional, never trusted). */
export const META_CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
/** `_meta` key of the minimum log level for this request (optional; absent means no `notifications/message`). */
export const META_LOG_LEVEL = 'io.modelcontextprotocol/logLevel';
/** `_meta` key of the server identity on every result. */
export const META_SERVER_INFO = 'io.modelcontextprotocol/serverInfo';
/** `_meta` key that tags every message of a `subscriptions/listen` stream with the listen request's id. */
export const META_SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';

const LOG_LEVELS: ReadonlySet<string> = new Set(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);

/** A wire error that also names the HTTP status of its answer (400 for `_meta` and header faults, 404 for methods). */
export class EraError extends WireError {
  readonly httpStatus: number;

  constructor(code: ErrorCode, message: string, httpStatus: number, data?: unknown) {
    super(code, message, data);
    this.name = 'EraError';
    this.httpStatus = httpStatus;
  }
}

/** What a stateless request says about itself in `_meta`. */
export interface RequestMeta {
  readonly revision: string;
  readonly clientCapabilities: JsonObject;
  readonly clientInfo: JsonObject | undefined;
  /** Unchecked until `checkLogLevel`, which runs after the version check. */
  readonly logLevel: unknown;
}

/**
 * True when a request belongs to the stateless era: its `MCP-Protocol-Version` header names a stateless-era
 * revision, or its `params._meta` carries a protocol version. A session-era header does not decide alone: a
 * request that carries the stateless era's `_meta` with it is a stateless request whose header disagrees, which
 * the stateless era refuses (400, -32020; streamable-http "Protocol Version Header"), where the session era would
 * have served it under the older rules. Without either mark the request stays with the session era.
 */
export function isModernMarked(value: unknown, headerVersion?: string | string[]): boolean {
  if (typeof headerVersion === 'string' && isListed(MODERN_ERA_REVISIONS, headerVersion)) return true;
  const params = (value as { params?: unknown } | null)?.params;
  const meta = isObject(params) ? params._meta : undefined;
  return isObject(meta) && META_PROTOCOL_VERSION in meta;
}

/** A -32602 fault in the request's `_meta` (HTTP 400). */
export function malformedMeta(message: string): EraError {
  return new EraError(ErrorCode.InvalidParams, message, 400);
}

/** A -32020 header fault (HTTP 400). */
export function headerMismatch(message: string): EraError {
  return new EraError(ErrorCode.HeaderMismatch, message, 400);
}

/** A -32022 refusal naming what is offered (HTTP 400). */
export function unsupportedProtocolVersion(requested: string, supported: readonly string[]): EraError {
  return new EraError(ErrorCode.UnsupportedProtocolVersion, 'Unsupported protocol version', 400, { supported: [...supported], requested });
}

/** A -32021 refusal; `capabilities` is a ClientCapabilities object such as `{ sampling: {} }` (HTTP 400). */
export function missingClientCapability(capabilities: JsonObject, message: string): EraError {
  return new EraError(ErrorCode.MissingRequiredClientCapability, message, 400, { requiredCapabilities: capabilities });
}

/** A -32601 for a method the stateless era does not define (HTTP 404). */
export function modernMethodNotFound(method: string): EraError {
  return new EraError(ErrorCode.MethodNotFound, `Method not found: ${method}`, 404);
}

/**
 * Reads and checks the required `_meta` fields. The version and log level are only read here; whether they are acceptable is the
 * caller's check, after the header comparison (the order conformance pins: -32602, then -32020, then -32022).
 * A malformed clientInfo is ignored rather than refused: it is self-reported and never relied on.
 */
export function parseRequestMeta(params: JsonObject | undefined): RequestMeta {
  const meta = params?._meta;
  if (!isObject(meta)) throw malformedMeta('params._meta is required and must carry io.modelcontextprotocol/protocolVersion and clientCapabilities');
  const revision = meta[META_PROTOCOL_VERSION];
  if (typeof revision !== 'string') throw malformedMeta(`params._meta["${META_PROTOCOL_VERSION}"] must be a string`);
  const caps = meta[META_CLIENT_CAPABILITIES];
  if (!isObject(caps)) throw malformedMeta(`params._meta["${META_CLIENT_CAPABILITIES}"] must be an object`);
  const info = meta[META_CLIENT_INFO];
  return { revision, clientCapabilities: caps, clientInfo: isObject(info) ? info : undefined, logLevel: meta[META_LOG_LEVEL] };
}

/** Checks the optional per-request log level (logging.mdx: an invalid one SHOULD be refused with -32602). */
export function checkLogLevel(level: unknown): string | undefined {
  if (level === undefined) return undefined;
  if (typeof level !== 'string' || !LOG_LEVELS.has(level)) {
    throw malformedMeta(`params._meta["${META_LOG_LEVEL}"] must be one of ${[...LOG_LEVELS].join(', ')}`);
  }
  return level;
}
