/**
 * The bound on open HTTP connections (`tcp.maxConnections`, the seed's `{max_connections, 10000}`), decided once per
 * connection as it is accepted, so that a request pays nothing for it.
 *
 * Node's own `server.maxConnections` destroys an excess socket at accept: the client sees a reset it cannot tell
 * from a crash, and retries at once or gives up. Here an excess connection is handed instead to a second
 * `node:http` server that never listens (node documents emitting 'connection' to inject a socket), which answers its
 * first request with an explicit refusal and closes it. Answering a request, rather than writing a response as soon
 * as the socket opens, is what a client can act on: HTTP/1.1 clients read a response only after writing a request,
 * and closing a socket whose request is still unread makes the kernel send a reset that can destroy the response
 * before the client reads it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { stringifyMessage } from '../../protocol/json-rpc.js';
import { OVERLOAD_RETRY_AFTER_MS, overloadedResponse } from '../../protocol/overload.js';
import { OVERLOAD_HEADERS } from './http-reply.js';
import { targetPath } from './absolute-form.js';

/** A handler of one fixed route, as `HttpTransport` serves it. */
type Route = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * How long a refused connection may stay open at most. A client sends its first request as soon as it has
 * connected, so this only ends a connection that sends nothing, or trickles its headers: left open, each such one
 * held a file descriptor beyond the bound for good, and enough of them were the very exhaustion the bound prevents.
 * As long as an idle keep-alive connection is kept.
 */
export const REFUSED_CONNECTION_DEADLINE_MS = 5_000;

/** Options of `ConnectionLimit`. */
export interface ConnectionLimitOptions {
  /** Connections open at once at most; trusted (the transport checked it). */
  maxConnections: number;
  /**
   * Routes answered even on a refused connection (then closed): health probes. A liveness probe refused at capacity
   * would have an orchestrator restart a server that is only busy.
   */
  routes: ReadonlyMap<string, Route>;
  /** See `REFUSED_CONNECTION_DEADLINE_MS`. */
  refusedDeadlineMs?: number;
}

/**
 * Takes over the 'connection' listener of a `node:http` server: `admit` passes a connection within the bound to it
 * and refuses any other. The owner calls `admit` from its own 'connection' listener, and `release` when an admitted
 * connection closes.
 */
export class ConnectionLimit {
  readonly #max: number;
  readonly #accept: (socket: Socket) => void;
  readonly #refusal: Server;
  readonly #deadlineMs: number;
  #open = 0;

  constructor(http: Server, options: ConnectionLimitOptions) {
    this.#max = options.maxConnections;
    this.#deadlineMs = options.refusedDeadlineMs ?? REFUSED_CONNECTION_DEADLINE_MS;
    this.#accept = takeConnectionListener(http);
    const routes = options.routes;
    const text = refusalText(options.maxConnections);
    // Built once: every refusal of this server is the same bytes.
    const headers = Object.freeze({
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...OVERLOAD_HEADERS,
      connection: 'close',
    });
    const answer = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void => {
      // As the serving side routes it: a probe through a proxy that sends the absolute form was refused here alone.
      const route = routes.get(targetPath(req.url));
      if (route !== undefined) {
        res.setHeader('connection', 'close');
        if (expectsContinue) res.writeContinue();
        return route(req, res);
      }
      res.writeHead(503, headers);
      res.end(text);
    };
    this.#refusal = createServer((req, res) => answer(req, res, false));
    // Left to node, `Expect: 100-continue` is answered 100 Continue first, and the client uploads a body only to be
    // refused; a refusal answers at once instead (RFC 9110 10.1.1: a final status in place of 100 is allowed).
    this.#refusal.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => answer(req, res, true));
  }

  /** Connections admitted and still open. */
  get open(): number {
    return this.#open;
  }

  /** Serves `socket` when within the bound and returns true; otherwise refuses it and returns false. */
  admit(socket: Socket): boolean {
    if (this.#open < this.#max) {
      this.#open++;
      this.#accept(socket);
      return true;
    }
    const deadline = setTimeout(() => socket.destroy(), this.#deadlineMs).unref();
    socket.once('close', () => clearTimeout(deadline));
    this.#refusal.emit('connection', socket);
    return false;
  }

  /** An admitted connection closed. */
  release(): void {
    this.#open--;
  }
}

/**
 * The body of a refusal: a JSON-RPC error with no id, since the request is never read (as http-reply.ts sends
 * refusals of bodies not parsed), and `data.retryAfterMs` for a client that reads JSON-RPC but not headers.
 */
function refusalText(maxConnections: number): string {
  const message = `Service Unavailable: this server holds its maximum of ${maxConnections} connections; retry on a new connection after ${OVERLOAD_RETRY_AFTER_MS} ms`;
  return stringifyMessage(overloadedResponse(null, message));
}

/**
 * Removes node:http's own 'connection' listener, which sets a socket up for HTTP, and returns it bound to the
 * server. A server made by `createServer` has exactly that one listener until its owner adds another; anything else
 * means node changed, and failing here is better than serving connections twice.
 */
function takeConnectionListener(http: Server): (socket: Socket) => void {
  const listeners = http.listeners('connection');
  const [listener] = listeners;
  if (listeners.length !== 1 || listener === undefined) {
    throw new Error(`ConnectionLimit: expected node:http's one 'connection' listener, found ${listeners.length}`);
  }
  http.removeListener('connection', listener as (socket: Socket) => void);
  return (socket) => {
    (listener as (this: Server, socket: Socket) => void).call(http, socket);
  };
}
