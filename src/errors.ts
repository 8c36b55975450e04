/**
 * Platform errors: the local error family, which never crosses the wire as a JSON-RPC code.
 *
 * Each has a stable string code (`ERLMCP_ERR_*`), an HTTP status where one applies, and a `cause`. Codes are
 * registered once in `PlatformErrorCode`; a test checks that none is reused.
 */

/** Every platform error code, with the HTTP status it maps to (0 when none applies). */
export const PlatformErrorCode = Object.freeze({
  ERLMCP_ERR_CONFIG_INVALID: 0,
  ERLMCP_ERR_CONFIG_FILE: 0,
  ERLMCP_ERR_INVALID_ARGUMENT: 0,
  ERLMCP_ERR_DUPLICATE_REGISTRATION: 0,
  ERLMCP_ERR_TRANSPORT_CLOSED: 0,
  ERLMCP_ERR_NOT_CONNECTED: 0,
  ERLMCP_ERR_MESSAGE_TOO_LARGE: 413,
  ERLMCP_ERR_SESSION_NOT_FOUND: 404,
  ERLMCP_ERR_SESSION_REQUIRED: 400,
  ERLMCP_ERR_UNSUPPORTED_PROTOCOL_VERSION: 400,
  ERLMCP_ERR_FORBIDDEN_ORIGIN: 403,
  ERLMCP_ERR_NOT_ACCEPTABLE: 406,
  ERLMCP_ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERLMCP_ERR_METHOD_NOT_ALLOWED: 405,
  ERLMCP_ERR_CAPABILITY_MISSING: 0,
  ERLMCP_ERR_SERVER_CLOSING: 503,
  ERLMCP_ERR_MODULE_LOAD: 0,
  ERLMCP_ERR_HTTP_STATUS: 0,
  ERLMCP_ERR_STREAM_ENDED: 0,
  ERLMCP_ERR_SPAWN_FAILED: 0,
  ERLMCP_ERR_LISTEN: 0,
  ERLMCP_ERR_TIMEOUT: 0,
});

/** A platform error code. */
export type PlatformErrorCodeName = keyof typeof PlatformErrorCode;

/** A local error with a stable code and, where one applies, an HTTP status. */
export class ErlmcpError extends Error {
  readonly code: PlatformErrorCodeName;
  readonly status: number;

  constructor(code: PlatformErrorCodeName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ErlmcpError';
    this.code = code;
    this.status = PlatformErrorCode[code];
  }
}
