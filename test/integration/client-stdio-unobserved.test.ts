/**
 * A process that serves MCP and is also a client of another server over stdio (a gateway in front of a local tool
 * server): the client's connection to its child is not a connection of the server. The server's own metrics count
 * neither it nor its bytes, while an observer of the whole process (no origin) still sees it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServerMetrics } from '../../src/metrics/server-metrics.js';
import { StdioClientTransport } from '../../src/transport/stdio/stdio-client-transport.js';
import { valueOf } from '../helpers/prom-text.js';
import { createTestServer } from '../helpers/test-server.js';

/** A child that echoes each line back: enough framing traffic to be counted, no MCP needed. */
const ECHO = "process.stdin.on('data', (d) => process.stdout.write(d))";

describe('a stdio client in a serving process', () => {
  it('is left out of the server\'s transport metrics, and counted by a process-wide observer', async () => {
    const server = createTestServer();
    const own = await ServerMetrics.create({ origin: server.origin, isTool: () => false, runtime: false });
    const process_ = await ServerMetrics.create({ isTool: () => false, runtime: false });
    const client = new StdioClientTransport({ command: process.execPath, args: ['-e', ECHO], exitTimeoutMs: 500 });
    try {
      const echoed = new Promise<unknown>((resolve) => (client.onmessage = resolve));
      await client.start();
      await client.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      await echoed;
      const text = await own.metrics();
      assert.equal(valueOf(text, 'erlmcp_transport_connections_total', { transport: 'stdio' }) ?? 0, 0);
      assert.equal(valueOf(text, 'erlmcp_transport_connections_active', { transport: 'stdio' }) ?? 0, 0);
      assert.equal(valueOf(text, 'erlmcp_transport_sent_bytes_total', { transport: 'stdio' }) ?? 0, 0);
      assert.equal(valueOf(text, 'erlmcp_transport_received_bytes_total', { transport: 'stdio' }) ?? 0, 0);
      const all = await process_.metrics();
      assert.equal(valueOf(all, 'erlmcp_transport_connections_total', { transport: 'stdio' }), 1);
    } finally {
      await client.close();
      own.close();
      process_.close();
      await server.close();
    }
  });
});
