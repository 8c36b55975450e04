/** Public entry of the server layer: `McpServer`, handler contexts and the author-facing types. */
export { McpServer, SERVER_DEFAULTS, type McpServerOptions, type Registration } from './mcp-server.js';
export { HandlerContext, type ClientRequestOptions } from './handler-context.js';
export { ServerSession } from './server-session.js';
export { UriTemplate } from './uri-template.js';
export type * from './types.js';
