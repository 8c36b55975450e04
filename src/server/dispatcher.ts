/**
 * Routes JSON-RPC messages to method handlers: the method table, the in-flight bookkeeping that cancellation
 * needs, and the mapping of failures to wire errors (a `WireError` keeps its code; anything else is -32603 with a
 * generic message, never a stack trace).
 *
 * Transports call `dispatchRequest` (Streamable HTTP, per POST) or `dispatchValue` (stream transports, per
 * message). Both are era-neutral: the era's lifecycle lives in the method handlers. Both give the answer's wire
 * text, serialised here before the request's end is published (answer-text.ts), so `erlmcp:request:end` carries
 * the answer the client gets.
 */
import {
  requestEnd, requestStart, internalError, type EventOrigin, type InternalErrorEvent, type RequestEvent,
} from '../diagnostics/channels.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  MessageKind, classify, errorResponse, errorResponseOf, readableId, resultResponse, stringifyMessage,
  type JsonObject, type JsonRpcErrorResponse, type JsonRpcMessage, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse,
} from '../protocol/json-rpc.js';
import { featuresOf } from '../protocol/versions.js';
import { PeerRequestError, WireError } from '../protocol/wire-error.js';
import { answerText, unserializableAnswer } from './answer-text.js';
import { HandlerContext } from './handler-context.js';
import type { McpServer } from './mcp-server.js';
import type { MethodHandler, NotificationHandler } from './methods/method-table.js';
import * as lifecycle from './methods/lifecycle-methods.js';
import * as prompts from './methods/prompt-methods.js';
import * as resources from './methods/resource-methods.js';
import * as tools from './methods/tool-methods.js';
import type { Outlet, ServerSession } from './server-session.js';

const EMPTY_PARAMS: JsonObject = Object.freeze({}) as JsonObject;

/** The request methods of the session era (MCP 2025-11-25 ClientRequest). */
export const REQUEST_METHODS: ReadonlyMap<string, MethodHandler> = new Map<string, MethodHandler>([
  ['initialize', lifecycle.initialize],
  ['ping', lifecycle.ping],
  ['logging/setLevel', lifecycle.setLogLevel],
  ['tools/list', tools.listTools],
  ['tools/call', tools.callTool],
  ['resources/list', resources.listResources],
  ['resources/templates/list', resources.listTemplates],
  ['resources/read', resources.readResource],
  ['resources/subscribe', resources.subscribe],
  ['resources/unsubscribe', resources.unsubscribe],
  ['prompts/list', prompts.listPrompts],
  ['prompts/get', prompts.getPrompt],
  ['completion/complete', prompts.complete],
]);

const NOTIFICATION_METHODS: ReadonlyMap<string, NotificationHandler> = new Map<string, NotificationHandler>([
  ['notifications/cancelled', lifecycle.cancelled],
  ['notifications/initialized', lifecycle.ignore],
  ['notifications/roots/list_changed', lifecycle.ignore],
  ['notifications/progress', lifecycle.ignore],
]);

/** Dispatches messages for one server. */
export class Dispatcher {
  readonly #server: McpServer;

  constructor(server: McpServer) {
    this.#server = server;
  }

  /**
   * Handles one request; never rejects. Gives the answer's JSON text: as a value when every step ran synchronously
   * (a tool that returns a plain value), else as a promise, so the common call costs no promise and no microtask.
   * `outlet` carries the messages the handler sends before its result; `detach`, where the transport has one,
   * closes the connection under that stream.
   */
  dispatchRequest(
    session: ServerSession,
    req: JsonRpcRequest,
    outlet: Outlet,
    detach?: () => void,
  ): string | Promise<string> {
    return this.#run(session, req, outlet, false, detach) as string | Promise<string>;
  }

  /**
   * Runs one request; gives its answer's text. With `dropCancelled`, gives undefined when the handler's signal
   * aborted before it finished (the client cancelled it, or the session ended): stream transports then send
   * nothing, as basic/utilities/cancellation asks (receivers SHOULD NOT respond to a cancelled request). Streamable
   * HTTP passes false and still answers, since its POST must end with something.
   */
  #run(
    session: ServerSession,
    req: JsonRpcRequest,
    outlet: Outlet,
    dropCancelled: boolean,
    detach?: () => void,
  ): string | undefined | Promise<string | undefined> {
    const method = req.method;
    const handler = REQUEST_METHODS.get(method);
    if (handler === undefined) return refused(this.#server.origin, session, req, errorResponseOf(req.id, ErrorCode.MethodNotFound, `Method not found: ${method}`));
    if (session.record === undefined && method !== 'initialize' && method !== 'ping') {
      return refused(this.#server.origin, session, req, errorResponseOf(req.id, ErrorCode.InvalidRequest, `${method} was sent before initialize; initialize the session first`));
    }
    // basic: an id MUST NOT be reused within a session. Served, a second request under the id of one in flight took
    // its place in `inFlight`: the first could then be neither cancelled nor aborted when the session ended.
    if (session.isInFlight(req.id)) {
      return refused(this.#server.origin, session, req, errorResponseOf(req.id, ErrorCode.InvalidRequest, `Request id ${JSON.stringify(req.id)} is already in use by a request in flight; use a new id`));
    }
    const params = req.params ?? EMPTY_PARAMS;
    const ctx = new HandlerContext(session, req.id, params._meta as JsonObject | undefined, outlet, this.#server, detach);
    // One event object serves both channels, and none is made when nobody listens (STYLE rule 7).
    const event: RequestEvent | undefined = requestStart.hasSubscribers || requestEnd.hasSubscribers
      ? { sessionId: session.id, method, id: req.id, params: req.params, error: undefined, result: undefined, durationMs: 0, origin: this.#server.origin }
      : undefined;
    const started = event === undefined ? 0 : performance.now();
    if (event !== undefined && requestStart.hasSubscribers) requestStart.publish(event);
    let out: JsonObject | Promise<JsonObject>;
    try {
      out = handler(this.#server, params, ctx);
    } catch (err) {
      return this.#settle(ctx, method, event, started, this.#failure(req.id, err, method, session), dropCancelled);
    }
    if (!(out instanceof Promise)) return this.#settle(ctx, method, event, started, resultResponse(req.id, out), dropCancelled);
    // Only a handler still running can be cancelled: it is tracked by id until it settles. A stateless session is
    // shared by every client, so its ids collide and nothing can reach them anyway.
    const tracked = !session.stateless;
    if (tracked) session.inFlight.set(req.id, ctx);
    return out.then(
      (result) => {
        if (tracked) untrack(session, req.id, ctx);
        return this.#settle(ctx, method, event, started, resultResponse(req.id, result), dropCancelled);
      },
      (err: unknown) => {
        if (tracked) untrack(session, req.id, ctx);
        return this.#settle(ctx, method, event, started, this.#failure(req.id, err, method, session), dropCancelled);
      },
    );
  }

  /**
   * Serialises the answer, publishes the end of the request to whoever listens, and gives the text the transport
   * sends. A cancelled request that gets no answer is published with its handler's outcome.
   */
  #settle(ctx: HandlerContext, method: string, event: RequestEvent | undefined, started: number, response: JsonRpcResponse, dropCancelled: boolean): string | undefined {
    ctx.finish();
    const dropped = dropCancelled && ctx.aborted;
    let text: string | undefined;
    if (!dropped) {
      text = answerText(response, method, ctx);
      if (text === undefined) text = stringifyMessage((response = unserializableAnswer(response)));
    }
    if (event !== undefined && requestEnd.hasSubscribers) {
      if ('error' in response) event.error = response.error;
      else event.result = response.result;
      event.durationMs = performance.now() - started;
      requestEnd.publish(event);
    }
    return text;
  }

  /** Handles a notification from the client. Unknown notifications are ignored, as JSON-RPC allows. */
  dispatchNotification(session: ServerSession, note: JsonRpcNotification): void {
    const handler = NOTIFICATION_METHODS.get(note.method);
    if (!handler) return;
    // A notification handler sends no request to the client, so the server's timeout it holds is never used.
    const ctx = new HandlerContext(session, '', undefined, noOutlet, this.#server);
    try {
      handler(this.#server, note.params ?? EMPTY_PARAMS, ctx);
    } catch (err) {
      if (internalError.hasSubscribers) internalError.publish({ error: err, method: note.method, sessionId: session.id, origin: this.#server.origin } satisfies InternalErrorEvent);
    }
  }

  /** Routes the client's answer to a request this server sent. */
  dispatchResponse(session: ServerSession, response: JsonRpcResponse): void {
    if (!session.correlator.settle(response)) this.#server.sessions.forwardResponse(session.id, response);
  }

  /**
   * Handles one parsed value from a stream transport: a message or, where the revision allows it, a batch.
   * Resolves with the JSON text to send back (a batch's answers as one array), or undefined when nothing is due.
   * A batch refused as a whole is answered with one error object, never an array.
   */
  async dispatchValue(session: ServerSession, value: unknown, outlet: Outlet): Promise<string | undefined> {
    if (Array.isArray(value)) {
      if (!featuresOf(session.revision).batching || session.record === undefined) {
        return stringifyMessage(errorResponseOf(null, ErrorCode.InvalidRequest, 'JSON-RPC batches are not supported by this protocol revision'));
      }
      if (value.length === 0) return stringifyMessage(errorResponseOf(null, ErrorCode.InvalidRequest, 'Empty batch'));
      const answers = await Promise.all(value.map((v) => this.#dispatchOne(session, v, outlet, true)));
      const texts = answers.filter((a): a is string => a !== undefined);
      return texts.length > 0 ? `[${texts.join(',')}]` : undefined;
    }
    return this.#dispatchOne(session, value, outlet);
  }

  async #dispatchOne(session: ServerSession, value: unknown, outlet: Outlet, inBatch = false): Promise<string | undefined> {
    const msg = value as JsonRpcMessage;
    switch (classify(value)) {
      case MessageKind.Request:
        if (inBatch && (msg as JsonRpcRequest).method === 'initialize') {
          // 2025-03-26 basic/lifecycle: initialize MUST NOT be part of a batch; run, it would reset a live session.
          return refused(this.#server.origin, session, msg as JsonRpcRequest, errorResponseOf((msg as JsonRpcRequest).id, ErrorCode.InvalidRequest, 'initialize must not be part of a JSON-RPC batch'));
        }
        return this.#run(session, msg as JsonRpcRequest, outlet, true);
      case MessageKind.Notification:
        this.dispatchNotification(session, msg as JsonRpcNotification);
        return undefined;
      case MessageKind.Response:
        this.dispatchResponse(session, msg as JsonRpcResponse);
        return undefined;
      default:
        return stringifyMessage(errorResponseOf(readableId(value), ErrorCode.InvalidRequest, 'Invalid JSON-RPC 2.0 message'));
    }
  }

  #failure(id: JsonRpcRequest['id'], err: unknown, method: string, session: ServerSession): JsonRpcResponse {
    // A failed request to the client is this request's failure, with what happened, not the client's error code.
    if (err instanceof PeerRequestError) return errorResponseOf(id, ErrorCode.InternalError, `${method} failed: ${err.message}`);
    if (err instanceof WireError) return errorResponse(id, err.toJSON());
    if (internalError.hasSubscribers) internalError.publish({ error: err, method, sessionId: session.id, origin: this.#server.origin } satisfies InternalErrorEvent);
    return errorResponseOf(id, ErrorCode.InternalError, 'Internal error');
  }
}

function noOutlet(): void {}

/** A handler that ran past its first tick is done: the session's idle clock starts again from now. */
function untrack(session: ServerSession, id: JsonRpcRequest['id'], ctx: HandlerContext): void {
  if (session.inFlight.get(id) === ctx) session.inFlight.delete(id);
  session.touch();
}

/**
 * A request answered before any handler ran: observed on `requestEnd` alone, so metrics count it too. Its error is
 * made here from the request's id and method, so JSON always carries it.
 */
function refused(origin: EventOrigin, session: ServerSession, req: JsonRpcRequest, response: JsonRpcErrorResponse): string {
  if (requestEnd.hasSubscribers) {
    const event: RequestEvent = { sessionId: session.id, method: req.method, id: req.id, params: req.params, error: response.error, result: undefined, durationMs: 0, origin };
    requestEnd.publish(event);
  }
  return stringifyMessage(response);
}
