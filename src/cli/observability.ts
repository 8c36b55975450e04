/**
 * What `erlmcp serve` adds around a server for operators, from the config: structured logs (`logging`), traces
 * when an OpenTelemetry SDK is registered, and, over HTTP, the health routes and the metrics listener
 * (`metrics`). Each is imported only when the config turns it on, so pino, prom-client and the OpenTelemetry API
 * stay unloaded otherwise (STYLE rule 8).
 */
import type { ErlmcpConfig } from '../config/config-defaults.js';
import type { Health } from '../metrics/health.js';
import type { McpServer } from '../server/mcp-server.js';
import { listenFailure } from './listen-failure.js';

/** The observers started for one server. */
export interface Observability {
  /** The health state and routes; only over HTTP. */
  health: Health | undefined;
  /** Where /metrics is served, when enabled. */
  metricsUrl: string | undefined;
  /** Stops the metrics listener and unsubscribes every observer. Idempotent. */
  close(): Promise<void>;
}

/** Starts the observers `config` asks for. With `http` false (stdio), no port is opened. */
export async function startObservability(server: McpServer, config: ErlmcpConfig, http: boolean): Promise<Observability> {
  const closers: (() => void | Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const version = config.server.version;
    if (config.logging.level !== 'silent') {
      const { RequestLogger } = await import('../logging/request-logger.js');
      const logger = await RequestLogger.create({ level: config.logging.level, slowRequestMs: config.logging.slowRequestMs, base: { version }, origin: server.origin });
      closers.push(() => logger.close());
    }
    const { RequestTracer } = await import('../tracing/request-tracer.js');
    const tracer = await RequestTracer.create(version, server.origin);
    if (tracer !== undefined) closers.push(() => tracer.close());
    if (!http) return { health: undefined, metricsUrl: undefined, close };

    const { Health } = await import('../metrics/health.js');
    const store = server.sessions.store;
    const health = new Health({
      version,
      sessions: () => server.sessions.liveCount,
      // A read of an id that cannot exist: proves the store answers, whatever its backend.
      checks: new Map([['sessionStore', () => store.get('erlmcp-health-probe')]]),
    });
    let metricsUrl: string | undefined;
    if (config.metrics.enabled) {
      const { ServerMetrics } = await import('../metrics/server-metrics.js');
      const { MetricsServer } = await import('../metrics/metrics-server.js');
      const metrics = await ServerMetrics.create({
        origin: server.origin,
        isTool: (name) => server.tools.get(name) !== undefined,
        liveSessions: () => server.sessions.liveCount,
        runtime: config.metrics.runtime,
      });
      closers.push(() => metrics.close());
      const m = config.metrics;
      const listener = new MetricsServer(metrics, { host: m.host, port: m.port, path: m.path, routes: health.routes() });
      try {
        metricsUrl = (await listener.listen()).url;
      } catch (err) {
        throw listenFailure(err, { what: 'metrics', section: 'metrics', host: m.host, port: m.port });
      }
      closers.push(() => listener.close());
    }
    return { health, metricsUrl, close };
  } catch (err) {
    await close();
    throw err;
  }
}
