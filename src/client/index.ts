/** Public entry of the client: `McpClient`, its options and types, and the client transports. */
export { McpClient, type McpClientEvents } from './mcp-client.js';
export { CLIENT_DEFAULTS, type McpClientOptions, type SamplingHandler, type ElicitationHandler, type RootsHandler, type ServerRequestContext } from './client-options.js';
export type { RequestOptions } from './pending-requests.js';
export type { ClientTransport } from './client-transport.js';
export type * from './client-types.js';
export { applyElicitationDefaults } from './elicitation-defaults.js';
export { StreamableHttpClientTransport, HTTP_CLIENT_DEFAULTS, type StreamableHttpClientOptions } from '../transport/http-client/streamable-http-client.js';
export { SseParser, type SseEvent } from '../transport/http-client/sse-parser.js';
export { StdioClientTransport, STDIO_CLIENT_DEFAULTS, type StdioClientTransportOptions } from '../transport/stdio/stdio-client-transport.js';
