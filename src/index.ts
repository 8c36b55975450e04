/** The erlmcp package: the server API, the transports, the session stores and both error families. */
export * from './server/index.js';
export * from './transport/index.js';
export * from './protocol/index.js';
export { ErlmcpError, PlatformErrorCode, type PlatformErrorCodeName } from './errors.js';
export type { SessionStore, SessionRecord, LogLevel } from './session/session-store.js';
export type { EventStore, StoredEvent } from './session/event-store.js';
export type { MessageBus } from './session/message-bus.js';
export { MemorySessionStore } from './session/memory/memory-session-store.js';
export { MemoryEventStore } from './session/memory/memory-event-store.js';
export { MemoryMessageBus } from './session/memory/memory-message-bus.js';
export { loadConfig, type LoadConfigOptions } from './config/load-config.js';
export { describeConfig } from './config/describe-config.js';
export { CONFIG_DEFAULTS, type ErlmcpConfig, type ConfigOverrides } from './config/config-defaults.js';
export { registerDemo, type DemoOptions } from './demo/register-demo.js';
export type { RegisterModule } from './cli/module-loader.js';
export {
  McpClient, CLIENT_DEFAULTS, StreamableHttpClientTransport, HTTP_CLIENT_DEFAULTS, StdioClientTransport, STDIO_CLIENT_DEFAULTS,
  applyElicitationDefaults,
  type McpClientEvents, type McpClientOptions, type RequestOptions, type ClientTransport, type StreamableHttpClientOptions,
  type StdioClientTransportOptions, type SamplingHandler, type ElicitationHandler, type RootsHandler, type ServerRequestContext,
} from './client/index.js';
export { userMetrics, type UserMetrics, type UserMetricEvent, type MetricLabels } from './diagnostics/user-metrics.js';
export { ServerMetrics, DURATION_BUCKETS_SECONDS, type ServerMetricsOptions } from './metrics/server-metrics.js';
export { MetricsServer, type MetricsServerOptions } from './metrics/metrics-server.js';
export { Health, type HealthOptions, type HealthCheck, type HealthReport, type CheckReport } from './metrics/health.js';
export { RequestLogger, type RequestLoggerOptions } from './logging/request-logger.js';
export { RequestTracer, sdkRegistered } from './tracing/request-tracer.js';
