/**
 * Serves the tour fixture over stdio, for clients that spawn their server (the official SDK's
 * `StdioClientTransport`): `node --import tsx test/interop/tour-stdio-server.ts`.
 *
 * stdout carries only protocol messages; anything else goes to stderr. The process exits when stdin ends, which
 * is how a stdio client closes its server (2025-11-25 basic/transports, "stdio").
 */
import { StdioTransport } from '../../src/transport/stdio/stdio-transport.js';
import { createTourServer } from './tour-server.js';

const { server } = createTourServer();
const transport = new StdioTransport();
transport.onerror = (err) => process.stderr.write(`tour-stdio-server: ${err.message}\n`);
await server.connect(transport);
await transport.closed;
await server.close();
