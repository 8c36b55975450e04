/**
 * The erlmcp client as the official conformance suite's client under test:
 *
 *   npx conformance client --command "npx tsx examples/conformance/client.ts" --scenario <name>
 *
 * The suite appends the mock server's URL as the last argument and names the scenario in MCP_CONFORMANCE_SCENARIO.
 * Each scenario gets the behaviour it checks; anything unknown runs the plain tour (initialize, list tools, close).
 * Exit code 0 means the client did its part; the suite scores the rest from what its mock server saw.
 */
import { McpClient } from '../../src/client/mcp-client.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';

const url = process.argv.at(-1);
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
if (url === undefined || !/^https?:\/\//.test(url)) {
  process.stderr.write('usage: client.ts <server-url> (with MCP_CONFORMANCE_SCENARIO set)\n');
  process.exit(2);
}

/** A client that accepts every elicitation with what the handler leaves empty, so the schema's defaults apply. */
function conformanceClient(): McpClient {
  return new McpClient({ name: 'erlmcp-conformance-client', version: '1.0.0' }, {
    requestTimeoutMs: 20_000,
    elicitation: () => ({ action: 'accept', content: {} }),
  });
}

async function run(): Promise<void> {
  const client = conformanceClient();
  client.on('error', (err) => process.stderr.write(`client: ${err.message}\n`));
  await client.connect(new StreamableHttpClientTransport(url as string));
  try {
    switch (scenario) {
      case 'initialize':
        break;
      case 'tools_call': {
        const tools = await client.listAllTools();
        if (!tools.some((t) => t.name === 'add_numbers')) throw new Error('the server offers no add_numbers tool');
        const result = await client.callTool({ name: 'add_numbers', arguments: { a: 5, b: 3 } });
        process.stdout.write(`${JSON.stringify(result)}\n`);
        break;
      }
      case 'elicitation-sep1034-client-defaults': {
        await client.listAllTools();
        const result = await client.callTool({ name: 'test_client_elicitation_defaults', arguments: {} });
        process.stdout.write(`${JSON.stringify(result)}\n`);
        break;
      }
      case 'sse-retry': {
        await client.listAllTools();
        const result = await client.callTool({ name: 'test_reconnection', arguments: {} });
        process.stdout.write(`${JSON.stringify(result)}\n`);
        break;
      }
      default: {
        const tools = await client.listAllTools();
        process.stdout.write(`${tools.length} tool(s)\n`);
      }
    }
  } finally {
    await client.close();
  }
}

try {
  await run();
} catch (err) {
  process.stderr.write(`conformance client (${scenario}): ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
