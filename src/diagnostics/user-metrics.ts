/**
 * The metrics API a handler reaches through `ctx.metrics`: the seed's `record_request`, `record_error` and
 * `record_metric` (seed "Custom Metrics"), which there send records to a `metrics_collector` process.
 *
 * Here they publish on the `erlmcp:metrics:record` diagnostics channel, and only when something subscribes, so the
 * core and a handler's code never depend on prom-client: the metrics module, when enabled, subscribes and turns
 * each record into Prometheus samples; with metrics off a call costs one property read. One frozen instance per
 * server, made with it, serves every handler of that server and names it in each record (`origin`), so the API
 * allocates nothing per request and a process running two servers keeps their records apart.
 */
import { userMetric, type EventOrigin } from './channels.js';

/** Labels of a custom metric. Keep their values few: each distinct set is one time series. */
export type MetricLabels = Readonly<Record<string, string | number>>;

/** A record a handler made, as published on `erlmcp:metrics:record`. */
export type UserMetricEvent = (
  | { kind: 'request'; method: string; status: string; durationMs: number | undefined }
  | { kind: 'error'; type: string; message: string | undefined }
  | { kind: 'metric'; name: string; value: number; labels: MetricLabels | undefined }
) & {
  /** The server whose handler made the record; undefined for one made through the imported `userMetrics`. */
  origin: EventOrigin | undefined;
};

/** Records custom metrics; reached as `ctx.metrics` in a handler, or imported as `userMetrics`. */
export interface UserMetrics {
  /**
   * Counts a request the handler made or served (seed `record_request`): `erlmcp_requests_total{method,status}`
   * and, with a duration, `erlmcp_request_duration_seconds`.
   */
  recordRequest(method: string, status: string | number, durationMs?: number): void;
  /** Counts an error by type (seed `record_error`): `erlmcp_errors_total{type}`. The message goes to the log only. */
  recordError(type: string, message?: string): void;
  /**
   * Sets a custom gauge (seed `record_metric`): `erlmcp_user_<name>{...labels}`. A name keeps the label names of
   * its first record.
   */
  recordMetric(name: string, value: number, labels?: MetricLabels): void;
}

/** The `UserMetrics` of one server, whose records name `origin`; made once per server (`McpServer.userMetrics`). */
export function userMetricsOf(origin: EventOrigin | undefined): UserMetrics {
  return Object.freeze({
    recordRequest(method: string, status: string | number, durationMs?: number): void {
      if (userMetric.hasSubscribers) userMetric.publish({ kind: 'request', method, status: String(status), durationMs, origin } satisfies UserMetricEvent);
    },
    recordError(type: string, message?: string): void {
      if (userMetric.hasSubscribers) userMetric.publish({ kind: 'error', type, message, origin } satisfies UserMetricEvent);
    },
    recordMetric(name: string, value: number, labels?: MetricLabels): void {
      if (userMetric.hasSubscribers) userMetric.publish({ kind: 'metric', name, value, labels, origin } satisfies UserMetricEvent);
    },
  });
}

/**
 * The instance of code outside any handler: its records belong to the process, not to one server, so every
 * observer takes them (`EventOrigin`).
 */
export const userMetrics: UserMetrics = userMetricsOf(undefined);
