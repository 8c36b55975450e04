/**
 * The HTTP server of erlmcp: `node:http` with a fixed route table, no framework on the hot path.
 *
 * It owns the listener and the sockets; the MCP endpoint itself is `StreamableHttpHandler`. `close()` drains:
 * it stops accepting, waits (bounded) for requests in flight, then ends streams and destroys what is left, so
 * nothing outlives it (no socket, no timer).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  transportConnect, transportDisconnect, transportRefuse, type TransportConnectionEvent, type TransportRefusalEvent,
} from '../../diagnostics/channels.js';
import { CONFIG_DEFAULTS } from '../../config/config-defaults.js';
import { CONFIG_SCHEMA, MAX_TIMER_MS, type FieldSpec } from '../../config/config-schema.js';
import { checkValue, show } from '../../config/validate-config.js';
import { ErlmcpError } from '../../errors.js';
import type { McpServer } from '../../server/mcp-server.js';
import { targetPath } from './absolute-form.js';
import { ConnectionLimit } from './connection-limit.js';
import { buildOriginPolicy } from './http-guards.js';
import { refuse, refuseOverloaded, refuseTooLarge } from './http-reply.js';
import { StreamableHttpHandler } from './streamable-http.js';
import { listenOn, type ListenAddress } from './listen.js';

/** Options of the HTTP transport. */
export interface HttpTransportOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The MCP endpoint's path, such as `/mcp`. */
  path: string;
  /** Serve without sessions (no Mcp-Session-Id, no GET stream). */
  stateless: boolean;
  /** Origins allowed besides loopback ones. */
  allowedOrigins: string[];
  /** Host header names allowed; empty allows loopback names when bound to loopback, and any name otherwise. */
  allowedHosts: string[];
  /** Larger POST bodies are refused with 413. */
  maxBodyBytes: number;
  /**
   * Connections open at once at most (config `tcp.maxConnections`, default 10000). The first request of one beyond
   * it is answered 503 with Retry-After and an Overloaded error, and the connection closed (connection-limit.ts).
   */
  maxConnections?: number;
  /** The `retry:` hint of SSE priming events. Default 1000 ms. */
  sseRetryMs?: number;
  /**
   * Interval of the keep-alive comments on SSE streams that stay open: a session's GET stream, the stream of a
   * handler still running, a 2026-07-28 `subscriptions/listen` stream. Quiet, they get cut by proxies' idle
   * timeouts, and a client that vanished goes unnoticed. Default 15 s.
   */
  sseKeepAliveMs?: number;
  /** `auto` (default): JSON unless the handler streams; `sse`: every request is answered with an SSE stream. */
  responseMode?: 'auto' | 'sse';
  /**
   * Routes served beside the MCP endpoint, by exact path (`/health`, `/live`, `/ready`). Each handler owns the
   * response. A route on the MCP path is ignored.
   */
  routes?: ReadonlyMap<string, HttpRoute>;
}

/** A handler of one fixed route. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => void;

export type { ListenAddress };

const SERVER_KEYS = CONFIG_SCHEMA.keys.server.keys;

/**
 * Each option and the config key whose rule it shares (`server.*`, `limits.maxBodyBytes`, `tcp.maxConnections`),
 * so the API and the config file refuse the same values; optional ones are checked when given.
 */
const OPTION_SPECS: readonly (readonly [keyof HttpTransportOptions, FieldSpec, boolean])[] = [
  ['host', SERVER_KEYS.host, false],
  ['port', SERVER_KEYS.port, false],
  ['path', SERVER_KEYS.path, false],
  ['stateless', SERVER_KEYS.stateless, false],
  ['allowedOrigins', SERVER_KEYS.allowedOrigins, false],
  ['allowedHosts', SERVER_KEYS.allowedHosts, false],
  ['maxBodyBytes', CONFIG_SCHEMA.keys.limits.keys.maxBodyBytes, false],
  ['maxConnections', CONFIG_SCHEMA.keys.tcp.keys.maxConnections, true],
  ['sseRetryMs', { kind: 'integer', min: 0, max: MAX_TIMER_MS }, true],
  // Checked once here, not per stream: setInterval turns 0, a negative or a too long delay into 1 ms.
  ['sseKeepAliveMs', SERVER_KEYS.sseKeepAliveMs, true],
  ['responseMode', SERVER_KEYS.responseMode, true],
];

/** The options without a default, as a message lists them: "host, port, ... and maxBodyBytes". */
const REQUIRED_KEYS = OPTION_SPECS.filter(([, , optional]) => !optional).map(([key]) => key);
const REQUIRED_OPTIONS = `${REQUIRED_KEYS.slice(0, -1).join(', ')} and ${REQUIRED_KEYS.at(-1)}`;

/**
 * Refuses bad options by name. A JavaScript caller (or a config mapped by hand) could pass anything: a missing or
 * NaN `maxBodyBytes` turned the body limit off (every comparison with NaN is false), `responseMode: 'SSE'` meant
 * `auto`, and an empty host bound every interface with the Host check off.
 */
function checkOptions(o: HttpTransportOptions): void {
  // Required, as the type and the README's example have them: a server's address is not guessed. Left to the loop,
  // `new HttpTransport(server)` threw a bare TypeError reading `host` of undefined.
  if (typeof o !== 'object' || o === null) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `options must be an object with ${REQUIRED_OPTIONS}, got ${show(o)}`);
  }
  const problems = OPTION_SPECS.flatMap(([key, spec, optional]) => (optional && o[key] === undefined ? [] : checkValue(o[key], spec, `options.${key}`)));
  if (o.routes !== undefined && !(o.routes instanceof Map)) problems.push('options.routes must be a Map of path to handler');
  if (problems.length > 0) throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', problems.join('; '));
}

/** Serves one McpServer over Streamable HTTP. */
export class HttpTransport {
  readonly #options: HttpTransportOptions;
  readonly #mcp: StreamableHttpHandler;
  readonly #http: Server;
  readonly #sockets = new Set<Socket>();
  readonly #routes: ReadonlyMap<string, HttpRoute>;
  readonly #limit: ConnectionLimit;
  #closing: Promise<void> | undefined;

  /** Throws `ERLMCP_ERR_INVALID_ARGUMENT` naming every bad option; `options` is required, its address has no default. */
  constructor(server: McpServer, options: HttpTransportOptions) {
    checkOptions(options);
    this.#options = Object.freeze({ ...options });
    this.#routes = new Map(options.routes ?? []);
    this.#mcp = new StreamableHttpHandler(server, {
      stateless: options.stateless,
      responseMode: options.responseMode ?? 'auto',
      maxBodyBytes: options.maxBodyBytes,
      sseRetryMs: options.sseRetryMs ?? 1000,
      sseKeepAliveMs: options.sseKeepAliveMs,
      originPolicy: buildOriginPolicy(options.allowedOrigins, options.allowedHosts, options.host),
    });
    this.#http = createServer((req, res) => this.#route(req, res));
    this.#http.keepAliveTimeout = 5_000;
    // Left to node, `Expect: 100-continue` is answered 100 Continue before any check: a client (curl does this for
    // any body over 1 KB) then uploads a body the endpoint refuses for its size. The declared size is checked first.
    this.#http.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      if (Number(req.headers['content-length']) > options.maxBodyBytes) return refuseTooLarge(res, options.maxBodyBytes);
      res.writeContinue();
      this.#route(req, res);
    });
    const maxConnections = options.maxConnections ?? CONFIG_DEFAULTS.tcp.maxConnections;
    this.#limit = new ConnectionLimit(this.#http, {
      maxConnections,
      // As #route ignores a route on the MCP path, so does the refusal: an MCP request is never answered 200 there.
      routes: new Map([...this.#routes].filter(([path]) => path !== options.path)),
    });
    const origin = server.origin;
    // Every refusal of this transport says the same: one event, so a storm of refusals allocates none.
    const refusal = Object.freeze({ transport: 'http', reason: 'max-connections', limit: maxConnections, origin } satisfies TransportRefusalEvent);
    this.#http.on('connection', (socket: Socket) => {
      // A refused connection is still tracked, so that close() leaves none open, but it is not a connection served:
      // the connect and disconnect events (and the connection gauges fed by them) count admitted ones only.
      this.#sockets.add(socket);
      if (!this.#limit.admit(socket)) {
        socket.once('close', () => this.#sockets.delete(socket));
        if (transportRefuse.hasSubscribers) transportRefuse.publish(refusal);
        return;
      }
      socket.once('close', () => {
        this.#sockets.delete(socket);
        this.#limit.release();
        if (transportDisconnect.hasSubscribers) transportDisconnect.publish({ transport: 'http', socket, origin } satisfies TransportConnectionEvent);
      });
      if (transportConnect.hasSubscribers) transportConnect.publish({ transport: 'http', socket, origin } satisfies TransportConnectionEvent);
    });
  }

  /** Requests being handled now. */
  get inFlight(): number {
    return this.#mcp.inFlight;
  }

  /** Open sockets, for leak checks. */
  get socketCount(): number {
    return this.#sockets.size;
  }

  /** The underlying `node:http` server, for routes added by later layers. */
  get httpServer(): Server {
    return this.#http;
  }

  /** Starts listening; resolves with the bound address. */
  listen(): Promise<ListenAddress> {
    return listenOn(this.#http, this.#options.host, this.#options.port, this.#options.path);
  }

  /**
   * Stops accepting, waits up to `graceMs` for requests in flight, then ends streams and closes every socket.
   * Sessions are the McpServer's: close it afterwards. Idempotent.
   */
  close(graceMs = 10_000): Promise<void> {
    this.#closing ??= this.#drain(graceMs);
    return this.#closing;
  }

  async #drain(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#http.close(() => resolve()));
    this.#http.closeIdleConnections();
    const deadline = Date.now() + graceMs;
    await pollUntil(() => this.#mcp.inFlight === 0, deadline);
    this.#mcp.closeStreams();
    // An answer given is not yet an answer sent: a large one may still be in node's buffer for a client that reads
    // slowly, and a pipelined one waits in node's queue until the one before it is written. Destroying the socket as
    // soon as nothing was in flight cut both, after the work was done.
    await pollUntil(() => !this.#anySocketWriting(), deadline);
    // A destroyed socket emits 'close' only once libuv has closed its handle, which can be after the server's own
    // 'close' (emitted as soon as its connection count drops): wait for each, so nothing is open when this resolves.
    const socketsClosed = [...this.#sockets].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all([closed, ...socketsClosed]);
  }

  #anySocketWriting(): boolean {
    for (const socket of this.#sockets) if (writing(socket)) return true;
    return false;
  }

  #route(req: IncomingMessage, res: ServerResponse): void {
    if (this.#closing !== undefined && refusedWhileDraining(res)) return;
    if (res.socket === null) closeWithConnection(req, res);
    const path = targetPath(req.url);
    if (path === this.#options.path) return this.#mcp.handle(req, res);
    const route = this.#routes.get(path);
    if (route !== undefined) return route(req, res);
    refuse(res, 404, `Not Found: ${path}; the MCP endpoint is ${this.#options.path}`);
  }
}

/**
 * A request that arrives on an open connection while the transport drains is served (it may be a client's answer
 * to a request in flight, an elicitation), but its answer closes the connection: left keep-alive, the client went
 * on sending, the drain ran to its deadline, and the last requests written were cut unanswered. One pipelined behind
 * another answer is refused (503) without being run: node drops whatever is queued behind an answer that closes the
 * connection, so run, it would be work done and never answered. True when refused.
 */
function refusedWhileDraining(res: ServerResponse): boolean {
  res.setHeader('connection', 'close');
  if (res.socket !== null) return false;
  refuseOverloaded(res, 'Service Unavailable: the server is shutting down');
  return true;
}

/**
 * A response pipelined behind another has no socket until the one before it is written, and node gives it no
 * 'close' when the connection dies first. What holds a long-lived answer (a GET stream and its session pin, a
 * listen, the abort of a running 2026-07-28 handler) lets go on 'close': without one, a client that pipelined a GET
 * and left kept its session's stream taken (every later GET a 409) and the session busy, never idle, for good, and
 * a queued listen stayed in the hub. Only pipelined requests come here (`res.socket` is null), never the common path.
 */
function closeWithConnection(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  const gone = (): void => {
    // Attached by now, node emits the response's 'close' itself.
    if (res.socket !== null || res.writableFinished) return;
    res.destroy();
    res.emit('close');
  };
  socket.once('close', gone);
  res.once('close', () => socket.off('close', gone));
}

/** A server socket as node:http keeps it: `_httpMessage` is the response it writes now, null between responses. */
type HttpSocket = Socket & { _httpMessage?: ServerResponse | null };

/**
 * True while a socket has an answer still to write: bytes not yet handed to the kernel, or a response attached (a
 * response queued behind it is attached by node in the same tick the one before it finishes).
 */
function writing(socket: HttpSocket): boolean {
  return socket.writableLength > 0 || (socket._httpMessage !== null && socket._httpMessage !== undefined);
}

/** Resolves once `done()` is true or `deadline` (epoch ms) has passed, checking every 10 ms. */
async function pollUntil(done: () => boolean, deadline: number): Promise<void> {
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}
