/**
 * The ceiling: plain node:http that reads the body, JSON.parse's it and answers an echo result with one
 * JSON.stringify and a Content-Length. No MCP: no session, no header checks, no envelope check, no validation.
 */
import { createServer } from 'node:http';
import { answerIpc, peerArgs } from '../lib/peer-args.mjs';

const { port } = peerArgs();

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const msg = JSON.parse(chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString());
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: msg.id,
      result: { content: [{ type: 'text', text: msg.params?.arguments?.text }] },
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 5_000;
server.listen(port, '127.0.0.1', () => console.log('ready'));
answerIpc();
process.on('SIGTERM', () => server.close(() => process.exit(0)));
