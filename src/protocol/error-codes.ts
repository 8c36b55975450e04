/**
 * The JSON-RPC error codes that erlmcp puts on the wire, in one place.
 *
 * Style rule: a code is never written as a literal elsewhere. The MCP spec reuses JSON-RPC's reserved range
 * (-32768..-32000) for its own codes; each one here cites where it comes from.
 */

/** Wire error codes (JSON-RPC 2.0 section 5.1, plus the MCP-defined codes). */
export enum ErrorCode {
  /** Invalid JSON was received (JSON-RPC 2.0). */
  ParseError = -32700,
  /** The JSON sent is not a valid Request object (JSON-RPC 2.0). */
  InvalidRequest = -32600,
  /** The method does not exist or is not available (JSON-RPC 2.0). */
  MethodNotFound = -32601,
  /** Invalid method parameters (JSON-RPC 2.0); MCP also uses it for unknown tools and bad cursors. */
  InvalidParams = -32602,
  /** Internal JSON-RPC error (JSON-RPC 2.0). No stack trace is ever attached. */
  InternalError = -32603,
  /** A server-to-client request timed out; the code the official SDK uses, so peers recognise it. */
  RequestTimeout = -32001,
  /** Resource not found (MCP 2025-11-25, server/resources "Error Handling"). Legacy era only: 2026-07-28 uses -32602. */
  ResourceNotFound = -32002,
  /**
   * The server is at capacity; `data.retryAfterMs` says when to try again (DESIGN.md, bounded queues). Built by
   * overload.ts only, which adds it.
   */
  Overloaded = -32003,
  /** URL-mode elicitation required (MCP 2025-11-25, client/elicitation). Legacy era only: 2026-07-28 removed it. */
  UrlElicitationRequired = -32042,
  /** An HTTP header disagrees with the body, or a required one is missing (MCP 2026-07-28 transports, HeaderMismatch). */
  HeaderMismatch = -32020,
  /** The request needs a client capability its `_meta` did not declare (MCP 2026-07-28 basic, MissingRequiredClientCapability). */
  MissingRequiredClientCapability = -32021,
  /** The requested protocol revision is not offered (MCP 2026-07-28 basic/versioning, UnsupportedProtocolVersion). */
  UnsupportedProtocolVersion = -32022,
}
