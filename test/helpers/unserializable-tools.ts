/**
 * Two tools whose results JSON cannot carry (a BigInt in `_meta`), one answering at once and one after a progress
 * notification has opened an SSE stream: the fixtures of the tests on what a client gets for such a result, and
 * what the server publishes about it.
 */
import type { McpServer } from '../../src/server/mcp-server.js';

/** A result whose `_meta` holds a BigInt: JSON.stringify throws on it. */
function unserializable(): never {
  return { content: [{ type: 'text', text: 'x' }], _meta: { n: 1n } } as never;
}

/** Registers `bigint-now` and `bigint-streamed` on `server`, and gives it back. */
export function withUnserializableTools(server: McpServer): McpServer {
  server.tool('bigint-now', {}, () => unserializable());
  server.tool('bigint-streamed', {}, async (_args, ctx) => {
    ctx.progress(1);
    // A later tick: the progress is written (opening the stream) before the result fails to serialise.
    await new Promise((resolve) => setTimeout(resolve, 10));
    return unserializable();
  });
  return server;
}
