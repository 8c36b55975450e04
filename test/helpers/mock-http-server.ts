/**
 * Making, listening and closing the hand-written `node:http` servers that client tests script (a server that
 * answers wrongly on purpose, which erlmcp's own server never does): eight suites repeated the same lines.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server that reads each request's whole body as text, then hands it to `handle` ('' for none). */
export function createMock(handle: (req: IncomingMessage, res: ServerResponse, text: string) => void): Server {
  return createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => handle(req, res, text));
  });
}

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
