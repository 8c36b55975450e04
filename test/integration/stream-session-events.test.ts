/**
 * A stream connection (stdio, memory) is one session, and it is published as one, as Streamable HTTP publishes its
 * sessions: `erlmcp:session:open` once initialize succeeds, naming the transport, and `erlmcp:session:close` (reason
 * `closed`) when the connection ends. So `erlmcp_sessions_active` and `erlmcp_sessions_created_total` count stdio
 * sessions too. A connection that never initializes (a 2026-07-28 client, a probe) opened no session and closes none.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sessionClose, sessionOpen, type SessionCloseEvent, type SessionOpenEvent } from '../../src/diagnostics/channels.js';
import { ServerMetrics } from '../../src/metrics/server-metrics.js';
import { StdioTransport } from '../../src/transport/stdio/stdio-transport.js';
import { connectInitialized, connectMemory, initialize } from '../helpers/memory-client.js';
import { valueOf } from '../helpers/prom-text.js';
import { createTestServer } from '../helpers/test-server.js';

describe('session events of stream connections', () => {
  const opened: SessionOpenEvent[] = [];
  const closed: SessionCloseEvent[] = [];
  const onOpen = (m: unknown): void => void opened.push(m as SessionOpenEvent);
  const onClose = (m: unknown): void => void closed.push(m as SessionCloseEvent);
  const server = createTestServer();
  let metrics: ServerMetrics;

  before(async () => {
    diagnostics.subscribe(sessionOpen.name, onOpen);
    diagnostics.subscribe(sessionClose.name, onClose);
    metrics = await ServerMetrics.create({ isTool: () => true, runtime: false });
  });

  after(async () => {
    diagnostics.unsubscribe(sessionOpen.name, onOpen);
    diagnostics.unsubscribe(sessionClose.name, onClose);
    metrics.close();
    await server.close();
  });

  it('opens the session of a memory connection at initialize and closes it with the connection', async () => {
    const { client, session } = await connectMemory(server);
    assert.equal(opened.filter((e) => e.sessionId === session.id).length, 0, 'no session before initialize');
    await initialize(client);
    assert.deepEqual(opened.filter((e) => e.sessionId === session.id), [{ sessionId: session.id, transport: 'memory', origin: server.origin }]);
    assert.equal(valueOf(await metrics.metrics(), 'erlmcp_sessions_active'), 1);
    await client.transport.close();
    assert.deepEqual(closed.filter((e) => e.sessionId === session.id), [{ sessionId: session.id, reason: 'closed', origin: server.origin }]);
    const text = await metrics.metrics();
    assert.equal(valueOf(text, 'erlmcp_sessions_active'), 0);
    assert.equal(valueOf(text, 'erlmcp_sessions_ended_total', { reason: 'closed' }), 1);
  });

  it('names stdio sessions stdio', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const transport = new StdioTransport({ input, output });
    const session = await server.connect(transport);
    const answered = new Promise((resolve) => output.once('data', resolve));
    input.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }) + '\n');
    await answered;
    assert.deepEqual(opened.filter((e) => e.sessionId === session.id), [{ sessionId: session.id, transport: 'stdio', origin: server.origin }]);
    await transport.close();
    assert.deepEqual(closed.filter((e) => e.sessionId === session.id), [{ sessionId: session.id, reason: 'closed', origin: server.origin }]);
  });

  it('publishes nothing for a connection that never initialized', async () => {
    const { client, session } = await connectMemory(server);
    await client.request('ping');
    await client.transport.close();
    assert.equal(opened.filter((e) => e.sessionId === session.id).length, 0);
    assert.equal(closed.filter((e) => e.sessionId === session.id).length, 0);
  });

  it('closes the sessions still open when the server closes', async () => {
    const other = createTestServer();
    const { session } = await connectInitialized(other);
    await other.close();
    assert.deepEqual(closed.filter((e) => e.sessionId === session.id), [{ sessionId: session.id, reason: 'closed', origin: other.origin }]);
  });
});
