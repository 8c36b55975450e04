/**
 * The ceiling: plain node:http that reads the body, JSON.parse's it and answers an echo result with one
 * JSON.stringify and a Content-Length. No MCP: no session, no header checks, no envelope check, no validation.
 *
 * With `--modern` it answers in the MCP 2026-07-28 shape (`resultType` and `serverInfo` in the result's `_meta`,
 * what erlmcp sends a 2026 client), and is sent the 2026 request: the ceiling of that era's larger messages.
 */
import { createServer } from 'node:http';
import { answerIpc, peerArgs } from '../lib/peer-args.mjs';

const { port, modern } = peerArgs();
const SERVER_INFO = { name: 'erlmcp-bench', version: '1.0.0' };

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const msg = JSON.parse(chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString());
    const content = [{ type: 'text', text: msg.params?.arguments?.text }];
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: msg.id,
      result: modern
        ? { content, resultType: 'complete', _meta: { 'io.modelcontextprotocol/serverInfo': SERVER_INFO } }
        : { content },
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 5_000;
server.listen(port, '127.0.0.1', () => console.log('ready'));
answerIpc();
process.on('SIGTERM', () => server.close(() => process.exit(0)));
