/**
 * Connects the official SDK `Client` to the tour server over each transport we serve (Streamable HTTP in process,
 * stdio in a child process), the same way for both, so one tour suite runs against every transport (the hono
 * pattern, STYLE.md rule 11).
 *
 * The client's transport is wrapped by `RecordingTransport`, which records every message in both directions for
 * the schema check and can rewrite the revision the SDK asks for at initialize: the SDK always offers its latest
 * revision and has no option to offer an older one, but it accepts any revision it supports in the answer, so
 * rewriting `params.protocolVersion` on the way out is exactly a client that speaks that revision.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike, Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema, ToolListChangedNotificationSchema,
  type JSONRPCMessage, type MessageExtraInfo, type Notification,
} from '@modelcontextprotocol/sdk/types.js';
import { HttpTransport } from '../../src/transport/http/http-transport.js';
import { within } from '../helpers/deadline.js';
import { EmittedMessageLog } from '../helpers/schema-validator.js';
import { createTourServer, type TourState } from './tour-server.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STDIO_ENTRY = fileURLToPath(new URL('./tour-stdio-server.ts', import.meta.url));
const CLI_ENTRY = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** The model name the tour client's sampling handler answers with. */
export const TOUR_MODEL = 'tour-model';
/** The roots the tour client lists. */
export const TOUR_ROOTS = Object.freeze([{ uri: 'file:///work/alpha', name: 'alpha' }, { uri: 'file:///work/beta' }]);
/** What the tour client's user enters when elicited. */
export const ELICITED = Object.freeze({ name: 'Ada', age: 36 });

/** Records the messages of an SDK transport and optionally offers another revision at initialize. */
export class RecordingTransport implements Transport {
  readonly #inner: Transport;
  readonly #log: EmittedMessageLog;
  readonly #offer: string | undefined;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  constructor(inner: Transport, log: EmittedMessageLog, offerRevision?: string) {
    this.#inner = inner;
    this.#log = log;
    this.#offer = offerRevision;
  }

  get sessionId(): string | undefined {
    return this.#inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.#inner.setProtocolVersion?.(version);
  }

  start(): Promise<void> {
    this.#inner.onmessage = (message, extra) => {
      this.#log.serverSent(message);
      this.onmessage?.(message, extra);
    };
    this.#inner.onclose = () => this.onclose?.();
    this.#inner.onerror = (error) => this.onerror?.(error);
    return this.#inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    let out = message;
    if (this.#offer !== undefined && 'method' in out && out.method === 'initialize' && 'id' in out) {
      out = { ...out, params: { ...out.params, protocolVersion: this.#offer } };
    }
    this.#log.clientSent(out);
    return this.#inner.send(out, options);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

/** Notifications the client received, with waits that resolve on arrival (no sleeps). */
export class NotificationInbox {
  readonly #received: Notification[] = [];
  readonly #waiters: { match: (n: Notification) => boolean; resolve: (n: Notification) => void }[] = [];

  push(notification: Notification): void {
    this.#received.push(notification);
    for (let i = 0; i < this.#waiters.length;) {
      const waiter = this.#waiters[i];
      if (waiter?.match(notification)) {
        this.#waiters.splice(i, 1);
        waiter.resolve(notification);
      } else {
        i++;
      }
    }
  }

  /** Every notification of `method` received so far. */
  all(method: string): Notification[] {
    return this.#received.filter((n) => n.method === method);
  }

  /**
   * The first notification of `method` satisfying `match`, already received or the next to arrive; bounded, so a
   * notification that never comes fails the test that waited, by name.
   */
  waitFor(method: string, match: (params: Record<string, unknown>) => boolean = () => true): Promise<Notification> {
    const test = (n: Notification): boolean => n.method === method && match((n.params ?? {}) as Record<string, unknown>);
    const hit = this.#received.find(test);
    if (hit) return Promise.resolve(hit);
    const waiter = { match: test, resolve: (_n: Notification): void => {} };
    const arrived = new Promise<Notification>((resolve) => {
      waiter.resolve = resolve;
      this.#waiters.push(waiter);
    });
    return within(arrived, method).catch((err: unknown) => {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      throw err;
    });
  }
}

/** A connected SDK client and what the test observes around it. */
export interface TourConnection {
  transport: 'streamable-http' | 'stdio';
  client: Client;
  log: EmittedMessageLog;
  inbox: NotificationInbox;
  /** Errors the SDK client reported (unexpected messages, stream failures). */
  clientErrors: Error[];
  /** Resolves once the server can reach the client outside a request (HTTP: the GET stream is open). */
  standaloneReady: Promise<void>;
  /** The server's observations, when it runs in this process. */
  state: TourState | undefined;
  close(): Promise<void>;
}

/** Opens a tour connection over one transport. `offerRevision` is the revision the client asks for. */
export type TourConnector = (offerRevision: string) => Promise<TourConnection>;

/** An SDK client that declares sampling, elicitation and roots, and answers them. */
function tourClient(): { client: Client; inbox: NotificationInbox; clientErrors: Error[] } {
  const client = new Client(
    { name: 'sdk-tour-client', version: '1.0.0' },
    { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } } },
  );
  const inbox = new NotificationInbox();
  const clientErrors: Error[] = [];
  client.onerror = (error) => clientErrors.push(error);
  client.setRequestHandler(CreateMessageRequestSchema, (request) => {
    const first = request.params.messages[0]?.content;
    const prompt = first && !Array.isArray(first) && first.type === 'text' ? first.text : '?';
    return { model: TOUR_MODEL, role: 'assistant', content: { type: 'text', text: `you said ${prompt}` } };
  });
  client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { ...ELICITED } }));
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: TOUR_ROOTS.map((r) => ({ ...r })) }));
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => inbox.push(n));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => inbox.push(n));
  client.setNotificationHandler(ToolListChangedNotificationSchema, (n) => inbox.push(n));
  client.fallbackNotificationHandler = async (n) => inbox.push(n);
  return { client, inbox, clientErrors };
}

/** The tour over Streamable HTTP: our HttpTransport on port 0, the SDK's StreamableHTTPClientTransport. */
export const connectHttp: TourConnector = async (offerRevision) => {
  const { server, state } = createTourServer();
  const http = new HttpTransport(server, {
    host: '127.0.0.1', port: 0, path: '/mcp', stateless: false, allowedOrigins: [], allowedHosts: [], maxBodyBytes: 4 << 20,
  });
  const { url } = await http.listen();
  let markReady!: () => void;
  const standaloneReady = new Promise<void>((resolve) => (markReady = resolve));
  // The SDK opens the GET stream on its own after `initialized`; its answer's headers mean the server holds it.
  const watchGet: FetchLike = async (input, init) => {
    const response = await fetch(input, init);
    if (init?.method === 'GET' && response.ok) markReady();
    return response;
  };
  const sdkTransport = new StreamableHTTPClientTransport(new URL(url), { fetch: watchGet });
  const log = new EmittedMessageLog();
  const { client, inbox, clientErrors } = tourClient();
  try {
    await client.connect(new RecordingTransport(sdkTransport, log, offerRevision));
  } catch (err) {
    await http.close();
    await server.close();
    throw err;
  }
  return {
    transport: 'streamable-http', client, log, inbox, clientErrors, standaloneReady, state,
    close: async () => {
      try {
        await sdkTransport.terminateSession();
        await client.close();
      } finally {
        await http.close();
        await server.close();
      }
    },
  };
};

/** The tour over stdio: the SDK's StdioClientTransport spawns `tour-stdio-server.ts`. */
export const connectStdio: TourConnector = (offerRevision) => spawnStdio(offerRevision, [STDIO_ENTRY]);

/** The erlmcp CLI's `serve --stdio` (the demo toolset), spawned by the SDK's StdioClientTransport. */
export const connectCli: TourConnector = (offerRevision) => spawnStdio(offerRevision, [CLI_ENTRY, 'serve', '--stdio']);

async function spawnStdio(offerRevision: string, script: string[]): Promise<TourConnection> {
  const sdkTransport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', ...script],
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
  let stderr = '';
  sdkTransport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const log = new EmittedMessageLog();
  const { client, inbox, clientErrors } = tourClient();
  try {
    await client.connect(new RecordingTransport(sdkTransport, log, offerRevision));
  } catch (err) {
    await sdkTransport.close();
    throw new Error(`the stdio server ${script.join(' ')} did not start: ${(err as Error).message}\n${stderr}`, { cause: err });
  }
  return {
    transport: 'stdio', client, log, inbox, clientErrors, standaloneReady: Promise.resolve(), state: undefined,
    close: () => client.close(),
  };
}
