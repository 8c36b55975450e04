/**
 * A tiny JSON-RPC-over-HTTP client on `node:http` with a keep-alive agent, for tests that need control over every
 * header (Host and Origin included, which `fetch` will not let a caller set) and a clean shutdown: `close()`
 * destroys the agent's sockets, so a test can then assert the server holds none.
 *
 * `McpHttpSession` adds the Streamable HTTP session headers (Mcp-Session-Id, MCP-Protocol-Version) to each call.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { within } from './deadline.js';
import { SseReader } from './sse-reader.js';

/** The Accept and Content-Type a conforming Streamable HTTP client sends with a POST. */
export const POST_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  accept: 'application/json, text/event-stream',
  'content-type': 'application/json',
});

/** One request to send. */
export interface HttpCall {
  method?: string;
  /** Defaults to the client's endpoint path. */
  path?: string;
  headers?: OutgoingHttpHeaders;
  /** A string or Buffer is sent as is; anything else is JSON-encoded. */
  body?: unknown;
}

/** A whole, buffered answer. */
export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An answer whose body is still arriving, read as an SSE stream. */
export interface HttpStream {
  status: number;
  headers: IncomingHttpHeaders;
  sse: SseReader;
}

/** Parses a reply's body as JSON; throws with the body in the message when it is not JSON. */
export function jsonOf(reply: HttpReply): Record<string, unknown> {
  try {
    return JSON.parse(reply.body) as Record<string, unknown>;
  } catch {
    throw new Error(`expected a JSON body, got status ${reply.status} with ${JSON.stringify(reply.body)}`);
  }
}

/** A keep-alive HTTP client for one MCP endpoint. */
export class RawHttpClient {
  readonly agent: Agent;
  readonly url: URL;

  constructor(url: string, options: { maxSockets?: number } = {}) {
    this.url = new URL(url);
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 });
  }

  /**
   * Sends one request and buffers the whole answer. An answer that does not end in time fails the wait, and its
   * connection is dropped so it cannot hold the test open.
   */
  send(call: HttpCall): Promise<HttpReply> {
    let response: IncomingMessage | undefined;
    const whole = this.#open(call).then(async (res) => {
      response = res;
      res.setEncoding('utf8');
      let body = '';
      for await (const chunk of res) body += chunk as string;
      return { status: res.statusCode ?? 0, headers: res.headers, body };
    });
    return within(whole, `the whole answer to ${call.method ?? 'POST'} ${call.path ?? this.url.pathname}`).catch((err: unknown) => {
      response?.destroy();
      throw err;
    });
  }

  /** Sends one request and resolves once the answer's headers arrive, with its body as an SSE reader. */
  async stream(call: HttpCall): Promise<HttpStream> {
    const res = await within(this.#open(call), `the headers of the answer to ${call.method ?? 'POST'}`);
    return { status: res.statusCode ?? 0, headers: res.headers, sse: new SseReader(res) };
  }

  /** Destroys every socket of the agent. */
  close(): void {
    this.agent.destroy();
  }

  #open(call: HttpCall): Promise<IncomingMessage> {
    const body = call.body === undefined
      ? undefined
      : typeof call.body === 'string' || Buffer.isBuffer(call.body) ? call.body : JSON.stringify(call.body);
    const headers: OutgoingHttpHeaders = { ...call.headers };
    if (body !== undefined && headers['content-length'] === undefined) headers['content-length'] = Buffer.byteLength(body);
    return new Promise((resolve, reject) => {
      const req = httpRequest({
        agent: this.agent,
        hostname: this.url.hostname,
        port: this.url.port,
        path: call.path ?? this.url.pathname,
        method: call.method ?? 'POST',
        headers,
      }, resolve);
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** Options of an HTTP initialize. */
export interface HttpInitializeOptions {
  protocolVersion?: string;
  capabilities?: Record<string, unknown>;
}

/** The initialize request a test client sends. */
export function initializeRequest(id: number | string, options: HttpInitializeOptions = {}): Record<string, unknown> {
  return {
    jsonrpc: '2.0', id, method: 'initialize',
    params: {
      protocolVersion: options.protocolVersion ?? '2025-11-25',
      capabilities: options.capabilities ?? {},
      clientInfo: { name: 'raw-http-test-client', version: '0.0.1' },
    },
  };
}

/** One initialized Streamable HTTP session, seen from the client. */
export class McpHttpSession {
  readonly client: RawHttpClient;
  readonly id: string;
  readonly protocolVersion: string;
  #nextId = 1000;

  constructor(client: RawHttpClient, id: string, protocolVersion: string) {
    this.client = client;
    this.id = id;
    this.protocolVersion = protocolVersion;
  }

  /** The session headers, plus `extra`. */
  headers(extra?: OutgoingHttpHeaders): OutgoingHttpHeaders {
    return { 'mcp-session-id': this.id, 'mcp-protocol-version': this.protocolVersion, ...extra };
  }

  /** A fresh request id. */
  nextId(): number {
    return this.#nextId++;
  }

  /** POSTs one message with the conforming headers and buffers the answer. */
  post(message: unknown, extra?: OutgoingHttpHeaders): Promise<HttpReply> {
    return this.client.send({ body: message, headers: this.headers({ ...POST_HEADERS, ...extra }) });
  }

  /** POSTs one message and reads the answer as a stream. */
  postStream(message: unknown, extra?: OutgoingHttpHeaders): Promise<HttpStream> {
    return this.client.stream({ body: message, headers: this.headers({ ...POST_HEADERS, ...extra }) });
  }

  /** Sends a request and resolves with its parsed JSON response; fails if the answer is not JSON. */
  async call(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>> {
    const message = params === undefined
      ? { jsonrpc: '2.0', id: this.nextId(), method }
      : { jsonrpc: '2.0', id: this.nextId(), method, params };
    return jsonOf(await this.post(message));
  }

  /** Opens the session's GET stream. */
  get(extra?: OutgoingHttpHeaders): Promise<HttpStream> {
    return this.client.stream({ method: 'GET', headers: this.headers({ accept: 'text/event-stream', ...extra }) });
  }

  /** Ends the session. */
  delete(): Promise<HttpReply> {
    return this.client.send({ method: 'DELETE', headers: this.headers() });
  }
}

/** Initializes a session over HTTP; fails when the server answers without a session id. */
export async function initializeHttp(client: RawHttpClient, options: HttpInitializeOptions = {}): Promise<McpHttpSession> {
  const reply = await client.send({ body: initializeRequest(1, options), headers: POST_HEADERS });
  const id = reply.headers['mcp-session-id'];
  if (reply.status !== 200 || typeof id !== 'string') {
    throw new Error(`initialize failed: ${reply.status} ${reply.body}`);
  }
  const negotiated = (jsonOf(reply).result as { protocolVersion: string }).protocolVersion;
  return new McpHttpSession(client, id, negotiated);
}
