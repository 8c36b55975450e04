/**
 * The minimal transport contract for message-stream transports (stdio, in-memory, and later TCP and WebSocket):
 * start, send, close, and three events, as the MCP TypeScript SDK shapes it.
 *
 * Streamable HTTP is not a message stream: it is request-scoped and serves many sessions, so it drives the server
 * through `McpServer`'s request API instead of this contract (see transport/http/).
 */
import type { EventOrigin } from '../diagnostics/channels.js';
import type { JsonRpcMessage } from '../protocol/json-rpc.js';

/** A bidirectional stream of JSON-RPC messages with one peer. */
export interface Transport {
  /** What diagnostics call this transport (`stdio`, `memory`), as in `SessionOpenEvent.transport`. Default `stream`. */
  readonly name?: string;
  /**
   * The server this transport serves, for a transport that publishes diagnostics events (connections, bytes): set
   * by `McpServer.connect` before `start()`, so the events name that server. `CLIENT_ORIGIN` for a client's transport.
   */
  origin?: EventOrigin | undefined;
  /** Starts reading. Called once, by whoever connects the transport. */
  start(): Promise<void>;
  /** Writes one message (or a batch) to the peer. Rejects once the transport is closed. */
  send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void>;
  /**
   * Writes one message (or a batch) already serialised as JSON text: the answers the server's dispatcher gives,
   * which it serialises itself so that what it publishes as a request's outcome is what the peer gets. Optional:
   * a transport without it is sent the parsed message. Rejects once the transport is closed.
   */
  sendText?(text: string): Promise<void>;
  /** Closes the stream. Idempotent. */
  close(): Promise<void>;
  /**
   * Receives each parsed message, unvalidated: the receiver checks the envelope. Framing and JSON errors never get
   * here; the transport answers them itself (-32700) and keeps reading.
   */
  onmessage?: (message: unknown) => void;
  /** Reports a non-fatal error (a bad frame, a failed write). */
  onerror?: (error: Error) => void;
  /** Called once when the stream ends, from either side. */
  onclose?: () => void;
}
