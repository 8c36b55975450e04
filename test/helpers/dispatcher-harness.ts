/**
 * What the dispatcher suites share: servers closed when the test file ends, a raw tools/call, and the official
 * schema check of a result, closed-world.
 */
import { after } from 'node:test';
import assert from 'node:assert/strict';
import type { McpServer } from '../../src/server/mcp-server.js';
import type { Json, RawMemoryClient } from './memory-client.js';
import { pick } from './json-path.js';
import { SpecSchemaValidator, formatIssues } from './schema-validator.js';
import { createTestServer } from './test-server.js';


/** Servers built by a test, closed once the file is done. */
const servers: McpServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

export function track(server: McpServer): McpServer {
  servers.push(server);
  return server;
}

export function newServer(options?: Parameters<typeof createTestServer>[0]): McpServer {
  return track(createTestServer(options));
}

/**
 * Undefined when `value` conforms to `definition` in the official schema of `revision`, closed-world (a field the
 * revision does not define fails too), else a description of what does not.
 */
export function specErrors(revision: string, definition: string, value: unknown): string | undefined {
  const issue = SpecSchemaValidator.forRevision(revision, { closed: true }).check(definition, value);
  return issue && formatIssues(revision, [issue]);
}

export function errorCode(response: Json): unknown {
  return pick(response, 'error.code');
}

export function callTool(client: RawMemoryClient, name: string, args?: Json, meta?: Json): Promise<Json> {
  const params: Json = { name };
  if (args !== undefined) params.arguments = args;
  if (meta !== undefined) params._meta = meta;
  return client.request('tools/call', params);
}

/** The text of a tools/call result's first content block. */
export function toolText(response: Json): string {
  const text = pick(response, 'result.content.0.text');
  assert.equal(typeof text, 'string', `no text content in ${JSON.stringify(response)}`);
  return text as string;
}

