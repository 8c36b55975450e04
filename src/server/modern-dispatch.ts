/**
 * The stateless era (MCP 2026-07-28) beside the session era: admission of one request by its `_meta`, its method
 * table, and the finishing of every result (`resultType`, `serverInfo` in `_meta`, cache hints). Transports call it
 * for requests that `isModernMarked` picks out; everything else keeps the session-era path untouched.
 *
 * Handlers are the session era's own (the same tools, resources and prompts serve both eras): a request gets a
 * `ModernSession` built from its `_meta`, and, for the three methods that may ask the client for input, an
 * `InputRound` that turns `ctx.elicit()`/`ctx.sample()`/`ctx.listRoots()` into an `input_required` round trip.
 */
import {
  internalError, requestEnd, requestStart, type InternalErrorEvent, type RequestEvent,
} from '../diagnostics/channels.js';
import {
  EraError, META_SERVER_INFO, checkLogLevel, headerMismatch, modernMethodNotFound, parseRequestMeta,
  unsupportedProtocolVersion, type RequestMeta,
} from '../protocol/era.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { errorResponse, errorResponseOf, resultResponse, stringifyMessage, type JsonObject, type JsonRpcRequest, type JsonRpcResponse } from '../protocol/json-rpc.js';
import { RequestStateCodec } from '../protocol/request-state.js';
import { isListed } from '../protocol/versions.js';
import { WireError } from '../protocol/wire-error.js';
import { REQUEST_METHODS } from './dispatcher.js';
import { HandlerContext, type HandlerScope } from './handler-context.js';
import { ListenHub, type ListKind } from './listen-hub.js';
import type { McpServer } from './mcp-server.js';
import type { MethodHandler } from './methods/method-table.js';
import { isServed } from './methods/resource-methods.js';
import { ModernSession } from './modern-session.js';
import { InputRequiredSuspension, InputRound, MRTR_METHODS } from './mrtr.js';
import type { Outlet } from './server-session.js';
import type { CacheHint } from './types.js';
import { answerText, unserializableAnswer, type AnswerScope } from './answer-text.js';


/** Options of the stateless era, validated by `McpServer`. */
export interface ModernEraOptions {
  /** Offered revisions of both eras, newest first (server/discover's `supportedVersions`). */
  readonly supported: readonly string[];
  /** Offered stateless-era revisions. */
  readonly modern: readonly string[];
  /** The configured cache hints, for results no registration overrides. */
  readonly cache: Required<CacheHint>;
  /** Put the server's identity in every result's `_meta`. */
  readonly serverInfoInResults: boolean;
  /** The `requestState` secret (random when undefined), its lifetime and size, and the rounds allowed. */
  readonly mrtr: { readonly secret: Buffer | undefined; readonly stateTtlMs: number; readonly maxStateBytes: number; readonly maxRounds: number };
  /** Resource URIs one `subscriptions/listen` may name. */
  readonly maxListenUris: number;
}

/** What one stateless request was answered with, and the HTTP status that goes with it. */
export interface ModernOutcome {
  /** The JSON-RPC response, carrying the request id. */
  readonly response: JsonRpcResponse;
  /** 200, or the 400/404 of an `EraError`. */
  readonly status: number;
  /** The response's JSON text, what transports write (answer-text.ts). */
  readonly text: string;
}

/** A request admitted to the stateless era. */
export interface Admitted {
  /** The request's `_meta` fields. */
  readonly meta: RequestMeta;
  /** The checked per-request log level; undefined sends no `notifications/message`. */
  readonly logLevel: string | undefined;
  /** The request's wire text, where the transport has it: an input round digests its params from it. */
  readonly source: string | undefined;
}

/** What a 2026-07-28 result is (schema.json ResultType): the server's to say, never a handler's. */
type ResultType = 'complete' | 'input_required';

const EMPTY_PARAMS: JsonObject = Object.freeze({}) as JsonObject;
const PARKED = Symbol('parked');

/** Methods of the stateless era's ClientRequest, besides `server/discover` and `subscriptions/listen`. */
const SHARED_METHODS = ['tools/list', 'tools/call', 'resources/list', 'resources/templates/list', 'resources/read', 'prompts/list', 'prompts/get', 'completion/complete'];

/** The list or read results that carry cache hints, by method, and the registry kind they cover. */
const CACHEABLE: Readonly<Record<string, ListKind | 'templates' | 'read' | 'discover'>> = Object.freeze({
  'server/discover': 'discover', 'tools/list': 'tools', 'prompts/list': 'prompts', 'resources/list': 'resources',
  'resources/templates/list': 'templates', 'resources/read': 'read',
});

/**
 * The hint of a read completed by an input round: its result depends on the user's answers, which are not part
 * of the cache key, so it "MUST NOT be cached" (server/utilities/caching, "Cache Key"); the hints are still
 * required on the result, so they say stale at once and never shared.
 */
const UNCACHEABLE: Required<CacheHint> = Object.freeze({ ttlMs: 0, scope: 'private' });

function noop(): void {}

/**
 * An answer with its wire text, made where the request settles so that its published end carries what the client
 * gets: a response JSON cannot carry becomes -32603 here (answer-text.ts). The era has no session, so none is named.
 */
function outcomeOf(scope: AnswerScope, response: JsonRpcResponse, status: number, method: string): ModernOutcome {
  const text = answerText(response, method, scope);
  if (text !== undefined) return { response, status, text };
  const replaced = unserializableAnswer(response);
  return { response: replaced, status: 200, text: stringifyMessage(replaced) };
}

/** The stateless era of one server. */
export class ModernEra {
  /** The open `subscriptions/listen` streams of this process. */
  readonly listen: ListenHub;
  /** The validated, frozen options. */
  readonly options: ModernEraOptions;
  readonly #server: McpServer;
  /** What the handler contexts made around this era's requests read of the server (modern-stream.ts). */
  readonly scope: HandlerScope;
  /** Where this era's answers are made: no session, this server. */
  readonly #answerScope: AnswerScope;
  readonly #codec: RequestStateCodec;
  readonly #methods: ReadonlyMap<string, MethodHandler>;
  readonly #serverInfoMeta: JsonObject | undefined;
  /** Per-registration cache hints, by kind and name. */
  readonly #hints = new Map<string, Map<string, CacheHint>>();
  #discover: JsonObject | undefined;

  constructor(server: McpServer, options: ModernEraOptions) {
    this.#server = server;
    this.scope = server;
    this.#answerScope = Object.freeze({ sessionId: undefined, origin: server.origin });
    this.options = options;
    const { secret, stateTtlMs, maxStateBytes } = options.mrtr;
    this.#codec = secret === undefined ? RequestStateCodec.ephemeral(stateTtlMs, maxStateBytes) : new RequestStateCodec(secret, stateTtlMs, maxStateBytes);
    const methods = new Map<string, MethodHandler>([['server/discover', () => this.discoverResult()]]);
    for (const m of SHARED_METHODS) methods.set(m, REQUEST_METHODS.get(m) as MethodHandler);
    this.#methods = methods;
    const { name, version, title } = server.info;
    this.#serverInfoMeta = options.serverInfoInResults
      ? Object.freeze({ [META_SERVER_INFO]: Object.freeze(title === undefined ? { name, version } : { name, version, title }) })
      : undefined;
    this.listen = new ListenHub((uri) => isServed(server, uri), options.maxListenUris, server.origin, this.#serverInfoMeta);
  }

  /** True when `method` is a stateless-era request method (listen included). */
  knows(method: string): boolean {
    return this.#methods.has(method) || method === 'subscriptions/listen';
  }

  /** Records the cache hint of one registration (`kind` is tools, prompts, resources or templates). */
  setHint(kind: string, name: string, hint: CacheHint | undefined): void {
    let byName = this.#hints.get(kind);
    if (hint === undefined) {
      byName?.delete(name);
      return;
    }
    if (!byName) this.#hints.set(kind, (byName = new Map()));
    byName.set(name, hint);
  }

  /** The DiscoverResult, built once (the server's capabilities and instructions do not change). */
  discoverResult(): JsonObject {
    if (this.#discover) return this.#discover;
    const init = this.#server.initializeResult('2025-11-25');
    const result: JsonObject = { supportedVersions: [...this.options.supported], capabilities: init.capabilities };
    if (init.instructions !== undefined) result.instructions = init.instructions;
    return (this.#discover = Object.freeze(result));
  }

  /**
   * Admits a request by its `_meta`, in the order conformance pins: malformed `_meta` (-32602), a header that
   * disagrees (-32020), a version not offered (-32022), then an invalid log level (-32602). Throws an `EraError`.
   */
  admit(params: JsonObject | undefined, headerVersion?: string, source?: string): Admitted {
    const meta = parseRequestMeta(params);
    if (headerVersion !== undefined && headerVersion !== meta.revision) {
      throw headerMismatch(`MCP-Protocol-Version ${headerVersion} does not match _meta protocolVersion ${meta.revision}`);
    }
    if (!isListed(this.options.modern, meta.revision)) {
      // The list is what "the client should choose ... and retry" with (schema.json UnsupportedProtocolVersionError).
      // A session-era revision this server offers is refused here only because it came the stateless way: naming
      // it supported in the same answer invited the very retry just refused, so that refusal lists the stateless
      // revisions alone (the session era is reached through initialize). An unknown one gets both eras.
      const { supported, modern } = this.options;
      throw unsupportedProtocolVersion(meta.revision, isListed(supported, meta.revision) ? modern : supported);
    }
    return { meta, logLevel: checkLogLevel(meta.logLevel), source };
  }

  /**
   * Runs one admitted request. `outlet` carries the notifications sent before the result (progress, logs);
   * `bindAbort`, where given, receives the function that cancels the handler (the client went away): it is only
   * called for a handler still running after its first tick. Never rejects; a handler that answers at once is
   * answered with a value, not a promise.
   */
  dispatch(req: JsonRpcRequest, admitted: Admitted, outlet: Outlet, bindAbort?: (abort: (reason: Error) => void) => void): ModernOutcome | Promise<ModernOutcome> {
    // The same request channels as the session era, so metrics, logs and traces see both; nothing when unobserved.
    if (!requestStart.hasSubscribers && !requestEnd.hasSubscribers) return this.#dispatch(req, admitted, outlet, bindAbort);
    const event: RequestEvent = { sessionId: '', method: req.method, id: req.id, params: req.params, error: undefined, result: undefined, durationMs: 0, origin: this.#server.origin };
    if (requestStart.hasSubscribers) requestStart.publish(event);
    const started = performance.now();
    const end = (outcome: ModernOutcome): ModernOutcome => {
      if (requestEnd.hasSubscribers) {
        const response = outcome.response;
        event.error = 'error' in response ? response.error : undefined;
        event.result = 'result' in response ? response.result : undefined;
        event.durationMs = performance.now() - started;
        requestEnd.publish(event);
      }
      return outcome;
    };
    const outcome = this.#dispatch(req, admitted, outlet, bindAbort);
    return outcome instanceof Promise ? outcome.then(end) : end(outcome);
  }

  #dispatch(req: JsonRpcRequest, admitted: Admitted, outlet: Outlet, bindAbort?: (abort: (reason: Error) => void) => void): ModernOutcome | Promise<ModernOutcome> {
    const method = req.method;
    const handler = this.#methods.get(method);
    if (handler === undefined) return this.#error(req, modernMethodNotFound(method));
    const params = req.params ?? EMPTY_PARAMS;
    let round: InputRound | undefined;
    try {
      if (MRTR_METHODS.has(method)) round = new InputRound(this.#codec, method, params, admitted.meta.clientCapabilities, this.options.mrtr.maxRounds, admitted.source);
    } catch (err) {
      return this.#error(req, err);
    }
    let open = true;
    const guarded: Outlet = (message) => {
      if (open) outlet(message);
    };
    const session = new ModernSession(admitted.meta, admitted.logLevel, round, method);
    const ctx = new HandlerContext(session, req.id, params._meta as JsonObject | undefined, guarded, this.#server);
    let running: JsonObject | Promise<JsonObject>;
    try {
      running = handler(this.#server, params, ctx);
    } catch (err) {
      open = false;
      return this.#error(req, err);
    }
    if (!(running instanceof Promise)) {
      open = false;
      return this.#complete(req, running, method, params);
    }
    bindAbort?.((reason) => ctx.abort(reason));
    const settled: Promise<JsonObject | typeof PARKED> = round === undefined ? running : Promise.race([running, round.parked.then((): typeof PARKED => PARKED)]);
    return settled.then(
      (value) => {
        open = false;
        if (value !== PARKED) return this.#complete(req, value, method, params);
        running.catch(noop);
        try {
          return this.#complete(req, (round as InputRound).interim(), method, params, 'input_required');
        } catch (err) {
          return this.#error(req, err);
        } finally {
          // Abandon the handler whatever sealing the state did (a state over mrtr.maxStateBytes throws).
          (round as InputRound).suspend();
          ctx.abort(new InputRequiredSuspension());
        }
      },
      (err: unknown) => {
        open = false;
        return this.#error(req, err);
      },
    );
  }

  /**
   * The answer of a handler's result (`complete`) or of the round's sealed interim one (`input_required`); a result
   * that cannot be finished is an error answer.
   */
  #complete(req: JsonRpcRequest, result: JsonObject, method: string, params: JsonObject, resultType: ResultType = 'complete'): ModernOutcome {
    let response: JsonRpcResponse;
    try {
      response = resultResponse(req.id, this.#finish(result, method, params, resultType));
    } catch (err) {
      return this.#error(req, err);
    }
    return outcomeOf(this.#answerScope, response, 200, method);
  }

  /** The wire answer to a refused or failed request, with its HTTP status. */
  refusal(id: JsonRpcRequest['id'] | null, err: unknown, method = ''): ModernOutcome {
    if (err instanceof EraError) return outcomeOf(this.#answerScope, errorResponse(id, err.toJSON()), err.httpStatus, method);
    if (err instanceof WireError) return outcomeOf(this.#answerScope, errorResponse(id, err.toJSON()), 200, method);
    // Named as the session era names it (dispatcher.ts), so the operator's line says where the failure was in either.
    if (internalError.hasSubscribers) internalError.publish({ error: err, method: method === '' ? undefined : method, origin: this.#server.origin } satisfies InternalErrorEvent);
    return outcomeOf(this.#answerScope, errorResponseOf(id, ErrorCode.InternalError, 'Internal error'), 200, method);
  }

  /**
   * The answer to a request refused before any handler ran (its admission failed, its method is unknown, its listen
   * could not start), published on `requestEnd` alone as the session era publishes its refusals: without it metrics
   * and logs missed every 2026-07-28 request refused with a 4xx.
   */
  refuse(req: JsonRpcRequest, err: unknown): ModernOutcome {
    const outcome = this.refusal(req.id, err, req.method);
    if (requestEnd.hasSubscribers) {
      const response = outcome.response;
      const event: RequestEvent = {
        sessionId: '', method: req.method, id: req.id, params: req.params,
        error: 'error' in response ? response.error : undefined, result: undefined, durationMs: 0, origin: this.#server.origin,
      };
      requestEnd.publish(event);
    }
    return outcome;
  }

  #error(req: JsonRpcRequest, err: unknown): ModernOutcome {
    // 2026-07-28 server/resources: a missing resource is -32602 ("MUST NOT emit -32002").
    if (err instanceof WireError && err.code === ErrorCode.ResourceNotFound) {
      return outcomeOf(this.#answerScope, errorResponseOf(req.id, ErrorCode.InvalidParams, err.message, err.data), 200, req.method);
    }
    return this.refusal(req.id, err, req.method);
  }

  /** `resultType`, the server's identity in `_meta`, and the cache hints of a complete cacheable result. */
  #finish(result: JsonObject, method: string, params: JsonObject, resultType: ResultType): JsonObject {
    // Object.assign, not a spread: on Node 20 a spread copy that then gains properties costs about 1.8 µs against
    // 0.1 µs (measured; it was 8% of a 2026-07-28 tools/call's CPU).
    // An own `__proto__` key (a result parsed from JSON) would reach Object.assign's setter: that rare case spreads.
    const out: JsonObject = Object.hasOwn(result, '__proto__') ? { ...result } : Object.assign({}, result);
    // Set, never defaulted: the server owns it (schema.json ResultType). A handler's own `resultType` went out as it
    // was, and "input_required" without the round's inputRequests or requestState, or a value that is neither,
    // left the client waiting for input rounds that do not exist or unable to parse the result.
    out.resultType = resultType;
    const info = this.#serverInfoMeta;
    if (info !== undefined) out._meta = result._meta === undefined ? info : { ...(result._meta as JsonObject), ...info };
    const kind = CACHEABLE[method];
    if (kind !== undefined && resultType === 'complete') {
      const hint = this.#hintOf(kind, params);
      out.ttlMs = hint.ttlMs;
      out.cacheScope = hint.scope;
    }
    return out;
  }

  /**
   * The hint of what resources/read served `uri` from, found as it finds it: the fixed resource, else the first
   * template that matches. A template's hint counts too: a per-user template registered `private` must not have its
   * reads labelled `public` (server/utilities/caching: caches MUST NOT be shared across authorization contexts).
   */
  #readHint(uri: string): CacheHint | undefined {
    const server = this.#server;
    if (server.resources.get(uri) !== undefined) return this.#hints.get('resources')?.get(uri);
    const byTemplate = this.#hints.get('templates');
    if (byTemplate === undefined || byTemplate.size === 0) return undefined;
    for (const entry of server.templates.values()) {
      if (entry.template.match(uri)) return byTemplate.get(entry.template.template);
    }
    return undefined;
  }

  /**
   * The hint of a list: the smallest ttlMs and the most private scope over the whole registry (the scope MUST be
   * the same on every page); of a read: the resource's own hint, else the configured one, but none that lets a
   * cache keep a read completed by an input round.
   */
  #hintOf(kind: string, params: JsonObject): Required<CacheHint> {
    const base = this.options.cache;
    if (kind === 'discover') return base;
    if (kind === 'read') {
      if (params.inputResponses !== undefined || params.requestState !== undefined) return UNCACHEABLE;
      const own = typeof params.uri === 'string' ? this.#readHint(params.uri) : undefined;
      return own === undefined ? base : { ttlMs: own.ttlMs ?? base.ttlMs, scope: own.scope ?? base.scope };
    }
    const byName = this.#hints.get(kind);
    if (byName === undefined || byName.size === 0) return base;
    const server = this.#server;
    const total = kind === 'tools' ? server.tools.size : kind === 'prompts' ? server.prompts.size : kind === 'resources' ? server.resources.size : server.templates.size;
    // Entries without a hint of their own count with the configured one.
    let ttlMs = byName.size < total ? base.ttlMs : Number.POSITIVE_INFINITY;
    let scope = base.scope;
    for (const h of byName.values()) {
      if (h.ttlMs !== undefined && h.ttlMs < ttlMs) ttlMs = h.ttlMs;
      if (h.scope === 'private') scope = 'private';
    }
    return { ttlMs: Number.isFinite(ttlMs) ? ttlMs : base.ttlMs, scope };
  }
}
