/** Public entry of the transports. */
export type { Transport } from './transport.js';
export { MemoryTransport } from './memory/memory-transport.js';
