/**
 * McpServer refuses bad options by name, at construction, whatever the other options say. Before, `instructions: 12`
 * went out in every initialize result (the schema's `instructions` is a string), `serverInfoInResults: 'no'` meant
 * true, a revisions string threw "revisions.every is not a function", and `cache` and `mrtr` went unchecked unless a
 * 2026-07-28 revision was offered.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpServer, type McpServerOptions } from '../../src/server/mcp-server.js';

const INFO = { name: 't', version: '1' };

describe('McpServer options', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['instructions that are not a string', { instructions: 12 }, /^options\.instructions must be a string, got 12$/],
    ['serverInfoInResults as a string', { serverInfoInResults: 'no' }, /^options\.serverInfoInResults must be true or false, got "no"$/],
    ['revisions as one string', { revisions: '2025-06-18' }, /^options\.revisions must list revisions among 2026-07-28, /],
    ['cache that is not an object', { cache: 5 }, /^options\.cache must be an object \{ ttlMs, scope \}, got 5$/],
    ['mrtr that is not an object', { mrtr: 'x' }, /^options\.mrtr must be an object, got "x"$/],
    ['a bad cache.ttlMs with session-era revisions only', { revisions: ['2025-06-18'], cache: { ttlMs: -1 } }, /^options\.cache\.ttlMs must be a non-negative integer, got -1$/],
    ['a bad mrtr.maxRounds with session-era revisions only', { revisions: ['2025-06-18'], mrtr: { maxRounds: 0 } }, /^options\.mrtr\.maxRounds must be a positive integer, got 0$/],
  ];
  for (const [what, change, message] of cases) {
    it(`refuses ${what}, naming the option`, () => {
      assert.throws(() => new McpServer({ info: INFO, ...change } as McpServerOptions), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'ERLMCP_ERR_INVALID_ARGUMENT');
        assert.match(err.message, message);
        return true;
      });
    });
  }

  it('takes every option at its documented type', async () => {
    const server = new McpServer({
      info: INFO, instructions: 'hints', serverInfoInResults: false, revisions: ['2025-06-18'], cache: { ttlMs: 5, scope: 'private' },
      mrtr: { maxRounds: 2 },
    });
    await server.close();
  });
});
