/**
 * GET streams over a bus whose subscribe takes a while, as a Redis round trip does. Two GETs racing for one
 * session: one gets the stream, the other 409, and a message goes out once (the spec: MUST NOT broadcast one
 * message on several streams). A DELETE while the GET subscribes: the GET is refused and nothing stays subscribed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpServer } from '../../src/server/mcp-server.js';
import type { BusListener } from '../../src/session/message-bus.js';
import { MemoryEventStore } from '../../src/session/memory/memory-event-store.js';
import { MemoryMessageBus } from '../../src/session/memory/memory-message-bus.js';
import { MemorySessionStore } from '../../src/session/memory/memory-session-store.js';
import { within } from '../helpers/deadline.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { initializeHttp, type HttpStream, type McpHttpSession } from '../helpers/raw-http-client.js';

const SUBSCRIBE_MS = 50;

/** The memory bus, with every subscribe answered after SUBSCRIBE_MS; `entered` resolves when one starts. */
class SlowBus extends MemoryMessageBus {
  #entered!: () => void;
  entered = this.#next();

  #next(): Promise<void> {
    return new Promise((resolve) => (this.#entered = resolve));
  }

  override async subscribe(topic: string, listener: BusListener): Promise<() => void> {
    const entered = this.#entered;
    this.entered = this.#next();
    entered();
    await new Promise((resolve) => setTimeout(resolve, SUBSCRIBE_MS));
    return super.subscribe(topic, listener);
  }
}

function slowServer(bus: SlowBus): McpServer {
  return new McpServer({
    info: { name: 'slow-bus', version: '1' },
    sessions: { store: new MemorySessionStore({ idleTtlMs: 60_000 }), events: new MemoryEventStore({ maxEventsPerStream: 100 }), bus },
  });
}

interface Subscribing {
  http: HttpHarness;
  bus: SlowBus;
  session: McpHttpSession;
  /** The bus's topics before the GET. */
  before: number;
  /** The GET, its answer not yet given. */
  get: Promise<HttpStream>;
}

/** A session whose first GET is inside its bus subscribe when `test` runs; everything is closed afterwards. */
async function whileGetSubscribes(test: (at: Subscribing) => Promise<void>): Promise<void> {
  const bus = new SlowBus();
  const http = await startHttp(slowServer(bus));
  try {
    const session = await initializeHttp(http.client);
    const before = bus.topicCount();
    const subscribing = bus.entered;
    const get = session.get();
    await within(subscribing, 'the GET subscribing');
    await test({ http, bus, session, before, get });
  } finally {
    await http.close();
  }
}

describe(`GET streams over a bus that subscribes in ${SUBSCRIBE_MS} ms`, () => {
  it('gives one of two racing GETs the stream and the other 409, and delivers a message once', () => whileGetSubscribes(async ({ http, bus, session, before, get }) => {
    // The first GET is inside its subscribe now: the second must not open a stream of its own.
    const second = await session.get();
    assert.equal(second.status, 409);
    const open = await get;
    assert.equal(open.status, 200);
    assert.equal(bus.topicCount(), before + 1, 'one subscription for the session');
    http.server.notifyListChanged('tools');
    let event = await open.sse.next();
    while (event !== undefined && event.data === '') event = await open.sse.next();
    assert.match(event?.data ?? '', /notifications\/tools\/list_changed/);
  }));

  it('refuses a GET whose session is deleted while it subscribes, leaving no subscription behind', () => whileGetSubscribes(async ({ bus, session, before, get }) => {
    const deleted = await session.delete();
    assert.equal(deleted.status, 200);
    const refused = await within(get, 'the GET answer');
    assert.equal(refused.status, 404);
    assert.equal(bus.topicCount(), before, 'a subscription was left behind');
  }));
});
