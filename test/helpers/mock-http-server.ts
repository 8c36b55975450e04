/**
 * Listening and closing for the hand-written `node:http` servers that client tests script (a server that answers
 * wrongly on purpose, which erlmcp's own server never does): seven suites repeated the same lines.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on a free loopback port; resolves with the URL of its `/mcp` endpoint. */
export async function listenLocal(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

/** Drops every connection, held streams included, and resolves once the server is closed. */
export async function closeMock(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
