/**
 * A bus whose publish fails (a lost Redis connection) turns into an unhandled rejection, which ends a
 * Node 20 process, on the two paths that fire-and-forget `bus.publish`: a client's answer posted to a process that did
 * not ask (SessionManager.forwardResponse), and any standalone message (the #bind outlet: list_changed, updated).
 * Such a failure is reported on erlmcp:server:error instead (as keepBusyAlive does), and the server keeps serving.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonRpcMessage } from '../../src/protocol/json-rpc.js';
import { MemoryEventStore } from '../../src/session/memory/memory-event-store.js';
import { MemoryMessageBus } from '../../src/session/memory/memory-message-bus.js';
import { MemorySessionStore } from '../../src/session/memory/memory-session-store.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { initializeHttp, type McpHttpSession } from '../helpers/raw-http-client.js';
import { createTestServer } from '../helpers/test-server.js';

class DownBus extends MemoryMessageBus {
  down = false;
  override async publish(topic: string, message: JsonRpcMessage): Promise<void> {
    if (this.down) throw new Error('bus connection lost');
    return super.publish(topic, message);
  }
}

describe('a failing bus publish', () => {
  let http: HttpHarness;
  let session: McpHttpSession;
  const bus = new DownBus();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  before(async () => {
    // Node's test runner would report the rejection itself; count it here instead.
    process.prependListener('unhandledRejection', onUnhandled);
    http = await startHttp(createTestServer({ sessions: { store: new MemorySessionStore({ idleTtlMs: 60_000 }), events: new MemoryEventStore({ maxEventsPerStream: 10 }), bus } }));
    session = await initializeHttp(http.client);
  });
  after(async () => {
    process.removeListener('unhandledRejection', onUnhandled);
    await http?.close();
  });

  it('does not reject unhandled when a client answer is forwarded', async () => {
    bus.down = true;
    unhandled.length = 0;
    const posted = await session.post({ jsonrpc: '2.0', id: 'srv-elsewhere-1', result: {} });
    assert.equal(posted.status, 202);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(unhandled.map(String), []);
  });

  it('does not reject unhandled when a list_changed goes to the standalone route', async () => {
    bus.down = true;
    unhandled.length = 0;
    http.server.tool('late', {}, () => 'x'); // broadcasts notifications/tools/list_changed to every live session
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(unhandled.map(String), []);
  });
});
