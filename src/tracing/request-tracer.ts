/**
 * A span per MCP request through `@opentelemetry/api`, when the process has an OpenTelemetry SDK registered
 * (a global tracer provider, as `NodeSDK.start()` or `provider.register()` leaves). The parent comes from the
 * request's `params._meta`: `traceparent` and `tracestate` (W3C Trace Context), the carrier MCP clients use.
 *
 * Without a registered SDK nothing is loaded: `sdkRegistered()` reads the API's global slot without importing
 * the API (STYLE rules 7 and 8).
 */
import type * as Otel from '@opentelemetry/api';
import { requestEnd, requestStart, type EventOrigin, type RequestEvent } from '../diagnostics/channels.js';
import { Subscriptions } from '../diagnostics/subscriptions.js';
import type { JsonObject } from '../protocol/json-rpc.js';

/** Where `@opentelemetry/api` 1.x keeps its registrations (its `global-utils`). */
const OTEL_GLOBAL = Symbol.for('opentelemetry.js.api.1');
// W3C Trace Context section 3.2: version-traceid-parentid-flags, lower-case hex, all-zero ids invalid.
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** True when an OpenTelemetry tracer provider has been registered globally in this process. */
export function sdkRegistered(): boolean {
  const slot = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[OTEL_GLOBAL];
  return slot?.trace !== undefined;
}

const metaGetter: Otel.TextMapGetter<JsonObject> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    return typeof value === 'string' ? value : undefined;
  },
};

/** Opens a span on `erlmcp:request:start` and ends it on `erlmcp:request:end`. */
export class RequestTracer {
  readonly #api: typeof Otel;
  readonly #tracer: Otel.Tracer;
  readonly #spans = new WeakMap<RequestEvent, Otel.Span>();
  readonly #subscriptions: Subscriptions;

  private constructor(api: typeof Otel, version: string, origin: EventOrigin | undefined) {
    this.#api = api;
    this.#tracer = api.trace.getTracer('erlmcp', version);
    this.#subscriptions = new Subscriptions(origin);
    this.#subscriptions.on(requestStart, this.#onStart).on(requestEnd, this.#onEnd);
  }

  /**
   * Subscribes when an SDK is registered; otherwise loads nothing and resolves undefined. With `origin`
   * (`McpServer.origin`), only that server's requests get spans; without it, every server's in the process.
   */
  static async create(version: string, origin?: EventOrigin): Promise<RequestTracer | undefined> {
    if (!sdkRegistered()) return undefined;
    const api = await import('@opentelemetry/api');
    return new RequestTracer(api, version, origin);
  }

  /** Unsubscribes. Idempotent. */
  close(): void {
    this.#subscriptions.close();
  }

  #onStart = (e: RequestEvent): void => {
    const api = this.#api;
    const tool = e.method === 'tools/call' && typeof e.params?.name === 'string' ? e.params.name : undefined;
    const attributes: Otel.Attributes = { 'mcp.method.name': e.method, 'jsonrpc.request.id': String(e.id) };
    // A 2026-07-28 request or a stateless server's has no session (its event carries ''); the semantic conventions
    // set mcp.session.id only for a request that is part of one.
    if (e.sessionId !== '') attributes['mcp.session.id'] = e.sessionId;
    if (tool !== undefined) attributes['gen_ai.tool.name'] = tool;
    const span = this.#tracer.startSpan(
      tool === undefined ? e.method : `${e.method} ${tool}`,
      { kind: api.SpanKind.SERVER, attributes },
      this.#parent(e.params?._meta),
    );
    this.#spans.set(e, span);
  };

  #onEnd = (e: RequestEvent): void => {
    const span = this.#spans.get(e);
    if (span === undefined) return;
    this.#spans.delete(e);
    if (e.error !== undefined) {
      span.setAttribute('rpc.jsonrpc.error_code', e.error.code);
      span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: e.error.message });
    } else if (e.method === 'tools/call' && e.result?.isError === true) {
      // A failed tool answers with a result, not an error: the MCP semantic conventions mark its span failed with
      // error.type tool_error, as erlmcp_tool_calls_total counts it (an OK span hid every failing tool).
      span.setAttribute('error.type', 'tool_error');
      span.setStatus({ code: this.#api.SpanStatusCode.ERROR });
    }
    span.end();
  };

  /** The parent context from `_meta`: the registered propagator's reading, else the W3C traceparent itself. */
  #parent(meta: unknown): Otel.Context {
    const api = this.#api;
    const root = api.ROOT_CONTEXT;
    if (meta === null || typeof meta !== 'object') return root;
    const carrier = meta as JsonObject;
    const extracted = api.propagation.extract(root, carrier, metaGetter);
    if (api.trace.getSpanContext(extracted) !== undefined) return extracted;
    const match = typeof carrier.traceparent === 'string' ? TRACEPARENT.exec(carrier.traceparent) : null;
    if (match === null) return root;
    const [, traceId, spanId, flags] = match as unknown as [string, string, string, string];
    const context: Otel.SpanContext = { traceId, spanId, traceFlags: Number.parseInt(flags, 16), isRemote: true };
    if (typeof carrier.tracestate === 'string') context.traceState = api.createTraceState(carrier.tracestate);
    return api.isSpanContextValid(context) ? api.trace.setSpanContext(root, context) : root;
  }
}
