/**
 * Connects the erlmcp `McpClient` to tour servers over each transport, the same way for all, so one client suite
 * runs against every server and transport (STYLE.md rule 11):
 *   - the erlmcp tour server (tour-server.ts): Streamable HTTP in process, stdio in a child process;
 *   - the official SDK's twin of it (sdk-tour-server.ts): Streamable HTTP in process, stdio in a child process.
 *
 * The client's transport is wrapped so the test sees every message in both directions.
 */
import { fileURLToPath } from 'node:url';
import { McpClient } from '../../src/client/mcp-client.js';
import type { ClientTransport } from '../../src/client/client-transport.js';
import type { JsonRpcMessage } from '../../src/protocol/json-rpc.js';
import type { SessionRevision } from '../../src/protocol/versions.js';
import { HttpTransport } from '../../src/transport/http/http-transport.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { StdioClientTransport } from '../../src/transport/stdio/stdio-client-transport.js';
import { ELICITED, NotificationInbox, TOUR_MODEL, TOUR_ROOTS } from './sdk-connections.js';
import { listenSdkTourHttp } from './sdk-tour-server.js';
import { createTourServer, type TourState } from './tour-server.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ERLMCP_STDIO = fileURLToPath(new URL('./tour-stdio-server.ts', import.meta.url));
const SDK_STDIO = fileURLToPath(new URL('./sdk-tour-stdio-server.ts', import.meta.url));

/** Which implementation serves the tour. */
export type TourFlavour = 'erlmcp' | 'sdk';

/** Records the messages of a client transport, both ways. */
export class RecordingClientTransport implements ClientTransport {
  readonly #inner: ClientTransport;
  readonly sent: unknown[] = [];
  readonly received: unknown[] = [];
  onmessage?: (message: unknown) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  constructor(inner: ClientTransport) {
    this.#inner = inner;
  }

  get sessionId(): string | undefined {
    return this.#inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.#inner.setProtocolVersion?.(version);
  }

  start(): Promise<void> {
    this.#inner.onmessage = (message) => {
      this.received.push(message);
      this.onmessage?.(message);
    };
    this.#inner.onerror = (error) => this.onerror?.(error);
    this.#inner.onclose = () => this.onclose?.();
    return this.#inner.start();
  }

  send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    this.sent.push(message);
    return this.#inner.send(message);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

/** A connected erlmcp client and what the test observes around it. */
export interface ClientTourConnection {
  flavour: TourFlavour;
  transport: 'streamable-http' | 'stdio';
  client: McpClient;
  recorder: RecordingClientTransport;
  inbox: NotificationInbox;
  /** Errors the client reported. */
  clientErrors: Error[];
  /** The erlmcp server's observations, when it runs in this process. */
  state: TourState | undefined;
  close(): Promise<void>;
}

/** Opens one tour connection, offering `revision`. */
export type ClientTourConnector = (revision: SessionRevision) => Promise<ClientTourConnection>;

/** A client that declares sampling, elicitation and roots, and answers them as the SDK tour client does. */
export function tourClient(revision: SessionRevision): { client: McpClient; inbox: NotificationInbox; clientErrors: Error[] } {
  const client = new McpClient({ name: 'erlmcp-tour-client', version: '1.0.0' }, {
    protocolVersion: revision,
    requestTimeoutMs: 15_000,
    sampling: (params) => {
      const first = params.messages[0]?.content;
      const prompt = first && !Array.isArray(first) && first.type === 'text' ? String(first.text) : '?';
      return { model: TOUR_MODEL, role: 'assistant', content: { type: 'text', text: `you said ${prompt}` } };
    },
    elicitation: () => ({ action: 'accept', content: { ...ELICITED } }),
    roots: TOUR_ROOTS.map((r) => ({ ...r })),
  });
  const inbox = new NotificationInbox();
  const clientErrors: Error[] = [];
  client.on('error', (err) => clientErrors.push(err));
  client.on('notification', (method, params) => inbox.push({ method, params } as never));
  return { client, inbox, clientErrors };
}

async function connectWith(
  flavour: TourFlavour,
  kind: 'streamable-http' | 'stdio',
  revision: SessionRevision,
  inner: ClientTransport,
  state: TourState | undefined,
  stop: () => Promise<void>,
): Promise<ClientTourConnection> {
  const recorder = new RecordingClientTransport(inner);
  const { client, inbox, clientErrors } = tourClient(revision);
  try {
    await client.connect(recorder);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    flavour, transport: kind, client, recorder, inbox, clientErrors, state,
    close: async () => {
      try {
        await client.close();
      } finally {
        await stop();
      }
    },
  };
}

/** The erlmcp tour server over Streamable HTTP, in process on port 0. */
export const connectErlmcpHttp: ClientTourConnector = async (revision) => {
  const { server, state } = createTourServer();
  const http = new HttpTransport(server, {
    host: '127.0.0.1', port: 0, path: '/mcp', stateless: false, allowedOrigins: [], allowedHosts: [], maxBodyBytes: 4 << 20,
  });
  const { url } = await http.listen();
  return connectWith('erlmcp', 'streamable-http', revision, new StreamableHttpClientTransport(url), state, async () => {
    await http.close();
    await server.close();
  });
};

/** The erlmcp tour server over stdio, spawned. */
export const connectErlmcpStdio: ClientTourConnector = (revision) =>
  connectWith('erlmcp', 'stdio', revision, spawnTsx(ERLMCP_STDIO), undefined, async () => {});

/** The SDK tour server over Streamable HTTP, in process on port 0. */
export const connectSdkHttp: ClientTourConnector = async (revision) => {
  const { url, close } = await listenSdkTourHttp();
  return connectWith('sdk', 'streamable-http', revision, new StreamableHttpClientTransport(url), undefined, close);
};

/** The SDK tour server over the SDK's StdioServerTransport, spawned. */
export const connectSdkStdio: ClientTourConnector = (revision) =>
  connectWith('sdk', 'stdio', revision, spawnTsx(SDK_STDIO), undefined, async () => {});

function spawnTsx(script: string): StdioClientTransport {
  return new StdioClientTransport({ command: process.execPath, args: ['--import', 'tsx', script], cwd: REPO_ROOT, stderr: 'inherit' });
}
