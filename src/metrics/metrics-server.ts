/**
 * The metrics listener: `GET /metrics` in Prometheus text format on its own port (8081 by default, seed
 * "Prometheus Metrics" scrapes `erlmcp:8081`), apart from MCP so scrapes never queue behind MCP traffic and the
 * port can stay private. It answers the health routes too, for probes that should not go through the MCP port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HealthRoute } from './health.js';
import type { ServerMetrics } from './server-metrics.js';
import { listenOn } from '../transport/http/listen.js';

/** Options of a `MetricsServer`. */
export interface MetricsServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Path of the exposition, such as `/metrics`. */
  path: string;
  /** Routes served beside it (`/health`, `/live`, `/ready`). */
  routes?: ReadonlyMap<string, HealthRoute>;
}

/** Serves one `ServerMetrics` over HTTP. */
export class MetricsServer {
  readonly #metrics: ServerMetrics;
  readonly #options: MetricsServerOptions;
  readonly #http: Server;
  readonly #sockets = new Set<Socket>();
  #closing: Promise<void> | undefined;

  constructor(metrics: ServerMetrics, options: MetricsServerOptions) {
    this.#metrics = metrics;
    this.#options = Object.freeze({ ...options });
    this.#http = createServer((req, res) => this.#route(req, res));
    this.#http.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** Starts listening; resolves with the exposition's URL and the bound port. */
  async listen(): Promise<{ url: string; port: number }> {
    const { url, port } = await listenOn(this.#http, this.#options.host, this.#options.port, this.#options.path);
    return { url, port };
  }

  /** Stops listening and closes every socket. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#http.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
    });
    return this.#closing;
  }

  #route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path === this.#options.path) {
      // Another method fell through to the 404 below, which then said the metrics are at the very path asked for.
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' });
        res.end(`Method Not Allowed: ${req.method ?? ''}; use GET\n`);
        return;
      }
      this.#metrics.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': this.#metrics.contentType });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`metrics collection failed: ${String(err)}\n`);
        },
      );
      return;
    }
    const route = this.#options.routes?.get(path);
    if (route !== undefined) return route(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`Not Found: ${path}; metrics are at ${this.#options.path}\n`);
  }
}
