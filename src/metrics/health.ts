/**
 * Health of one erlmcp process, for load balancers, Kubernetes and the seed's load test (its JMeter plan samples
 * `GET /health`).
 *
 * - `/health`: JSON `{ status, version, uptime, sessions, checks }`, 200 when every configured dependency check
 *   passes and the process is not draining, else 503. Each check runs with a timeout, so a hung dependency makes
 *   the answer fail rather than hang.
 * - `/live`: 200 while the process answers at all (Kubernetes liveness: restart only a wedged process).
 * - `/ready`: 200 until graceful shutdown starts, then 503 (Kubernetes readiness: stop routing new work here
 *   while in-flight work drains).
 *
 * This file does not load prom-client: health works with metrics off.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A dependency check: resolves when healthy, rejects (or times out) when not. */
export type HealthCheck = () => Promise<unknown>;

/** Options of a `Health`. */
export interface HealthOptions {
  /** Reported as `version`. */
  version: string;
  /** Sessions live in this process, reported as `sessions`. */
  sessions: () => number;
  /** Dependency checks by name (`sessionStore`, later `redis`, `database`). */
  checks?: ReadonlyMap<string, HealthCheck>;
  /** A check that has not settled after this long fails. Default 2000 ms. */
  checkTimeoutMs?: number;
}

/** One check's result in the `/health` body. */
export interface CheckReport {
  status: 'ok' | 'failing';
  durationMs: number;
  error?: string;
}

/** The `/health` body. */
export interface HealthReport {
  status: 'ok' | 'failing' | 'draining';
  version: string;
  /** Seconds since this `Health` was created (the server's start). */
  uptime: number;
  sessions: number;
  checks: Record<string, CheckReport>;
}

/** A handler of one route. */
export type HealthRoute = (req: IncomingMessage, res: ServerResponse) => void;

const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json', 'cache-control': 'no-store' });
const LIVE_BODY = JSON.stringify({ status: 'ok' });
const READY_BODY = JSON.stringify({ status: 'ready' });
const DRAINING_BODY = JSON.stringify({ status: 'draining' });

/** The health state of the process and its probe routes. */
export class Health {
  readonly #options: Required<HealthOptions>;
  readonly #startedAt = performance.now();
  #draining = false;

  constructor(options: HealthOptions) {
    this.#options = { checks: new Map(), checkTimeoutMs: 2000, ...options };
  }

  /** True once `startDraining()` was called. */
  get draining(): boolean {
    return this.#draining;
  }

  /** Marks the process as shutting down: `/ready` and `/health` answer 503 from now on. */
  startDraining(): void {
    this.#draining = true;
  }

  /** Runs every check and builds the `/health` body. */
  async report(): Promise<HealthReport> {
    const checks: Record<string, CheckReport> = {};
    await Promise.all([...this.#options.checks].map(async ([name, check]) => {
      checks[name] = await this.#run(check);
    }));
    const failing = Object.values(checks).some((c) => c.status !== 'ok');
    return {
      status: this.#draining ? 'draining' : failing ? 'failing' : 'ok',
      version: this.#options.version,
      uptime: Math.round(performance.now() - this.#startedAt) / 1000,
      sessions: this.#options.sessions(),
      checks,
    };
  }

  /** `/health`, `/live` and `/ready`, for an HTTP route table. */
  routes(): ReadonlyMap<string, HealthRoute> {
    return new Map<string, HealthRoute>([
      ['/health', (req, res) => {
        if (!readOnly(req, res)) return;
        this.report().then(
          (report) => send(res, report.status === 'ok' ? 200 : 503, JSON.stringify(report)),
          (err: unknown) => send(res, 503, JSON.stringify({ status: 'failing', error: String(err) })),
        );
      }],
      ['/live', (req, res) => {
        if (readOnly(req, res)) send(res, 200, LIVE_BODY);
      }],
      ['/ready', (req, res) => {
        if (readOnly(req, res)) send(res, this.#draining ? 503 : 200, this.#draining ? DRAINING_BODY : READY_BODY);
      }],
    ]);
  }

  async #run(check: HealthCheck): Promise<CheckReport> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = this.#options.checkTimeoutMs;
    try {
      await Promise.race([
        check(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          timer.unref();
        }),
      ]);
      return { status: 'ok', durationMs: elapsed(started) };
    } catch (err) {
      return { status: 'failing', durationMs: elapsed(started), error: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

function readOnly(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  res.writeHead(405, { ...JSON_HEADERS, allow: 'GET, HEAD' });
  res.end(JSON.stringify({ error: `${req.method ?? ''} is not allowed here; use GET` }));
  return false;
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, JSON_HEADERS);
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
