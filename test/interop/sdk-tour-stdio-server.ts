/**
 * Serves the SDK tour fixture over stdio with the official SDK's `StdioServerTransport`, for our client to spawn:
 * `node --import tsx test/interop/sdk-tour-stdio-server.ts`. It exits when stdin ends.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createSdkTourServer } from './sdk-tour-server.js';

const server = createSdkTourServer();
const transport = new StdioServerTransport();
process.stdin.on('end', () => void server.close());
await server.connect(transport);
