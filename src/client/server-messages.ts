/**
 * What a server sends its `McpClient`, routed by kind: a response settles the request it answers (pending-requests.ts),
 * a notification becomes the client's event (client-events.ts) or its request's progress, and a request is answered
 * by the application's handlers (server-requests.ts) unless the server cancels it first.
 *
 * The inbound direction of a session has its own state (the server requests being answered, each abortable) and its
 * own rule for failures: whatever goes wrong here, a bad message or a listener that throws, is reported on the
 * client's 'error' event and never thrown into the transport's read loop, where it would end the process. Kept
 * apart from the client, which owns the outbound direction: the handshake, sending, and session renewal.
 */
import type { EventEmitter } from 'node:events';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  classify, isObject, MessageKind, readableId, type JsonObject, type JsonRpcMessage, type JsonRpcNotification, type JsonRpcRequest,
  type JsonRpcResponse, type RequestId,
} from '../protocol/json-rpc.js';
import { invalidParams, WireError } from '../protocol/wire-error.js';
import type { ResolvedClientOptions } from './client-options.js';
import { LIST_CHANGED, type McpClientEvents } from './client-events.js';
import type { LoggingMessage, ProgressNotification } from './client-types.js';
import type { PendingRequests } from './pending-requests.js';
import { answerServerRequest } from './server-requests.js';

/** What the routing needs of its client, passed in rather than read from it. */
export interface ServerMessagesHost {
  /** The client's requests in flight, which responses and progress are routed to. */
  readonly pending: PendingRequests;
  /** The client's options, with the handlers of server requests. */
  readonly options: ResolvedClientOptions;
  /** Where notifications are emitted as events: the client itself. */
  readonly events: EventEmitter<McpClientEvents>;
  /** The session a server request arriving now belongs to, as the client counts sessions. */
  session(): number;
  /**
   * Sends the answer to a server request that arrived in `session`: nothing once the client closed, or once that
   * session was replaced.
   */
  answer(message: JsonRpcMessage, session: number): void;
  /** Reports a non-fatal problem on the client's 'error' event. */
  report(err: Error): void;
  /** The revision negotiated at initialize, once known: which server requests exist depends on it. */
  revision(): string | undefined;
}

/** The inbound side of one client's session. */
export class ServerMessages {
  readonly #host: ServerMessagesHost;
  /** Server requests being answered, so a `notifications/cancelled` can abort them. */
  readonly #incoming = new Map<RequestId, AbortController>();

  constructor(host: ServerMessagesHost) {
    this.#host = host;
  }

  /** Takes one message from the transport; bound, so it can be the transport's `onmessage` as it is. */
  readonly receive = (message: unknown): void => {
    // A 2025-03-26 server may batch what it sends, and a client "MUST support receiving" batches (basic/messages);
    // stdio and memory transports hand the array over as it came.
    if (Array.isArray(message)) {
      for (const item of message) this.receive(item);
      return;
    }
    const host = this.#host;
    switch (classify(message)) {
      case MessageKind.Response: {
        const response = message as JsonRpcResponse;
        if (host.pending.settle(response) || host.pending.issued(response.id)) return;
        // No id (or null): the server could not read what it answers (JSON-RPC 2.0 section 5), so its own code and
        // message are the news; "an unknown request id null" hid them.
        if ((response.id === undefined || response.id === null) && 'error' in response) {
          host.report(new WireError(response.error.code as ErrorCode, `the server answered a message it could not read: ${response.error.message}`, response.error.data));
          return;
        }
        host.report(new WireError(ErrorCode.InvalidRequest, `a response for an unknown request id ${JSON.stringify(response.id)}`));
        return;
      }
      case MessageKind.Notification:
        // A listener or an onProgress callback that throws is a bug of the application, not of the connection:
        // reported on 'error', not thrown into the transport's read loop, where it would end the process.
        try {
          this.#onNotification(message as JsonRpcNotification);
        } catch (err) {
          host.report(err instanceof Error ? err : new Error(String(err)));
        }
        return;
      case MessageKind.Request:
        void this.#onRequest(message as JsonRpcRequest);
        return;
      default: {
        // A request that is whole but for its params is answered -32602, as the server's own dispatcher would
        // answer it: reported and dropped instead, the server would wait out its timeout for an answer.
        const id = requestWithBadParams(message);
        if (id !== undefined) {
          host.answer({ jsonrpc: '2.0', id, error: invalidParams(`${(message as { method: string }).method}: params must be an object`).toJSON() }, host.session());
          return;
        }
        host.report(new WireError(ErrorCode.InvalidRequest, `the server sent an invalid message: ${JSON.stringify(message).slice(0, 200)}`));
      }
    }
  };

  /** Aborts every server request still being answered (the client or its connection closed); none is answered. */
  abortAll(reason: string): void {
    for (const controller of this.#incoming.values()) controller.abort(new Error(reason));
    this.#incoming.clear();
  }

  #onNotification(n: JsonRpcNotification): void {
    const { events } = this.#host;
    const params = n.params;
    switch (n.method) {
      case 'notifications/progress':
        if (!isProgress(params)) {
          this.#host.report(new WireError(ErrorCode.InvalidRequest, `notifications/progress needs params.progressToken (a string or number) and a number params.progress: ${JSON.stringify(params ?? null).slice(0, 200)}`));
          return;
        }
        this.#host.pending.progress(params as unknown as ProgressNotification);
        events.emit('progress', params as unknown as ProgressNotification);
        break;
      case 'notifications/message':
        events.emit('log', params as unknown as LoggingMessage);
        break;
      case 'notifications/resources/updated':
        events.emit('resourceUpdated', params as { uri: string });
        break;
      case 'notifications/cancelled': {
        const id = params?.requestId;
        if (typeof id === 'string' || typeof id === 'number') this.#incoming.get(id)?.abort(new Error(String(params?.reason ?? 'cancelled by the server')));
        break;
      }
      default: {
        const event = LIST_CHANGED[n.method];
        if (event !== undefined) events.emit(event);
      }
    }
    events.emit('notification', n.method, params);
  }

  async #onRequest(request: JsonRpcRequest): Promise<void> {
    const session = this.#host.session();
    const controller = new AbortController();
    this.#incoming.set(request.id, controller);
    let answer: JsonRpcMessage;
    try {
      const result = await answerServerRequest(this.#host.options, this.#host.revision(), request.method, request.params, { signal: controller.signal, requestId: request.id });
      answer = { jsonrpc: '2.0', id: request.id, result };
    } catch (err) {
      const error = err instanceof WireError
        ? err.toJSON()
        : { code: ErrorCode.InternalError, message: err instanceof Error ? err.message : String(err) };
      answer = { jsonrpc: '2.0', id: request.id, error };
    } finally {
      this.#incoming.delete(request.id);
    }
    // A cancelled request gets no answer (basic/utilities/cancellation).
    if (controller.signal.aborted) return;
    this.#host.answer(answer, session);
  }
}

/** The shape the progress routing reads; anything else from a server is reported, not followed. */
function isProgress(params: JsonObject | undefined): boolean {
  return params !== undefined && (typeof params.progressToken === 'string' || typeof params.progressToken === 'number') && typeof params.progress === 'number';
}

/**
 * The id of a request whose only fault is `params` that are not an object (MCP's `Request.params` is an object;
 * JSON-RPC 2.0's by-position array is not allowed), so it can be answered; undefined for any other invalid message.
 */
function requestWithBadParams(message: unknown): RequestId | undefined {
  if (!isObject(message) || message.jsonrpc !== '2.0' || typeof message.method !== 'string') return undefined;
  if (message.params === undefined || isObject(message.params)) return undefined;
  return readableId(message) ?? undefined;
}
