/**
 * The demo's resources: a static markdown readme, a JSON status document computed on each read, and a resource
 * template whose variable completes.
 */
import type { McpServer, Registration } from '../server/mcp-server.js';

/** URI of the demo readme. */
export const DEMO_README_URI = 'erlmcp://demo/readme';
/** URI of the server-info document. */
export const DEMO_SERVER_INFO_URI = 'erlmcp://demo/server-info';
/** The greeting template. */
export const DEMO_GREETING_TEMPLATE = 'erlmcp://demo/greeting/{name}';

const GREETING_NAMES = Object.freeze(['world', 'erlmcp', 'MCP', 'friend']);

const README = `# erlmcp demo

This server runs erlmcp's built-in demo toolset. Turn it off with \`demo: { enabled: false }\` in the config.

## Tools
- \`echo\` — returns \`text\` unchanged.
- \`add\` — adds \`a\` and \`b\`; the result is also structured (\`{ "sum": n }\`).
- \`file_search\` — finds files whose names contain \`query\` under the demo root (\`demo.root\` in the config).

## Resources
- \`${DEMO_README_URI}\` — this document.
- \`${DEMO_SERVER_INFO_URI}\` — server name, version and uptime, as JSON.
- \`${DEMO_GREETING_TEMPLATE}\` — a greeting for \`name\` (which completes).

## Prompts
- \`summarize\` — asks for a summary of \`text\`, in a \`style\` of brief, detailed or bullet.
`;

/** Registers the readme, the server-info document and the greeting template. */
export function registerDemoResources(server: McpServer): Registration[] {
  const startedAt = performance.now();
  return [
    server.resource(
      DEMO_README_URI,
      { name: 'readme', title: 'Demo readme', description: 'What the demo toolset offers.', mimeType: 'text/markdown', size: Buffer.byteLength(README) },
      (uri) => [{ uri, mimeType: 'text/markdown', text: README }],
    ),
    server.resource(
      DEMO_SERVER_INFO_URI,
      { name: 'server-info', title: 'Server info', description: 'Server name, version and uptime.', mimeType: 'application/json' },
      (uri) => [{
        uri,
        mimeType: 'application/json',
        text: JSON.stringify({
          name: server.info.name,
          version: server.info.version,
          uptimeSeconds: Math.round((performance.now() - startedAt) / 1000),
          node: process.version,
          revisions: server.offeredRevisions,
        }),
      }],
    ),
    server.resourceTemplate(
      DEMO_GREETING_TEMPLATE,
      {
        name: 'greeting',
        title: 'Greeting',
        description: 'A greeting for a name.',
        mimeType: 'text/plain',
        complete: {
          name: (value) => GREETING_NAMES.filter((n) => n.toLowerCase().startsWith(value.toLowerCase())),
        },
      },
      (uri, variables) => [{ uri, mimeType: 'text/plain', text: `Hello, ${variables.name ?? 'world'}!` }],
    ),
  ];
}
