/**
 * An erlmcp server over HTTP for the client's session-renewal tests: it serves an `echo` tool (or what `register`
 * adds), and records each POST's JSON-RPC method and session id as the server's socket saw them, so a test can
 * check which initialize carried which id.
 */
import type { IncomingMessage } from 'node:http';
import { McpServer } from '../../src/server/mcp-server.js';
import { startHttp, type HttpHarness } from './http-harness.js';

/** One POST as it reached the server. */
export interface SeenPost {
  method: string;
  session: string | undefined;
}

/** The running server, what reached it, and a hook run as each POST's body arrives. */
export interface RenewalServer {
  http: HttpHarness;
  posts: SeenPost[];
  onPost: ((post: SeenPost) => void) | undefined;
  /** The session id each initialize carried, in order, from POST number `since` on. */
  initializes(since?: number): (string | undefined)[];
}

export async function startRenewalServer(register?: (server: McpServer) => void): Promise<RenewalServer> {
  const server = new McpServer({ info: { name: 'renewal', version: '1' } });
  if (register) register(server);
  else server.tool('echo', { inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }, (a) => String(a.text));
  const http = await startHttp(server);
  const seen: RenewalServer = {
    http,
    posts: [],
    onPost: undefined,
    initializes: (since = 0) => seen.posts.slice(since).filter((p) => p.method === 'initialize').map((p) => p.session),
  };
  http.transport.httpServer.prependListener('request', (req: IncomingMessage) => {
    if (req.method !== 'POST') return;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const post = { method: /"method":"([^"]+)"/.exec(body)?.[1] ?? '?', session: req.headers['mcp-session-id'] as string | undefined };
      seen.posts.push(post);
      seen.onPost?.(post);
    });
  });
  return seen;
}
