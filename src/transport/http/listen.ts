/**
 * Binds a `node:http` server and reports where it listens, shared by the MCP listener and the metrics listener so
 * that both resolve port 0 and bracket IPv6 hosts the same way.
 */
import type { Server } from 'node:http';

/** Where a server listens. */
export interface ListenAddress {
  host: string;
  port: number;
  url: string;
}

/** Listens on `host:port` (0 picks a free port); resolves with the bound address and the URL of `path`. */
export function listenOn(http: Server, host: string, port: number, path: string): Promise<ListenAddress> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => {
      http.off('error', reject);
      const address = http.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({ host, port: bound, url: `http://${urlHost}:${bound}${path}` });
    });
  });
}
