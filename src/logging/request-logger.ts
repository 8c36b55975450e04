/**
 * Structured logs with pino: one JSON object per line on stderr (stdout carries the protocol in stdio mode), at
 * the level the config sets. It subscribes to the diagnostics channels, so the core never calls a logger:
 *
 * - `warn` "slow request" for a request that took `slowRequestMs` or more, naming the method, the tool (for
 *   tools/call), the session and the duration;
 * - `warn` for errors a handler recorded through `ctx.metrics.recordError`, with their message;
 * - `warn` for connections a transport refused (`tcp.maxConnections`), naming the transport, the reason and the
 *   limit, at most one line per transport and reason per 10 s in a storm of them (refusal-log.ts);
 * - `debug` for every request, session open and close, and transport connection.
 *
 * Given the server's `origin`, it logs that server's events only, whatever else the process serves. pino is
 * imported only when a logger is created, which `erlmcp serve` skips at level `silent` (STYLE rule 8).
 */
import type { Logger, LevelWithSilent } from 'pino';
import {
  requestEnd, sessionClose, sessionOpen, transportConnect, transportDisconnect, transportRefuse, userMetric,
  type EventOrigin, type RequestEvent, type SessionCloseEvent, type SessionOpenEvent, type TransportConnectionEvent,
} from '../diagnostics/channels.js';
import { Subscriptions } from '../diagnostics/subscriptions.js';
import type { UserMetricEvent } from '../diagnostics/user-metrics.js';
import { RefusalLog } from './refusal-log.js';

/** The levels `logging.level` takes. */
export const LOG_LEVELS: readonly LevelWithSilent[] = Object.freeze(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Options of `RequestLogger.create`. */
export interface RequestLoggerOptions {
  level: LevelWithSilent;
  /** Requests taking at least this long are logged at `warn`. */
  slowRequestMs: number;
  /** The window of refusal lines (refusal-log.ts); default `REFUSAL_LOG_WINDOW_MS`. */
  refusalLogWindowMs?: number;
  /** Where lines go; default `process.stderr`. */
  destination?: NodeJS.WritableStream;
  /** Bound into every line, such as `{ version }`. */
  base?: Record<string, unknown>;
  /** The server logged (`McpServer.origin`); without it, every server of the process. */
  origin?: EventOrigin;
}

/** A pino logger subscribed to erlmcp's diagnostics channels. */
export class RequestLogger {
  /** The pino logger, for the process's own lines. */
  readonly logger: Logger;
  readonly #slowRequestMs: number;
  readonly #subscriptions: Subscriptions;
  readonly #refusals: RefusalLog;

  private constructor(logger: Logger, slowRequestMs: number, origin: EventOrigin | undefined, refusalWindowMs: number | undefined) {
    this.logger = logger;
    this.#slowRequestMs = slowRequestMs;
    this.#subscriptions = new Subscriptions(origin);
    this.#refusals = new RefusalLog(logger, refusalWindowMs);
    this.#subscriptions
      .on(requestEnd, this.#onRequestEnd)
      .on(userMetric, this.#onUserMetric)
      .on(transportRefuse, this.#refusals.record);
    if (logger.isLevelEnabled('debug')) {
      this.#subscriptions
        .on(sessionOpen, (e: SessionOpenEvent) => logger.debug({ sessionId: e.sessionId, transport: e.transport }, 'session opened'))
        .on(sessionClose, (e: SessionCloseEvent) => logger.debug({ sessionId: e.sessionId, reason: e.reason }, 'session ended'))
        .on(transportConnect, (e: TransportConnectionEvent) => logger.debug({ transport: e.transport, remote: e.socket?.remoteAddress }, 'connection opened'))
        .on(transportDisconnect, (e: TransportConnectionEvent) => logger.debug({ transport: e.transport, remote: e.socket?.remoteAddress }, 'connection closed'));
    }
  }

  /** Loads pino and subscribes. */
  static async create(options: RequestLoggerOptions): Promise<RequestLogger> {
    const { pino } = await import('pino');
    // process.stderr, not a synchronous SonicBoom on fd 2: once a pipe nobody reads is full (a stdio client MAY
    // ignore stderr, basic/transports), SonicBoom's sync mode retries EAGAIN in a sleep loop that blocks the event
    // loop for good, so the server answered nothing more and no longer ran its SIGTERM handler. The stream queues
    // the line instead, and shares EPIPE handling and ordering with the CLI's own stderr lines.
    const destination = options.destination ?? process.stderr;
    const logger = pino({ level: options.level, base: { pid: process.pid, ...options.base } }, destination);
    return new RequestLogger(logger, options.slowRequestMs, options.origin, options.refusalLogWindowMs);
  }

  /** Unsubscribes, and logs the refusals counted but not yet logged. Idempotent. */
  close(): void {
    this.#subscriptions.close();
    this.#refusals.close();
  }

  #onRequestEnd = (e: RequestEvent): void => {
    const durationMs = e.durationMs ?? 0;
    const slow = durationMs >= this.#slowRequestMs;
    if (!slow && !this.logger.isLevelEnabled('debug')) return;
    const tool = e.method === 'tools/call' && typeof e.params?.name === 'string' ? e.params.name : undefined;
    const fields = {
      method: e.method, tool, sessionId: e.sessionId, requestId: e.id,
      durationMs: Math.round(durationMs * 1000) / 1000, errorCode: e.error?.code,
    };
    if (slow) this.logger.warn({ ...fields, slowRequestMs: this.#slowRequestMs }, 'slow request');
    else this.logger.debug(fields, 'request');
  };

  #onUserMetric = (e: UserMetricEvent): void => {
    if (e.kind === 'error') this.logger.warn({ type: e.type, message: e.message }, 'handler recorded an error');
  };
}
