/**
 * A scripted MCP server end for client tests: on a `MemoryTransport` pair it records exactly what the client
 * sends, answers initialize and ping, and lets the test answer (or not) everything else.
 */
import type { McpClientOptions } from '../../src/client/client-options.js';
import { McpClient } from '../../src/client/mcp-client.js';
import { MemoryTransport } from '../../src/transport/memory/memory-transport.js';
import { within } from './deadline.js';

export type Msg = { id?: string | number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: unknown };

/** The server end: records what arrives, answers initialize and ping, and lets the test answer the rest. */
export class ScriptedPeer {
  readonly transport: MemoryTransport;
  readonly received: Msg[] = [];
  readonly #waiters: { match: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  revision = '2025-11-25';

  constructor(transport: MemoryTransport) {
    this.transport = transport;
    transport.onmessage = (raw) => {
      const m = raw as Msg;
      this.received.push(m);
      if (m.method === 'ping' && m.id !== undefined) void this.send({ jsonrpc: '2.0', id: m.id, result: {} });
      if (m.method === 'initialize') {
        void this.send({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: this.revision, capabilities: { tools: {} }, serverInfo: { name: 'peer', version: '1' } } });
      }
      for (let i = 0; i < this.#waiters.length;) {
        const w = this.#waiters[i];
        if (w?.match(m)) {
          this.#waiters.splice(i, 1);
          w.resolve(m);
        } else i++;
      }
    };
  }

  send(message: Record<string, unknown>): Promise<void> {
    return this.transport.send(message as never);
  }

  next(match: (m: Msg) => boolean, what: string): Promise<Msg> {
    const hit = this.received.find(match);
    if (hit) return Promise.resolve(hit);
    return within(new Promise<Msg>((resolve) => this.#waiters.push({ match, resolve })), what);
  }

  request(method: string): Promise<Msg> {
    return this.next((m) => m.method === method && m.id !== undefined, method);
  }
}

export async function connected(options: McpClientOptions = {}): Promise<{ client: McpClient; peer: ScriptedPeer }> {
  const [a, b] = MemoryTransport.pair();
  const peer = new ScriptedPeer(b);
  await b.start();
  const client = new McpClient({ name: 't', version: '1' }, { timerResolutionMs: 5, ...options });
  await client.connect(a);
  return { client, peer };
}
