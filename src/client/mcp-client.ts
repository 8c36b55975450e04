/**
 * `McpClient`: the erlmcp client over any `ClientTransport` (stdio, Streamable HTTP, memory).
 *
 * It runs the initialize handshake with version negotiation, offers a typed method for every server method, answers
 * the requests a server sends (sampling, elicitation with schema defaults, roots), and emits the server's
 * notifications as events (both routed in server-messages.ts). Any number of requests may be in flight on one session; each has a timeout (one shared
 * sweep timer, see pending-requests.ts) and may be cancelled by an AbortSignal, which sends
 * `notifications/cancelled`. Answers are not schema-checked: the client is the load generator's engine, and the
 * caller knows what it asked for.
 */
import { EventEmitter } from 'node:events';
import { ErlmcpError } from '../errors.js';
import { isObject, type JsonObject, type JsonRpcMessage, type JsonRpcNotification, type JsonRpcRequest } from '../protocol/json-rpc.js';
import { isSessionRevision } from '../protocol/versions.js';
import { resolveClientOptions, type McpClientOptions, type ResolvedClientOptions } from './client-options.js';
import type { McpClientEvents } from './client-events.js';
import type { ClientTransport } from './client-transport.js';
import type {
  CallToolParams, CallToolResult, CompleteParams, CompleteResult, GetPromptResult, Implementation, InitializeResult,
  ListPromptsResult, ListResourcesResult, ListResourceTemplatesResult, ListToolsResult, LoggingLevel, PageParams,
  Prompt, ReadResourceResult, Resource, ResourceTemplate, ServerCapabilities, Tool,
} from './client-types.js';
import { collectPages } from './pagination.js';
import { PendingRequests, type RequestOptions } from './pending-requests.js';
import { ServerMessages } from './server-messages.js';
import { isSessionGone, SessionRenewal } from './session-renewal.js';

export type { McpClientEvents };

/** An MCP client for one session with one server. */
export class McpClient extends EventEmitter<McpClientEvents> {
  readonly #info: Implementation;
  readonly #options: ResolvedClientOptions;
  readonly #pending: PendingRequests;
  /** What the server sends: responses, notifications as events, and its requests (server-messages.ts). */
  readonly #inbound: ServerMessages;
  #transport: ClientTransport | undefined;
  #init: InitializeResult | undefined;
  #closed = false;
  /** Why the transport is closing, when it said (a stdio server that exited): what the requests it fails carry. */
  #closeCause: Error | undefined;
  /** Sessions the server forgot (a 404) are renewed here, once for every message that met the 404. */
  readonly #renewal = new SessionRenewal(() => this.#handshake(this.#transport as ClientTransport), () => {
    // A listener that throws must not fail the requests waiting on the renewal.
    try {
      this.emit('sessionRenewed');
    } catch (err) {
      this.#report(err instanceof Error ? err : new Error(String(err)));
    }
  });

  constructor(info: Implementation, options: McpClientOptions = {}) {
    super();
    if (!isObject(info) || typeof info.name !== 'string' || typeof info.version !== 'string') {
      throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', 'info must be { name: string, version: string }');
    }
    this.#info = Object.freeze({ ...info });
    this.#options = resolveClientOptions(options);
    this.#pending = new PendingRequests(this.#sendCancel, this.#options.timerResolutionMs);
    this.#inbound = new ServerMessages({
      pending: this.#pending,
      options: this.#options,
      events: this,
      session: () => this.#session(),
      answer: (message, session) => this.#answer(message, session),
      report: (err) => this.#report(err),
      revision: () => this.#init?.protocolVersion,
    });
  }

  /** The revision negotiated at initialize. */
  get protocolVersion(): string | undefined {
    return this.#init?.protocolVersion;
  }

  /** The server's name and version. */
  get serverInfo(): Implementation | undefined {
    return this.#init?.serverInfo;
  }

  /** What the server offers. */
  get serverCapabilities(): ServerCapabilities | undefined {
    return this.#init?.capabilities;
  }

  /** The server's instructions, if it gave any. */
  get instructions(): string | undefined {
    return this.#init?.instructions;
  }

  /** Requests awaiting an answer. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** The transport, once connected. */
  get transport(): ClientTransport | undefined {
    return this.#transport;
  }

  /**
   * Starts `transport` and runs the handshake: initialize, a check that the server answered with a revision we
   * speak, then `notifications/initialized`. Rejects (and closes the transport) when the server refuses or answers
   * with a revision we do not speak.
   */
  async connect(transport: ClientTransport, options?: RequestOptions): Promise<InitializeResult> {
    if (this.#transport !== undefined) throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', 'this client is already connected');
    this.#transport = transport;
    transport.onmessage = this.#inbound.receive;
    transport.onerror = (err) => {
      if (err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_TRANSPORT_CLOSED') this.#closeCause ??= err;
      // A 404 met by no message of ours (a stream's resumption GET): the session must be renewed all the same, or
      // a client that only listens would never hear from the server again.
      if (isSessionGone(err) && !this.#closed && this.#init !== undefined) {
        this.#renewal.renew(this.#renewal.generation).catch((failed: unknown) => this.#report(failed as Error));
      }
      this.#report(err);
    };
    transport.onclose = () => this.#onClosed();
    try {
      await transport.start();
      return await this.#handshake(transport, options);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** initialize, the check that the server answered with a revision we speak, then `notifications/initialized`. */
  async #handshake(transport: ClientTransport, options?: RequestOptions): Promise<InitializeResult> {
    const result = (await this.request('initialize', {
      protocolVersion: this.#options.protocolVersion,
      capabilities: this.#options.capabilities,
      clientInfo: this.#info,
    }, options)) as InitializeResult;
    if (!isSessionRevision(result.protocolVersion)) {
      throw new ErlmcpError('ERLMCP_ERR_UNSUPPORTED_PROTOCOL_VERSION', `the server answered with revision ${JSON.stringify(result.protocolVersion)}, which this client does not speak`);
    }
    this.#init = result;
    transport.setProtocolVersion?.(result.protocolVersion);
    await this.notify('notifications/initialized');
    return result;
  }

  /**
   * Sends a message; when the server answers that the session is gone (HTTP 404), renews the session
   * (session-renewal.ts) and sends the message once more, unless `live` says it was given up meanwhile. Sending
   * again is safe: the server refused the message before handling it. During a renewal a message waits for it.
   */
  async #send(transport: ClientTransport, message: JsonRpcMessage, again = true, live?: () => boolean): Promise<void> {
    // Awaited only while a renewal runs: otherwise the message goes out in this tick, as before renewals existed.
    const renewing = again ? this.#renewal.pending : undefined;
    if (renewing !== undefined) await renewing;
    if (live !== undefined && !live()) return;
    const generation = this.#renewal.generation;
    try {
      await transport.send(message);
    } catch (err) {
      if (!again || !isSessionGone(err) || this.#closed) throw err;
      await this.#renewal.renew(generation);
      if (live !== undefined && !live()) return;
      await this.#send(transport, message, false);
    }
  }

  /**
   * Sends a cancellation, which belongs to the session its request was sent in: nothing during a renewal, since
   * the request it names died with the old session, and on a 404 the renewal starts but it is not sent again.
   */
  #sendOnce(message: JsonRpcMessage): void {
    if (this.#renewal.pending !== undefined) return;
    this.#sendNow(message);
  }

  /**
   * The session a server request arriving now belongs to. During a renewal it is the new one: the old session's
   * streams were dropped with its 404, and a server asks for roots as soon as it has `notifications/initialized`,
   * before the renewal's handshake has returned.
   */
  #session(): number {
    return this.#renewal.generation + (this.#renewal.pending === undefined ? 0 : 1);
  }

  /**
   * Sends the answer to a server request that arrived in `session`, unless that session was replaced since: the
   * request died with it. Not held back by a renewal, which #sendOnce is: the request came in the new session.
   */
  #answer(message: JsonRpcMessage, session: number): void {
    if (session === this.#session()) this.#sendNow(message);
  }

  /** Sends a message of the current session once, renewing the session on a 404 without sending it again. */
  #sendNow(message: JsonRpcMessage): void {
    const transport = this.#transport;
    if (transport === undefined || this.#closed) return;
    const generation = this.#renewal.generation;
    transport.send(message).catch((err: unknown) => {
      if (isSessionGone(err) && !this.#closed) this.#renewal.renew(generation).catch((failed: unknown) => this.#report(failed as Error));
      else this.#report(err as Error);
    });
  }

  /**
   * Sends a request and resolves with its result; a JSON-RPC error answer rejects with a `WireError`. The generic
   * entry beneath every typed method, and the way to call a method this client has no name for.
   */
  request<T = JsonObject>(method: string, params?: JsonObject, options?: RequestOptions): Promise<T> {
    const transport = this.#transport;
    if (transport === undefined || this.#closed) {
      return Promise.reject(new ErlmcpError('ERLMCP_ERR_NOT_CONNECTED', `cannot send ${method}: the client is not connected`));
    }
    const signal = options?.signal;
    if (signal?.aborted === true) {
      const reason: unknown = signal.reason;
      return Promise.reject(reason instanceof Error ? reason : new Error(String(reason ?? 'aborted')));
    }
    const timeoutMs = options?.timeoutMs ?? this.#options.requestTimeoutMs;
    // Checked per request: NaN or -1 meant no timeout at all, and "500" from JavaScript a string-concatenated deadline.
    if (!isDuration(timeoutMs) || (options?.maxTotalTimeoutMs !== undefined && !isDuration(options.maxTotalTimeoutMs))) {
      const [name, value] = isDuration(timeoutMs) ? ['maxTotalTimeoutMs', options?.maxTotalTimeoutMs] : ['timeoutMs', timeoutMs];
      return Promise.reject(new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${method}: options.${name} must be a number of milliseconds, 0 or more, got ${JSON.stringify(value)}`));
    }
    const meta = isObject(params?._meta) ? params._meta : undefined;
    const own = meta?.progressToken;
    const callerToken = options?.onProgress === undefined && (typeof own === 'string' || typeof own === 'number') ? own : undefined;
    // basic/utilities/progress: a token MUST be unique across active requests; one in flight would have its progress
    // go to the other request's onProgress.
    if (callerToken !== undefined && this.#pending.tokenInUse(callerToken)) {
      return Promise.reject(new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `${method}: params._meta.progressToken ${JSON.stringify(callerToken)} is already the token of a request in flight`));
    }
    const { id, token, result } = this.#pending.open(method, timeoutMs, options, callerToken);
    const sent = options?.onProgress === undefined ? params : { ...params, _meta: { ...meta, progressToken: token ?? id } };
    const message: JsonRpcRequest = sent === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params: sent };
    // initialize is the handshake itself: it never renews (that would wait on its own renewal).
    this.#send(transport, message, method !== 'initialize', () => this.#pending.has(id)).catch((err: unknown) => this.#pending.fail(id, err as Error));
    return result as Promise<T>;
  }

  /** Sends a notification. */
  async notify(method: string, params?: JsonObject): Promise<void> {
    const transport = this.#transport;
    if (transport === undefined || this.#closed) throw new ErlmcpError('ERLMCP_ERR_NOT_CONNECTED', `cannot send ${method}: the client is not connected`);
    const message: JsonRpcNotification = params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
    // notifications/initialized belongs to the handshake under way: renewing from inside it would start another.
    await (method === 'notifications/initialized' ? transport.send(message) : this.#send(transport, message));
  }

  /** `ping`. */
  async ping(options?: RequestOptions): Promise<void> {
    await this.request('ping', undefined, options);
  }

  /** One page of `tools/list`. */
  listTools(params?: PageParams, options?: RequestOptions): Promise<ListToolsResult> {
    return this.request('tools/list', params as JsonObject | undefined, options);
  }

  /** `tools/call`. A tool's own failure is a result with `isError: true`; a protocol error rejects. */
  callTool(params: CallToolParams, options?: RequestOptions): Promise<CallToolResult> {
    return this.request('tools/call', params as unknown as JsonObject, options);
  }

  /** One page of `resources/list`. */
  listResources(params?: PageParams, options?: RequestOptions): Promise<ListResourcesResult> {
    return this.request('resources/list', params as JsonObject | undefined, options);
  }

  /** One page of `resources/templates/list`. */
  listResourceTemplates(params?: PageParams, options?: RequestOptions): Promise<ListResourceTemplatesResult> {
    return this.request('resources/templates/list', params as JsonObject | undefined, options);
  }

  /** `resources/read`. */
  readResource(params: { uri: string; _meta?: JsonObject }, options?: RequestOptions): Promise<ReadResourceResult> {
    return this.request('resources/read', params, options);
  }

  /** `resources/subscribe`: `resourceUpdated` events follow for `uri`. */
  async subscribe(params: { uri: string }, options?: RequestOptions): Promise<void> {
    await this.request('resources/subscribe', params, options);
  }

  /** `resources/unsubscribe`. */
  async unsubscribe(params: { uri: string }, options?: RequestOptions): Promise<void> {
    await this.request('resources/unsubscribe', params, options);
  }

  /** One page of `prompts/list`. */
  listPrompts(params?: PageParams, options?: RequestOptions): Promise<ListPromptsResult> {
    return this.request('prompts/list', params as JsonObject | undefined, options);
  }

  /** `prompts/get`. */
  getPrompt(params: { name: string; arguments?: Record<string, string>; _meta?: JsonObject }, options?: RequestOptions): Promise<GetPromptResult> {
    return this.request('prompts/get', params, options);
  }

  /** `completion/complete`. */
  complete(params: CompleteParams, options?: RequestOptions): Promise<CompleteResult> {
    return this.request('completion/complete', params as unknown as JsonObject, options);
  }

  /** `logging/setLevel`. */
  async setLogLevel(level: LoggingLevel, options?: RequestOptions): Promise<void> {
    await this.request('logging/setLevel', { level }, options);
  }

  /** Every tool, following `nextCursor` page by page. */
  listAllTools(options?: RequestOptions): Promise<Tool[]> {
    return collectPages((cursor) => this.listTools(cursor, options), (page) => page.tools);
  }

  /** Every resource, following `nextCursor`. */
  listAllResources(options?: RequestOptions): Promise<Resource[]> {
    return collectPages((cursor) => this.listResources(cursor, options), (page) => page.resources);
  }

  /** Every resource template, following `nextCursor`. */
  listAllResourceTemplates(options?: RequestOptions): Promise<ResourceTemplate[]> {
    return collectPages((cursor) => this.listResourceTemplates(cursor, options), (page) => page.resourceTemplates);
  }

  /** Every prompt, following `nextCursor`. */
  listAllPrompts(options?: RequestOptions): Promise<Prompt[]> {
    return collectPages((cursor) => this.listPrompts(cursor, options), (page) => page.prompts);
  }

  /** Tells the server the client's roots changed (`notifications/roots/list_changed`). */
  sendRootsListChanged(): Promise<void> {
    return this.notify('notifications/roots/list_changed');
  }

  /** Fails what is in flight and closes the transport (over HTTP, a DELETE ends the session). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending.rejectAll(new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'the client closed'));
    this.#inbound.abortAll('the client closed');
    await this.#transport?.close();
  }

  #onClosed(): void {
    if (!this.#closed) {
      this.#closed = true;
      // The 'error' event is emitted only when listened to: without the cause here, a server that crashed at start
      // failed connect() with no hint of why.
      const cause = this.#closeCause;
      this.#pending.rejectAll(new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', `the connection to the server closed${cause === undefined ? '' : `: ${cause.message}`}`, { cause }));
      this.#inbound.abortAll('the connection closed');
    }
    this.emit('close');
  }

  #sendCancel = (id: number, reason: string): void => {
    this.#sendOnce({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } });
  };

  #report(err: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }
}

/** A finite number of milliseconds, 0 or more. */
function isDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
