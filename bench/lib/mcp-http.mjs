/**
 * A minimal MCP-over-HTTP client for the bench's set-up and checks: open a session, send one message, and read
 * the answer whether it came as JSON or as an SSE stream.
 */

/** The protocol revision every bench request speaks (the newest that erlmcp, the SDK and fastmcp share). */
export const PROTOCOL_VERSION = '2025-11-25';

/** The stateless era's revision, spoken only by the `erlmcp-2026` peer: no initialize, no session. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

const BASE_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/**
 * POSTs one message; resolves with the status, the session id header and the JSON-RPC messages received.
 * `extraHeaders` (lower-case names) carries what a stateless-era request adds: `mcp-method`, `mcp-name`.
 */
export async function post(url, message, sessionId, version = PROTOCOL_VERSION, extraHeaders = undefined) {
  const headers = { ...BASE_HEADERS, ...extraHeaders };
  if (sessionId) headers['mcp-session-id'] = sessionId;
  if (version) headers['mcp-protocol-version'] = version;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(message) });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  let messages = [];
  if (type.startsWith('text/event-stream')) {
    for (const block of text.split('\n\n')) {
      const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (data.length > 0) messages.push(JSON.parse(data));
    }
  } else if (text.length > 0) {
    const parsed = JSON.parse(text);
    messages = Array.isArray(parsed) ? parsed : [parsed];
  }
  return { status: res.status, sessionId: res.headers.get('mcp-session-id') ?? undefined, type, messages, bytes: text.length };
}

/** The initialize request every client of the bench sends. */
export function initializeRequest(id = 1) {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'erlmcp-bench', version: '1.0.0' } },
  };
}

// The methods whose Mcp-Name header mirrors a params field (MCP 2026-07-28 basic/transports/streamable-http,
// "Request Metadata"); src/transport/http/mcp-headers.ts refuses a request without it (400, -32020).
const NAMED_FIELD = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

/**
 * The 2026-07-28 form of a bench message. Every stateless-era request carries its revision and the client's
 * capabilities in `params._meta` (both required; `{}` declares none), and mirrors its method, and the name it
 * targets, in `Mcp-Method` and `Mcp-Name` so proxies can route without reading the body. A name that is not
 * visible ASCII goes as `=?base64?...?=`, the only form the spec lets such a value take.
 */
export function modernRequest(message) {
  const params = {
    ...message.params,
    _meta: {
      ...message.params?._meta,
      'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL_VERSION,
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  };
  const headers = { 'mcp-method': message.method };
  const field = NAMED_FIELD[message.method];
  if (field !== undefined) {
    const name = String(params[field]);
    headers['mcp-name'] = /^[\x20-\x7e]*$/.test(name) ? name : `=?base64?${Buffer.from(name).toString('base64')}?=`;
  }
  return { message: { ...message, params }, version: MODERN_PROTOCOL_VERSION, headers };
}

/** Opens a session (initialize, then notifications/initialized) and resolves with its id. */
export async function openSession(url) {
  const init = await post(url, initializeRequest(), undefined, undefined);
  if (init.status !== 200 || !init.sessionId) throw new Error(`initialize at ${url} gave ${init.status} without a session id`);
  const note = await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, init.sessionId);
  if (note.status !== 202) throw new Error(`notifications/initialized at ${url} gave ${note.status}`);
  return init.sessionId;
}
