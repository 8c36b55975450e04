/**
 * Streamable HTTP for 2026-07-28 requests (basic/transports/streamable-http), on the same endpoint as the
 * session era: `StreamableHttpHandler` hands over every POST that `isModernMarked` picks out. Each POST is one
 * self-contained request: no session id is read or minted, and `Last-Event-ID` is ignored.
 *
 * Checks run in the order the spec's status table and conformance pin (body shape, version header, `_meta`,
 * header/`_meta` agreement, offered version, log level, `Mcp-Method`/`Mcp-Name`, method, `Mcp-Param-*`), and each
 * refusal carries the request id and its status (400, or 404 for an unknown method). An answer is JSON unless
 * the handler streams first (progress, logs), or `responseMode` is `sse`; either way a 4xx refusal stays JSON. SSE
 * here has no event ids, no priming event and no `retry:` (the era has no resumption), and closing it cancels
 * the request. `subscriptions/listen` holds its POST's stream open for notifications.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EraError, headerMismatch, isModernMarked, unsupportedProtocolVersion } from '../../protocol/era.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import {
  MessageKind, classify, errorResponseOf, readableId, resultResponse,
  type JsonRpcMessage, type JsonRpcRequest,
} from '../../protocol/json-rpc.js';
import type { Subscription } from '../../server/listen-hub.js';
import type { Admitted, ModernEra, ModernOutcome } from '../../server/modern-dispatch.js';
import type { McpServer } from '../../server/mcp-server.js';
import { accepted, replyJson, replyOverloadedText, replySseBody, replyText } from './http-reply.js';
import { validateParamHeaders, validateStandardHeaders } from './mcp-headers.js';
import { dataFrame, sseFrame } from './sse-stream.js';

/**
 * Headers of a 2026-07-28 SSE answer; proxies are asked not to buffer it (the spec's SHOULD). No `Connection`
 * header, as in `SSE_HEADERS`.
 */
export const MODERN_SSE_HEADERS = Object.freeze({
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
});

/** Options of the stateless-era endpoint. */
export interface ModernHttpOptions {
  readonly responseMode: 'auto' | 'sse';
  /** Interval of the `:` comment lines that keep a listen stream's connection alive. */
  readonly keepAliveMs: number;
}

/** The default keep-alive interval of listen streams. */
export const DEFAULT_SSE_KEEP_ALIVE_MS = 15_000;

function openStream(res: ServerResponse): void {
  res.writeHead(200, MODERN_SSE_HEADERS);
  res.flushHeaders();
}

/** Serves the 2026-07-28 POSTs of one endpoint. */
export class ModernHttpEndpoint {
  readonly #server: McpServer;
  readonly #era: ModernEra;
  readonly #options: ModernHttpOptions;
  /** The graceful closers of this endpoint's listen streams: other transports of the server keep theirs. */
  readonly #listens = new Set<() => void>();

  constructor(server: McpServer, era: ModernEra, options: ModernHttpOptions) {
    this.#server = server;
    this.#era = era;
    this.#options = options;
  }

  /** Answers one decoded POST body (`text` is what it was decoded from); a promise only when the handler did not answer at once. Never rejects. */
  post(req: IncomingMessage, res: ServerResponse, value: unknown, text: string): void | Promise<void> {
    const kind = Array.isArray(value) ? MessageKind.Invalid : classify(value);
    if (kind === MessageKind.Notification) return accepted(res);
    if (kind !== MessageKind.Request) {
      return replyJson(res, 400, errorResponseOf(readableId(value), ErrorCode.InvalidRequest, 'Invalid Request: a 2026-07-28 POST carries one JSON-RPC request or notification'));
    }
    const request = value as JsonRpcRequest;
    let admitted: Admitted;
    try {
      admitted = this.#admit(req, request, text);
    } catch (err) {
      return this.#reply(res, this.#era.refuse(request, err));
    }
    if (request.method === 'subscriptions/listen') return this.#listen(res, request);
    let stream = false;
    const outlet = (message: JsonRpcMessage): void => {
      if (res.writableEnded || res.destroyed) return;
      if (!stream) {
        stream = true;
        openStream(res);
      }
      res.write(sseFrame(message));
    };
    // Closing the response before the answer cancels the request (the transport's "Cancellation"); the era binds
    // this only for a handler still running after its first tick.
    const bind = (abort: (reason: Error) => void): void => {
      res.once('close', () => {
        if (!res.writableFinished) abort(new Error('The client closed the request stream'));
      });
    };
    const outcome = this.#era.dispatch(request, admitted, outlet, bind);
    // No closure for an answer given at once, nearly every one.
    if (!(outcome instanceof Promise)) return this.#deliver(res, outcome, stream);
    return outcome.then((settled) => this.#deliver(res, settled, stream));
  }

  /** Writes the answer: last on the stream the handler opened (which then ends), or as the whole body. */
  #deliver(res: ServerResponse, outcome: ModernOutcome, stream: boolean): void {
    if (stream) {
      if (!res.writableEnded) res.end(dataFrame(outcome.text, undefined));
      return;
    }
    if (this.#options.responseMode === 'sse' && outcome.status === 200) return replySseBody(res, dataFrame(outcome.text, undefined));
    this.#reply(res, outcome);
  }

  /** Steps 2 to 9 of the admission order; throws an `EraError`. */
  #admit(req: IncomingMessage, request: JsonRpcRequest, text: string): Admitted {
    if (request.method === 'initialize' && !isModernMarked(request, req.headers['mcp-protocol-version'])) {
      // A legacy client's handshake, here because the server offers no session era: it has no way forward, so the
      // error names the versions offered (basic/versioning, "Backward Compatibility with Initialization-Based
      // Versions"). An initialize in the stateless era's shape is an unknown method (-32601, 404) like any other.
      const requested = request.params?.protocolVersion;
      throw unsupportedProtocolVersion(typeof requested === 'string' ? requested : '', this.#era.options.supported);
    }
    const version = req.headers['mcp-protocol-version'];
    if (typeof version !== 'string') throw headerMismatch('the MCP-Protocol-Version header is required');
    const admitted = this.#era.admit(request.params, version, text);
    validateStandardHeaders(req.headers, request);
    if (!this.#era.knows(request.method)) {
      throw new EraError(ErrorCode.MethodNotFound, `Method not found: ${request.method}`, 404);
    }
    if (request.method === 'tools/call') {
      const name = request.params?.name;
      const tool = typeof name === 'string' ? this.#server.tools.get(name) : undefined;
      if (tool !== undefined) validateParamHeaders(req.headers, tool, request.params?.arguments ?? {});
    }
    return admitted;
  }

  #reply(res: ServerResponse, outcome: ModernOutcome): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    // A 2026-07-28 503 is an Overloaded refusal (a listen while the server closes): its Retry-After goes with it.
    if (outcome.status === 503) return replyOverloadedText(res, outcome.text);
    replyText(res, outcome.status, outcome.text);
  }

  /**
   * `subscriptions/listen`: the acknowledgement first, then the notifications the client opted in to, until the
   * client closes the stream; at shutdown, the graceful result ends it.
   */
  #listen(res: ServerResponse, request: JsonRpcRequest): void {
    let timer: NodeJS.Timeout | undefined;
    const send = (message: JsonRpcMessage): void => {
      if (!res.writableEnded) res.write(sseFrame(message));
    };
    let sub: Subscription;
    const end = (): void => {
      clearInterval(timer);
      if (!res.writableEnded) res.end(sseFrame(resultResponse(request.id, sub.finalResult)));
    };
    try {
      sub = this.#era.listen.subscribe(request.id, request.params ?? {}, send, end);
    } catch (err) {
      return this.#reply(res, this.#era.refuse(request, err));
    }
    this.#listens.add(end);
    openStream(res);
    send(sub.ack);
    timer = setInterval(() => res.write(':\n\n'), this.#options.keepAliveMs);
    timer.unref();
    res.once('close', () => {
      clearInterval(timer);
      this.#listens.delete(end);
      sub.close();
    });
  }

  /** Ends this endpoint's listen streams with their graceful result (the transport is closing). */
  closeStreams(): void {
    for (const end of [...this.#listens]) end();
    this.#listens.clear();
  }
}
