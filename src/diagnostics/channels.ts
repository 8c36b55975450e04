/**
 * The diagnostics channels erlmcp publishes on (`node:diagnostics_channel`), named `erlmcp:<area>:<event>` as
 * undici names its own, and the shapes of their messages.
 *
 * The core only publishes, and only when `hasSubscribers` is true, so a server with observability off pays one
 * property read per event (STYLE rule 7). Metrics (src/metrics), logs (src/logging) and traces (src/tracing)
 * subscribe; the protocol core never calls them.
 *
 * The channels are process-wide: a process serving two servers (two endpoints, a test suite) publishes both on
 * them. So every event names the server that published it (`origin`), and an observer built for one server
 * (`Subscriptions` with that origin) skips the other's events instead of counting them as its own.
 */
import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import type { JsonObject, RequestId } from '../protocol/json-rpc.js';
import type { JsonRpcErrorObject } from '../protocol/wire-error.js';

/**
 * The server an event came from: one frozen object per `McpServer`, made at its construction (never per request)
 * and compared by identity. A record made through the imported `userMetrics` has none: it belongs to the process,
 * and every observer takes it. A client's transport has `CLIENT_ORIGIN`: its connection is to another server.
 */
export interface EventOrigin {
  /** The server's `info.name`, for a reader of raw events. Two servers may share a name: compare origins, not names. */
  readonly name: string;
}

/** Makes the origin of one server's events. */
export function createOrigin(name: string): EventOrigin {
  return Object.freeze({ name });
}

/**
 * The origin of the events a client's transport publishes (the stdio framing it shares with the server). Left
 * undefined, a gateway's connection to its upstream child counted in its own server's
 * `erlmcp_transport_connections_*` and byte counters as a stdio client of that server; a process-wide observer
 * still takes it, as it takes every server's events.
 */
export const CLIENT_ORIGIN: EventOrigin = createOrigin('client');

/** What every event carries: the server that published it, undefined outside any server (see `EventOrigin`). */
export interface OriginatedEvent {
  origin: EventOrigin | undefined;
}

/**
 * One request, published on `requestStart` and then, the same object completed, on `requestEnd`: a subscriber
 * that keeps state per request (a trace span) can key it on the object. A request refused before it ran (unknown
 * method, sent before initialize) is published on `requestEnd` only, with `durationMs` 0.
 */
export interface RequestEvent extends OriginatedEvent {
  sessionId: string;
  method: string;
  id: RequestId;
  /** The request's params, untouched: `name` of a tools/call, `_meta` with `traceparent`. */
  params: JsonObject | undefined;
  /**
   * On `requestEnd`, the answer's error, if it is one: the error the client gets, since the end is published once
   * the answer is serialised (a result JSON cannot carry is published as the -32603 that replaced it).
   */
  error: JsonRpcErrorObject | undefined;
  /** On `requestEnd`, the handler's result, if it answered with one (a tools/call result carries `isError`). */
  result: JsonObject | undefined;
  /** On `requestEnd`, the time from dispatch to answer, its serialisation included. */
  durationMs: number;
}

/** A tool handler ran: `toolStart` before it, `toolEnd` (the same object, completed) after it. */
export interface ToolEvent extends OriginatedEvent {
  sessionId: string;
  tool: string;
  id: RequestId;
  /**
   * On `toolEnd`: `success`, or `error` (a result with `isError`, the handler threw, or the arguments failed the
   * input schema).
   */
  outcome: 'success' | 'error';
  /** On `toolEnd`, the handler's run time. */
  durationMs: number;
}

/** A transport connection opened or closed. `socket` is there for socket transports, so bytes can be read off it. */
export interface TransportConnectionEvent extends OriginatedEvent {
  transport: string;
  socket?: Socket;
}

/**
 * A transport refused a connection it had accepted: `max-connections` when it was beyond the bound of open
 * connections (answered 503 and closed). A refused connection is never published on connect or disconnect. A
 * transport publishes one frozen object, made at its construction, for each of its refusals: a storm of refusals
 * allocates no event.
 */
export interface TransportRefusalEvent extends OriginatedEvent {
  transport: string;
  reason: 'max-connections';
  /** The bound the connection was beyond (`tcp.maxConnections`), so a log line says which limit was met. */
  limit: number;
}

/** Bytes a stream transport read or wrote. Socket transports publish none: read `socket.bytesRead` instead. */
export interface TransportBytesEvent extends OriginatedEvent {
  transport: string;
  bytes: number;
}

/** A notification the server sent to a client. */
export interface NotificationEvent extends OriginatedEvent {
  method: string;
  sessionId: string | undefined;
}

/**
 * A session opened: `{ sessionId, transport }`. An HTTP session once its initialize is stored, a stream connection's
 * (stdio, memory: one session per connection) once its initialize succeeded.
 */
export interface SessionOpenEvent extends OriginatedEvent {
  sessionId: string;
  transport: string;
}

/** A session ended; a stream connection's session ends `closed`, with its connection or the server. */
export interface SessionCloseEvent extends OriginatedEvent {
  sessionId: string;
  reason: 'deleted' | 'expired' | 'closed';
}

/** An internal failure answered with -32603 or otherwise swallowed, with the request it happened in where known. */
export interface InternalErrorEvent extends OriginatedEvent {
  error: unknown;
  method?: string | undefined;
  sessionId?: string | undefined;
}

/** A request reached the dispatcher: a `RequestEvent`. */
export const requestStart = diagnostics.channel('erlmcp:request:start');
/** A request was answered: the `RequestEvent` of `requestStart`, with `error` and `durationMs`. */
export const requestEnd = diagnostics.channel('erlmcp:request:end');
/** A session opened: a `SessionOpenEvent`. */
export const sessionOpen = diagnostics.channel('erlmcp:session:open');
/** A session ended: a `SessionCloseEvent`. */
export const sessionClose = diagnostics.channel('erlmcp:session:close');
/** An internal failure that was answered with -32603 or otherwise swallowed: an `InternalErrorEvent`. */
export const internalError = diagnostics.channel('erlmcp:server:error');
/** A tool handler is about to run: a `ToolEvent`. */
export const toolStart = diagnostics.channel('erlmcp:tool:start');
/** A tool handler finished: the `ToolEvent` of `toolStart`, with `outcome` and `durationMs`. */
export const toolEnd = diagnostics.channel('erlmcp:tool:end');
/** A transport connection opened: a `TransportConnectionEvent`. */
export const transportConnect = diagnostics.channel('erlmcp:transport:connect');
/** A transport connection closed: a `TransportConnectionEvent` (the socket's byte counts are final). */
export const transportDisconnect = diagnostics.channel('erlmcp:transport:disconnect');
/** A transport refused a connection: a `TransportRefusalEvent`. */
export const transportRefuse = diagnostics.channel('erlmcp:transport:refuse');
/** A stream transport read bytes: a `TransportBytesEvent`. */
export const bytesIn = diagnostics.channel('erlmcp:transport:bytes-in');
/** A stream transport wrote bytes: a `TransportBytesEvent`. */
export const bytesOut = diagnostics.channel('erlmcp:transport:bytes-out');
/** The server sent a notification: a `NotificationEvent`. */
export const notificationSent = diagnostics.channel('erlmcp:notification:sent');
/** A handler recorded a metric of its own through `ctx.metrics`: a `UserMetricEvent` (user-metrics.ts). */
export const userMetric = diagnostics.channel('erlmcp:metrics:record');
