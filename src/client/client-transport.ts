/**
 * What `McpClient` needs from a transport: the message-stream contract every transport already implements
 * (`Transport`), plus two optional hooks that only a request-scoped transport (Streamable HTTP) uses: the negotiated
 * revision, which it must send as `MCP-Protocol-Version` on every later request, and the session id the server
 * issued. stdio and memory transports ignore both, so they satisfy this interface as they are.
 */
import type { Transport } from '../transport/transport.js';

/** A transport a client can drive. */
export interface ClientTransport extends Transport {
  /** Called once initialize negotiated `version`; later requests carry it (2025-06-18+ basic/transports). */
  setProtocolVersion?(version: string): void;
  /** The session id the server issued, when the transport has sessions. */
  readonly sessionId?: string | undefined;
}
