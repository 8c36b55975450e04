/** Public entry of the protocol layer: the JSON-RPC codec, wire errors, revisions and correlation. */
export * from './error-codes.js';
export * from './wire-error.js';
export * from './json-rpc.js';
export * from './versions.js';
export * from './correlation.js';
