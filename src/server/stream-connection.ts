/**
 * Serves one message-stream transport (stdio, memory) as one session: every parsed value goes to the dispatcher,
 * every answer back to the same stream. The session lives as long as the connection. A value carrying 2026-07-28
 * `_meta` is served statelessly instead (modern-stream.ts), so both eras can interleave on one connection.
 */
import { ErlmcpError } from '../errors.js';
import { isModernMarked } from '../protocol/era.js';
import { MessageKind, classify, type JsonRpcMessage, type JsonRpcRequest } from '../protocol/json-rpc.js';
import type { Transport } from '../transport/transport.js';
import type { McpServer } from './mcp-server.js';
import { serveModernMessage } from './modern-stream.js';
import type { ServerSession } from './server-session.js';

/** Connects `transport` to `server`; resolves with the connection's session once the transport has started. */
export async function connectStream(server: McpServer, transport: Transport): Promise<ServerSession> {
  const session = server.sessions.draft();
  const failed = (err: unknown): void => transport.onerror?.(err as Error);
  const outlet = (message: JsonRpcMessage | JsonRpcMessage[]): void => {
    transport.send(message).catch(failed);
  };
  // Answers come serialised from the dispatcher (answer-text.ts); a transport that only takes messages gets them parsed.
  const answer = (text: string): void => {
    (transport.sendText === undefined ? transport.send(JSON.parse(text) as JsonRpcMessage) : transport.sendText(text)).catch(failed);
  };
  session.standalone = outlet;
  transport.origin = server.origin;
  server.sessions.attach(session, transport.name ?? 'stream');
  const modern = server.modern;
  // A server offering the stateless era alone admits every request there, marked or not, as HTTP does: one without
  // a `_meta` protocol version is malformed (-32602), not a session request sent before initialize. A legacy
  // initialize stays on the session path, whose answer (-32022) names the versions offered.
  const modernOnly = modern !== undefined && server.offeredRevisions.length === 0;
  transport.onmessage = (value) => {
    // A request with modern `_meta` is served statelessly (DESIGN.md "Two protocol eras on one endpoint"). A
    // notification goes to the connection's session either way: a `notifications/cancelled` that carries `_meta`
    // must still reach the request it names, which both eras track in that session's in-flight map.
    if (modern !== undefined) {
      const kind = classify(value);
      const marked = isModernMarked(value);
      const toModern = modernOnly
        ? kind === MessageKind.Request && (marked || (value as JsonRpcRequest).method !== 'initialize')
        : marked && kind !== MessageKind.Notification;
      if (toModern) return serveModernMessage(modern, session, value, outlet, answer);
    }
    void server.dispatcher.dispatchValue(session, value, outlet).then((text) => {
      if (text !== undefined) answer(text);
    });
  };
  transport.onclose = () => {
    server.sessions.detach(session, new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The connection closed'));
  };
  await transport.start();
  return session;
}
