/** Public entry of the transports. */
export type { Transport } from './transport.js';
export { MemoryTransport } from './memory/memory-transport.js';
export { HttpTransport, type HttpTransportOptions, type ListenAddress } from './http/http-transport.js';
export { StdioTransport, STDIO_DEFAULTS, type StdioTransportOptions } from './stdio/stdio-transport.js';
