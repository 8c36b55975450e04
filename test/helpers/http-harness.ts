/**
 * Starts an `HttpTransport` on 127.0.0.1, port 0, in front of a given `McpServer`, and tears both down in the
 * order that frees everything: the client agent, the transport (which drains and destroys its sockets), then the
 * server's sessions and stores.
 */
import type { McpServer } from '../../src/server/mcp-server.js';
import { HttpTransport, type HttpTransportOptions } from '../../src/transport/http/http-transport.js';
import { RawHttpClient } from './raw-http-client.js';

/** A running HTTP endpoint with a client pointed at it. */
export interface HttpHarness {
  server: McpServer;
  transport: HttpTransport;
  /** The endpoint URL, such as `http://127.0.0.1:43125/mcp`. */
  url: string;
  client: RawHttpClient;
  /** Closes the client, the transport and the server. Idempotent. */
  close(): Promise<void>;
}

/** Options a test may override; the rest are the defaults of a loopback test endpoint. */
export type HarnessOptions = Partial<HttpTransportOptions> & { maxSockets?: number };

/** Starts `server` over HTTP. */
export async function startHttp(server: McpServer, options: HarnessOptions = {}): Promise<HttpHarness> {
  const { maxSockets, ...overrides } = options;
  const transport = new HttpTransport(server, {
    host: '127.0.0.1',
    port: 0,
    path: '/mcp',
    stateless: false,
    allowedOrigins: [],
    allowedHosts: [],
    maxBodyBytes: 1_000_000,
    ...overrides,
  });
  const address = await transport.listen();
  const client = new RawHttpClient(address.url, maxSockets === undefined ? {} : { maxSockets });
  let closing: Promise<void> | undefined;
  return {
    server,
    transport,
    url: address.url,
    client,
    close() {
      closing ??= (async () => {
        try {
          client.close();
          await transport.close(1_000);
        } finally {
          await server.close();
        }
      })();
      return closing;
    },
  };
}
