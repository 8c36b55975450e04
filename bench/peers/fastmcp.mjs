/** fastmcp 4.20.16 over its httpStream transport, stateful (or `--stateless`), JSON responses unless `--sse`. */
import { FastMCP } from 'fastmcp';
import { z } from 'zod';
import { answerIpc, peerArgs } from '../lib/peer-args.mjs';

const args = peerArgs();
const server = new FastMCP({ name: 'fastmcp-bench', version: '1.0.0' });
server.addTool({
  name: 'echo',
  description: 'Returns the given text unchanged.',
  parameters: z.object({ text: z.string() }),
  execute: async ({ text }) => text,
});
await server.start({
  transportType: 'httpStream',
  httpStream: { port: args.port, host: '127.0.0.1', endpoint: '/mcp', enableJsonResponse: !args.sse, stateless: args.stateless },
});
answerIpc();
console.log('ready');
process.on('SIGTERM', () => process.exit(0));
