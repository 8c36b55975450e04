/**
 * The built-in demo toolset that `erlmcp serve` offers by default: three tools, two resources, a resource template
 * and a prompt, enough for a client, the conformance suite or a load test to exercise every server feature.
 */
import { isAbsolute, resolve } from 'node:path';
import { ErlmcpError } from '../errors.js';
import type { McpServer, Registration } from '../server/mcp-server.js';
import { registerDemoPrompts } from './demo-prompts.js';
import { registerDemoResources } from './demo-resources.js';
import { registerDemoTools } from './demo-tools.js';

/** Options of the demo toolset. */
export interface DemoOptions {
  /** The directory `file_search` searches; a relative one resolves against the working directory. */
  root: string;
}

/** Registers the demo toolset on `server`. The returned registration removes all of it. */
export function registerDemo(server: McpServer, options: DemoOptions): Registration {
  if (typeof options?.root !== 'string' || options.root.length === 0) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `options.root must be a non-empty string, got ${JSON.stringify(options?.root)}`);
  }
  const root = isAbsolute(options.root) ? options.root : resolve(options.root);
  const registrations = [
    ...registerDemoTools(server, root),
    ...registerDemoResources(server),
    ...registerDemoPrompts(server),
  ];
  return { remove: () => registrations.forEach((r) => r.remove()) };
}
