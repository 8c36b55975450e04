/**
 * Lifecycle and utility methods: initialize, ping, logging/setLevel, and the client's notifications
 * (initialized, cancelled, roots/list_changed).
 */
import type { JsonObject } from '../../protocol/json-rpc.js';
import { isObject } from '../../protocol/json-rpc.js';
import { negotiateRevision } from '../../protocol/versions.js';
import { WireError, invalidParams } from '../../protocol/wire-error.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { unsupportedProtocolVersion } from '../../protocol/era.js';
import type { McpServer } from '../mcp-server.js';
import type { HandlerContext } from '../handler-context.js';
import { isLogLevel } from '../server-session.js';

const EMPTY: JsonObject = Object.freeze({}) as JsonObject;

/** initialize: negotiates the revision and records the client. The transport owns session creation. */
export function initialize(server: McpServer, params: JsonObject, ctx: HandlerContext): JsonObject {
  const { protocolVersion, capabilities, clientInfo } = params;
  if (typeof protocolVersion !== 'string') throw invalidParams('initialize: params.protocolVersion must be a string');
  if (!isObject(capabilities)) throw invalidParams('initialize: params.capabilities must be an object');
  if (!isObject(clientInfo) || typeof clientInfo.name !== 'string' || typeof clientInfo.version !== 'string') {
    throw invalidParams('initialize: params.clientInfo must be an object with string name and version');
  }
  // A server configured for the stateless era alone names what it speaks (2026-07-28 basic/versioning).
  if (server.offeredRevisions.length === 0) throw unsupportedProtocolVersion(protocolVersion, server.modern?.options.supported ?? []);
  const session = ctx.session;
  // basic/lifecycle: initialization is the first interaction, once. A second initialize on a live stream session
  // renegotiated its revision mid-session and dropped its resource subscriptions from the record, while the
  // server's subscriber map kept them (updates went on arriving, and the entries leaked when the session ended).
  if (session.record !== undefined && !session.stateless) {
    throw new WireError(ErrorCode.InvalidRequest, 'initialize: this session is already initialized; open a new connection to start another');
  }
  const revision = negotiateRevision(protocolVersion, server.offeredRevisions);
  const now = Date.now();
  session.revision = revision;
  session.record = {
    id: session.id,
    protocolVersion: revision,
    clientCapabilities: capabilities,
    clientInfo,
    logLevel: undefined,
    subscriptions: [],
    createdAtMs: now,
    lastSeenAtMs: now,
  };
  // A stream connection's session starts here; an HTTP one when the transport commits it to the store.
  server.sessions.initialized(session);
  return server.initializeResult(revision, session.stateless);
}

/** ping: an empty result (basic/utilities/ping). */
export function ping(): JsonObject {
  return EMPTY;
}

/**
 * logging/setLevel: the minimum level of `notifications/message` for this session. A stateless server has no
 * session to keep it on (its requests share one stand-in record, so setting it there would set it for every
 * client): the call succeeds and changes nothing, as on the official SDK's stateless servers.
 */
export async function setLogLevel(server: McpServer, params: JsonObject, ctx: HandlerContext): Promise<JsonObject> {
  if (!isLogLevel(params.level)) {
    throw invalidParams('logging/setLevel: params.level must be one of debug, info, notice, warning, error, critical, alert, emergency');
  }
  const record = ctx.session.record;
  if (record && !ctx.session.stateless) {
    record.logLevel = params.level;
    await server.sessions.save(ctx.session);
  }
  return EMPTY;
}

/** notifications/cancelled: aborts the named request's handler, when it runs here. */
export function cancelled(_server: McpServer, params: JsonObject, ctx: HandlerContext): void {
  const id = params.requestId;
  if (typeof id !== 'string' && typeof id !== 'number') return;
  const target = ctx.session.inFlight.get(id);
  target?.abort(new Error(typeof params.reason === 'string' ? `Cancelled: ${params.reason}` : 'Cancelled by the client'));
}

/** Notifications the server accepts and needs no action for. */
export function ignore(): void {}
