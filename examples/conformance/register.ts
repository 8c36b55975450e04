/**
 * The conformance fixtures as an `erlmcp serve` config module: every tool, resource, template and prompt that the
 * official conformance suite (`@modelcontextprotocol/conformance@0.1.13` for 2025-11-25, `0.2.0-alpha.12` for 2026-07-28) exercises,
 * written only against erlmcp's public API. `erlmcp.yaml` beside this file loads it with the demo toolset off
 * and every POST answered over SSE; test/conformance/conformance.test.ts runs the suite against it.
 *
 * The module contract (src/cli/module-loader.ts): a default export, or a named `register`, taking the server.
 */
import type { McpServer, Registration } from '../../src/index.js';
import { registerConformancePrompts } from './conformance-prompts.js';
import { registerConformanceResources } from './conformance-resources.js';
import { registerConformanceTools } from './conformance-tools.js';
import { registerModernFixtures } from './conformance-modern.js';

/** Registers the conformance fixtures on `server`. The returned registration removes all of them. */
export function register(server: McpServer): Registration {
  const registrations = [
    ...registerConformanceTools(server),
    ...registerConformanceResources(server),
    ...registerConformancePrompts(server),
    ...registerModernFixtures(server),
  ];
  return { remove: () => registrations.forEach((r) => r.remove()) };
}

export default register;
