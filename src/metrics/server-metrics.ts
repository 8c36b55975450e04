/**
 * The Prometheus metrics of one erlmcp server: it subscribes to the diagnostics channels the core publishes on
 * and keeps the seed's series (seed "Prometheus Metrics", "Performance Dashboard") and more beside them. The core
 * never calls it (STYLE rule 7), and prom-client is imported only when one is created (STYLE rule 8). Given the
 * server's `origin`, it counts that server alone, whatever else the process serves (without it, every server).
 *
 * `erlmcp_requests_total` and `erlmcp_errors_total` each also carry one unlabelled series, the total over every
 * label value. The seed's error-rate expression, `rate(erlmcp_errors_total[5m]) / rate(erlmcp_requests_total[5m])`,
 * divides the two one-to-one, which in PromQL matches only series whose label sets are equal: the two totals are
 * that pair. Sums over the labelled series select them with `{method!=""}` or `{type!=""}` (README, "Metrics").
 */
import type { Gauge, Registry } from 'prom-client';
import {
  bytesIn, bytesOut, notificationSent, requestEnd, sessionClose, sessionOpen, transportConnect,
  transportDisconnect, transportRefuse, userMetric,
  type EventOrigin, type NotificationEvent, type RequestEvent, type SessionCloseEvent, type TransportBytesEvent,
  type TransportConnectionEvent, type TransportRefusalEvent,
} from '../diagnostics/channels.js';
import { Subscriptions } from '../diagnostics/subscriptions.js';
import type { UserMetricEvent } from '../diagnostics/user-metrics.js';
import { REQUEST_METHODS } from '../server/dispatcher.js';
import { CounterFamily, GaugeFamily, HistogramFamily, type Cell, type HistogramCell } from './metric-families.js';
import { LabelGuard, OTHER } from './label-guard.js';
import { runtimeRegistry } from './runtime-metrics.js';
import { STATUS_OK, statusOfCode } from './request-status.js';
import { SocketBytes } from './socket-bytes.js';

/**
 * Bucket bounds of `erlmcp_request_duration_seconds` and `erlmcp_tool_duration_seconds`: from 50 µs, so a lean
 * tools/call (tens of µs, docs/performance.md) lands in a bucket of its own, to 5 s, past which a request is
 * simply slow (issue 5).
 */
export const DURATION_BUCKETS_SECONDS: readonly number[] = Object.freeze([
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
]);

/** Server notifications of MCP 2025-11-25; other methods a handler sends share a small admitted set. */
const NOTIFICATION_METHODS = new Set([
  'notifications/progress', 'notifications/message', 'notifications/tools/list_changed',
  'notifications/prompts/list_changed', 'notifications/resources/list_changed', 'notifications/resources/updated',
  'notifications/cancelled', 'notifications/elicitation/complete',
]);
/** Methods of the stateless era (2026-07-28) beyond the session era's table. */
const MODERN_ONLY_METHODS = new Set(['server/discover', 'subscriptions/listen']);
const isKnownMethod = (m: string): boolean => REQUEST_METHODS.has(m) || MODERN_ONLY_METHODS.has(m);
/** Distinct values admitted beyond the known ones for labels the server's own code chooses. */
const ADMITTED_EXTRA = 32;
/** Custom gauges a process may define through `ctx.metrics.recordMetric`, and series per gauge. */
const MAX_USER_GAUGES = 100;
const MAX_USER_SERIES = 100;

/** Options of `ServerMetrics.create`. */
export interface ServerMetricsOptions {
  /**
   * The server counted (`McpServer.origin`): the channels carry every server of the process, and another server's
   * requests and sessions are not this one's. Without it, every server's events are counted.
   */
  origin?: EventOrigin;
  /** True for registered tool names: only those label tool series; anything else is `other`. */
  isTool: (name: string) => boolean;
  /** Sessions live in this process, for `erlmcp_sessions_active`; without it, opened minus closed. */
  liveSessions?: () => number;
  /** Export Node runtime metrics (event loop, GC, heap, RSS). Default true. */
  runtime?: boolean;
}

const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A Prometheus label name; names starting with `__` are reserved. */
function isLabelName(name: string): boolean {
  return METRIC_NAME.test(name) && !name.startsWith('__');
}

/** The metrics of one server (or of the process), subscribed to the diagnostics channels until `close()`. */
export class ServerMetrics {
  readonly #registry: Registry;
  readonly #runtime: Registry | undefined;
  readonly #gaugeClass: typeof Gauge;
  readonly #subscriptions: Subscriptions;

  readonly #methods = new LabelGuard(isKnownMethod);
  readonly #userMethods = new LabelGuard(isKnownMethod, ADMITTED_EXTRA);
  readonly #userStatuses = new LabelGuard(() => false, ADMITTED_EXTRA);
  readonly #userErrorTypes = new LabelGuard(() => false, ADMITTED_EXTRA);
  readonly #tools: LabelGuard;
  readonly #notes = new LabelGuard((m) => NOTIFICATION_METHODS.has(m), ADMITTED_EXTRA);

  readonly #requests = new CounterFamily('erlmcp_requests_total', 'MCP requests answered, by method and status (ok, or the JSON-RPC error name); the unlabelled series is the total', ['method', 'status']);
  readonly #requestsAll: Cell;
  readonly #duration = new HistogramFamily('erlmcp_request_duration_seconds', 'Time from dispatch to answer of MCP requests', DURATION_BUCKETS_SECONDS);
  readonly #durationAll: HistogramCell;
  readonly #errors = new CounterFamily('erlmcp_errors_total', 'Errors by type: a JSON-RPC error name, tool_error, or a type recorded by a handler; the unlabelled series is the total', ['type']);
  readonly #errorsAll: Cell;
  readonly #toolErrors: Cell;
  readonly #toolCalls = new CounterFamily('erlmcp_tool_calls_total', 'tools/call of registered tools, by tool and outcome (success, error)', ['tool', 'outcome']);
  readonly #toolDuration = new HistogramFamily('erlmcp_tool_duration_seconds', 'Time from dispatch to answer of tools/call, by tool', DURATION_BUCKETS_SECONDS, ['tool']);
  readonly #sessionsActive = new GaugeFamily('erlmcp_sessions_active', 'Sessions live in this process');
  readonly #sessionsCreated = new CounterFamily('erlmcp_sessions_created_total', 'Sessions initialized');
  readonly #sessionsExpired = new CounterFamily('erlmcp_sessions_expired_total', 'Sessions ended by idle expiry');
  readonly #sessionsEnded = new CounterFamily('erlmcp_sessions_ended_total', 'Sessions ended, by reason (deleted, expired, closed)', ['reason']);
  readonly #connections = new CounterFamily('erlmcp_transport_connections_total', 'Transport connections opened, by transport', ['transport']);
  readonly #connectionsActive = new GaugeFamily('erlmcp_transport_connections_active', 'Transport connections open now, by transport', ['transport']);
  readonly #connectionsRefused = new CounterFamily('erlmcp_transport_connections_refused_total', 'Transport connections refused beyond the bound of open connections (answered 503 and closed), by transport; not counted among those opened', ['transport']);
  readonly #received = new CounterFamily('erlmcp_transport_received_bytes_total', 'Bytes read by transports', ['transport']);
  readonly #sent = new CounterFamily('erlmcp_transport_sent_bytes_total', 'Bytes written by transports', ['transport']);
  readonly #notifications = new CounterFamily('erlmcp_notifications_sent_total', 'Notifications sent to clients, by method', ['method']);
  readonly #userDropped = new CounterFamily(
    'erlmcp_user_metrics_dropped_total',
    'ctx.metrics records dropped: too many gauges or series, a name or value Prometheus cannot take, labels that differ from the first record, or a recordRequest duration that is negative or not finite',
  );
  readonly #userGauges = new Map<string, { gauge: Gauge; labelNames: string; series: Set<string> }>();
  readonly #sockets = new SocketBytes();
  #opened = 0;
  #closedSessions = 0;

  private constructor(prom: typeof import('prom-client'), runtime: Registry | undefined, options: ServerMetricsOptions) {
    this.#registry = new prom.Registry();
    this.#runtime = runtime;
    this.#gaugeClass = prom.Gauge;
    this.#subscriptions = new Subscriptions(options.origin);
    this.#tools = new LabelGuard(options.isTool);
    this.#requestsAll = this.#requests.unlabelled();
    this.#durationAll = this.#duration.unlabelled();
    this.#errorsAll = this.#errors.unlabelled();
    this.#toolErrors = this.#errors.at('tool_error');
    const live = options.liveSessions;
    this.#sessionsActive.collect = () => {
      this.#sessionsActive.unlabelled().value = live ? live() : this.#opened - this.#closedSessions;
    };
    this.#received.collect = () => this.#sockets.fill(this.#received, 'read');
    this.#sent.collect = () => this.#sockets.fill(this.#sent, 'written');
    this.#sessionsCreated.unlabelled();
    this.#sessionsExpired.unlabelled();
    for (const family of [
      this.#requests, this.#duration, this.#errors, this.#toolCalls, this.#toolDuration, this.#sessionsActive,
      this.#sessionsCreated, this.#sessionsExpired, this.#sessionsEnded, this.#connections, this.#connectionsActive,
      this.#connectionsRefused, this.#received, this.#sent, this.#notifications, this.#userDropped,
    ]) {
      // The families implement the part of prom-client's metric contract the registry reads.
      this.#registry.registerMetric(family as unknown as Parameters<Registry['registerMetric']>[0]);
    }
    this.#subscriptions
      .on(requestEnd, this.#onRequestEnd)
      .on(sessionOpen, this.#onSessionOpen)
      .on(sessionClose, this.#onSessionClose)
      .on(transportConnect, this.#onConnect)
      .on(transportDisconnect, this.#onDisconnect)
      .on(transportRefuse, this.#onRefuse)
      .on(bytesIn, this.#onBytesIn)
      .on(bytesOut, this.#onBytesOut)
      .on(notificationSent, this.#onNotification)
      .on(userMetric, this.#onUserMetric);
  }

  /** Loads prom-client and subscribes. */
  static async create(options: ServerMetricsOptions): Promise<ServerMetrics> {
    const prom = await import('prom-client');
    const runtime = options.runtime === false ? undefined : await runtimeRegistry();
    return new ServerMetrics(prom, runtime, options);
  }

  /** The Prometheus text exposition content type. */
  get contentType(): string {
    return this.#registry.contentType;
  }

  /** The exposition text: erlmcp's series, then the runtime's. */
  async metrics(): Promise<string> {
    const own = await this.#registry.metrics();
    return this.#runtime === undefined ? own : own + '\n' + (await this.#runtime.metrics());
  }

  /** Unsubscribes from every channel. Idempotent. */
  close(): void {
    this.#subscriptions.close();
  }

  #onRequestEnd = (e: RequestEvent): void => {
    const error = e.error;
    const status = error === undefined ? STATUS_OK : statusOfCode(error.code);
    const seconds = e.durationMs / 1000;
    this.#requests.at(this.#methods.label(e.method), status).value++;
    this.#requestsAll.value++;
    this.#duration.observe(this.#durationAll, seconds);
    if (error !== undefined) {
      this.#errors.at(status).value++;
      this.#errorsAll.value++;
    }
    // Tool metrics come from the request's own event: a tools/call's run is its handler's, within the envelope
    // check, and reading it here spares every call the tool channels' clock reads and publishes
    // (docs/performance.md, "Metrics overhead").
    if (e.method === 'tools/call') this.#onToolCall(e, seconds);
  };

  #onToolCall(e: RequestEvent, seconds: number): void {
    const name = e.params?.name;
    if (typeof name !== 'string') return;
    const tool = this.#tools.label(name);
    // An unknown tool never ran: its call is an invalid_params request, not a tool call.
    if (tool === OTHER && e.error !== undefined) return;
    // A 2026-07-28 `input_required` answer is a round of a call still under way (mrtr): the call is counted once,
    // by the request that completes it, as a session-era call that asks the client is.
    if (e.result?.resultType === 'input_required') return;
    const failed = e.error !== undefined || e.result?.isError === true;
    this.#toolCalls.at(tool, failed ? 'error' : 'success').value++;
    this.#toolDuration.observe(this.#toolDuration.at(tool), seconds);
    // An error answer is counted by its status above; a result with isError only here.
    if (failed && e.error === undefined) {
      this.#toolErrors.value++;
      this.#errorsAll.value++;
    }
  }

  #onSessionOpen = (): void => {
    this.#opened++;
    this.#sessionsCreated.unlabelled().value++;
  };

  #onSessionClose = (e: SessionCloseEvent): void => {
    this.#closedSessions++;
    this.#sessionsEnded.at(e.reason).value++;
    if (e.reason === 'expired') this.#sessionsExpired.unlabelled().value++;
  };

  #onConnect = (e: TransportConnectionEvent): void => {
    this.#connections.at(e.transport).value++;
    this.#connectionsActive.at(e.transport).value++;
    if (e.socket !== undefined) this.#sockets.open(e.transport, e.socket);
  };

  // A connection opened before this instance subscribed (metrics created while HTTP sockets were open) closes
  // without the connect having been counted: the gauge counts only disconnects of connects it saw, so it never goes
  // below zero. A socket is looked up in the live set of `#sockets`; a transport without sockets (stdio) has no
  // identity to look up, so its gauge is only kept from going below zero.
  #onDisconnect = (e: TransportConnectionEvent): void => {
    const active = this.#connectionsActive.at(e.transport);
    if (e.socket !== undefined ? this.#sockets.close(e.transport, e.socket) : active.value > 0) active.value--;
  };

  #onRefuse = (e: TransportRefusalEvent): void => {
    this.#connectionsRefused.at(e.transport).value++;
  };

  #onBytesIn = (e: TransportBytesEvent): void => {
    this.#sockets.add(e.transport, 'read', e.bytes);
  };

  #onBytesOut = (e: TransportBytesEvent): void => {
    this.#sockets.add(e.transport, 'written', e.bytes);
  };

  #onNotification = (e: NotificationEvent): void => {
    this.#notifications.at(this.#notes.label(e.method)).value++;
  };

  // A JavaScript handler can pass anything (`recordError(err.code)` with no code): a non-string is `other` rather
  // than a throw, which in this diagnostics_channel subscriber would be an uncaught exception ending the process.
  #onUserMetric = (e: UserMetricEvent): void => {
    switch (e.kind) {
      case 'request': {
        const method = typeof e.method === 'string' ? this.#userMethods.label(e.method) : OTHER;
        this.#requests.at(method, this.#userStatuses.label(e.status)).value++;
        this.#requestsAll.value++;
        // A histogram's _sum only ever rises: a negative duration would read as a counter reset to rate().
        if (e.durationMs !== undefined && Number.isFinite(e.durationMs) && e.durationMs >= 0) this.#duration.observe(this.#durationAll, e.durationMs / 1000);
        else if (e.durationMs !== undefined) this.#userDropped.unlabelled().value++;
        return;
      }
      case 'error':
        this.#errors.at(typeof e.type === 'string' ? this.#userErrorTypes.label(e.type) : OTHER).value++;
        this.#errorsAll.value++;
        return;
      case 'metric':
        this.#recordGauge(e.name, e.value, e.labels);
    }
  };

  #recordGauge(name: string, value: number, labels: Readonly<Record<string, string | number>> | undefined): void {
    if (typeof name !== 'string' || (labels !== undefined && (labels === null || typeof labels !== 'object'))) {
      this.#userDropped.unlabelled().value++;
      return;
    }
    const labelNames = labels === undefined ? [] : Object.keys(labels).sort();
    const key = labelNames.join(',');
    let entry = this.#userGauges.get(name);
    if (entry === undefined) {
      const metricName = `erlmcp_user_${name}`;
      // Names prom-client would throw on are dropped: this runs inside a diagnostics_channel subscriber, where a
      // throw becomes an uncaught exception and ends the process.
      if (this.#userGauges.size >= MAX_USER_GAUGES || !METRIC_NAME.test(name) || !labelNames.every(isLabelName) || !Number.isFinite(value)) {
        this.#userDropped.unlabelled().value++;
        return;
      }
      const gauge = new this.#gaugeClass({ name: metricName, help: `Recorded by handlers through ctx.metrics.recordMetric('${name}')`, labelNames, registers: [this.#registry] });
      this.#userGauges.set(name, (entry = { gauge, labelNames: key, series: new Set() }));
    }
    if (entry.labelNames !== key || !Number.isFinite(value)) {
      this.#userDropped.unlabelled().value++;
      return;
    }
    const series = labelNames.map((n) => String(labels?.[n])).join('\u0000');
    if (!entry.series.has(series)) {
      if (entry.series.size >= MAX_USER_SERIES) {
        this.#userDropped.unlabelled().value++;
        return;
      }
      entry.series.add(series);
    }
    if (labels === undefined) entry.gauge.set(value);
    else entry.gauge.set(labels, value);
  }
}
