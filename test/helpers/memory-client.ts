/**
 * A raw JSON-RPC client on one end of a `MemoryTransport` pair, for driving an `McpServer` in process.
 *
 * It sends exactly the messages a test builds (no envelope checks, no retries) and sorts what arrives: responses
 * to its own requests resolve `request()`, everything else (notifications, server-to-client requests, batch
 * answers, id-less errors) lands in an inbox that `next()` awaits. The memory link delivers in order, so once a
 * response arrived, every message the server sent before it is already in the inbox: tests that assert something
 * was *not* sent read the inbox after the response instead of sleeping.
 */
import { ErrorCode } from '../../src/protocol/error-codes.js';
import type { McpServer } from '../../src/server/mcp-server.js';
import type { ServerSession } from '../../src/server/server-session.js';
import { MemoryTransport } from '../../src/transport/memory/memory-transport.js';
import { within } from './deadline.js';

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

/** Answers one server-to-client request: a result, or a thrown value that becomes a JSON-RPC error. */
export type ClientRequestHandler = (params: Json | undefined, message: Json) => Json | Promise<Json>;

interface Waiter {
  match: (message: unknown) => boolean;
  resolve: (message: unknown) => void;
}

/** The client end of an in-memory link. */
export class RawMemoryClient {
  readonly transport: MemoryTransport;
  readonly #pending = new Map<string | number, (message: Json) => void>();
  readonly #inbox: unknown[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #handlers = new Map<string, ClientRequestHandler>();
  #nextId = 1;

  constructor(transport: MemoryTransport) {
    this.transport = transport;
    transport.onmessage = (message) => this.#receive(message);
  }

  /** Sends a request with a fresh numeric id and resolves with the whole response message. */
  request(method: string, params?: Json): Promise<Json> {
    const id = this.#nextId++;
    return this.requestWithId(id, method, params);
  }

  /** Sends a request with the given id and resolves with the whole response message. */
  requestWithId(id: string | number, method: string, params?: Json): Promise<Json> {
    const message: Json = params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
    const answered = new Promise<Json>((resolve) => this.#pending.set(id, resolve));
    return within(this.transport.send(message as never).then(() => answered), `the response to ${method} (id ${String(id)})`);
  }

  /** Sends a notification. */
  notify(method: string, params?: Json): Promise<void> {
    const message: Json = params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
    return this.transport.send(message as never);
  }

  /** Sends any value as it is (a batch, an invalid message, a response). */
  sendRaw(value: unknown): Promise<void> {
    return this.transport.send(value as never);
  }

  /**
   * Answers every server-to-client request of `method` with `handler`'s result (or its error, as -32603 with the
   * thrown message). Without a handler, such requests wait in the inbox.
   */
  answer(method: string, handler: ClientRequestHandler): void {
    this.#handlers.set(method, handler);
  }

  /** The next unsolicited message that satisfies `match`, from the inbox or the first to arrive. */
  next(match: (message: Json) => boolean = () => true): Promise<Json> {
    const test = (m: unknown): boolean => isJson(m) && match(m);
    const at = this.#inbox.findIndex(test);
    if (at >= 0) return Promise.resolve(this.#inbox.splice(at, 1)[0] as Json);
    let waiter!: Waiter;
    const arrived = new Promise<Json>((resolve) => this.#waiters.push((waiter = { match: test, resolve: resolve as (m: unknown) => void })));
    return this.#bounded(arrived, waiter, 'a matching message from the server');
  }

  /** The next unsolicited value of any shape (a batch answer arrives as an array). */
  nextValue(): Promise<unknown> {
    if (this.#inbox.length > 0) return Promise.resolve(this.#inbox.shift());
    let waiter!: Waiter;
    const arrived = new Promise<unknown>((resolve) => this.#waiters.push((waiter = { match: () => true, resolve })));
    return this.#bounded(arrived, waiter, 'a message from the server');
  }

  /** Bounds a wait; a waiter that gave up is withdrawn, so a late message goes to the inbox instead. */
  #bounded<T>(arrived: Promise<T>, waiter: Waiter, what: string): Promise<T> {
    return within(arrived, what).catch((err: unknown) => {
      const at = this.#waiters.indexOf(waiter);
      if (at >= 0) this.#waiters.splice(at, 1);
      throw err;
    });
  }

  /** True when an unsolicited message that satisfies `match` waits in the inbox (it stays there). */
  holds(match: (message: Json) => boolean): boolean {
    return this.#inbox.some((m) => isJson(m) && match(m));
  }

  /** How many unsolicited messages wait in the inbox. */
  get inboxSize(): number {
    return this.#inbox.length;
  }

  /** Removes and returns every inbox message whose method is `method`. */
  drain(method: string): Json[] {
    const out: Json[] = [];
    for (let i = 0; i < this.#inbox.length;) {
      const m = this.#inbox[i];
      if (isJson(m) && m.method === method) {
        out.push(m);
        this.#inbox.splice(i, 1);
      } else {
        i++;
      }
    }
    return out;
  }

  /** Closes the link (the server sees the connection end). */
  close(): Promise<void> {
    return this.transport.close();
  }

  #receive(message: unknown): void {
    if (isJson(message) && !('method' in message) && (typeof message.id === 'string' || typeof message.id === 'number')) {
      const resolve = this.#pending.get(message.id);
      if (resolve) {
        this.#pending.delete(message.id);
        resolve(message);
        return;
      }
    }
    if (isJson(message) && typeof message.method === 'string' && 'id' in message) {
      const handler = this.#handlers.get(message.method);
      if (handler) {
        void this.#runHandler(handler, message);
        return;
      }
    }
    const at = this.#waiters.findIndex((w) => w.match(message));
    if (at >= 0) {
      const [waiter] = this.#waiters.splice(at, 1);
      waiter?.resolve(message);
      return;
    }
    this.#inbox.push(message);
  }

  async #runHandler(handler: ClientRequestHandler, message: Json): Promise<void> {
    const id = message.id;
    let reply: Json;
    try {
      reply = { jsonrpc: '2.0', id, result: await handler(message.params as Json | undefined, message) };
    } catch (err) {
      reply = { jsonrpc: '2.0', id, error: { code: ErrorCode.InternalError, message: (err as Error).message } };
    }
    await this.transport.send(reply as never);
  }
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A server connected to a raw client over a fresh memory link. */
export interface MemoryLink {
  client: RawMemoryClient;
  session: ServerSession;
}

/** Connects `server` to a new raw client. */
export async function connectMemory(server: McpServer): Promise<MemoryLink> {
  const [serverEnd, clientEnd] = MemoryTransport.pair();
  const session = await server.connect(serverEnd);
  const client = new RawMemoryClient(clientEnd);
  await clientEnd.start();
  return { client, session };
}

/** Options of a test initialize. */
export interface InitializeOptions {
  protocolVersion?: string;
  capabilities?: Json;
}

/** Sends initialize and `notifications/initialized`; resolves with the initialize response. */
export async function initialize(client: RawMemoryClient, options: InitializeOptions = {}): Promise<Json> {
  const response = await client.request('initialize', {
    protocolVersion: options.protocolVersion ?? '2025-11-25',
    capabilities: options.capabilities ?? {},
    clientInfo: { name: 'raw-test-client', version: '0.0.1' },
  });
  await client.notify('notifications/initialized');
  return response;
}

/** Connects and initializes in one step. */
export async function connectInitialized(server: McpServer, options: InitializeOptions = {}): Promise<MemoryLink> {
  const link = await connectMemory(server);
  const response = await initialize(link.client, options);
  if (!('result' in response)) throw new Error(`initialize failed: ${JSON.stringify(response)}`);
  return link;
}
