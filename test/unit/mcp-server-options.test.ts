/**
 * McpServer refuses bad options by name, at construction, whatever the other options say. Before, `instructions: 12`
 * went out in every initialize result (the schema's `instructions` is a string), `serverInfoInResults: 'no'` meant
 * true, a revisions string threw "revisions.every is not a function", and `cache` and `mrtr` went unchecked unless a
 * 2026-07-28 revision was offered.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigOverrides } from '../../src/config/config-defaults.js';
import { loadConfig } from '../../src/config/load-config.js';
import { McpServer, type McpServerOptions } from '../../src/server/mcp-server.js';

const INFO = { name: 't', version: '1' };

describe('McpServer options', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['instructions that are not a string', { instructions: 12 }, /^options\.instructions must be a string, got 12$/],
    ['serverInfoInResults as a string', { serverInfoInResults: 'no' }, /^options\.serverInfoInResults must be true or false, got "no"$/],
    ['revisions as one string', { revisions: '2025-06-18' }, /^options\.revisions must list revisions among 2026-07-28, /],
    ['cache that is not an object', { cache: 5 }, /^options\.cache must be an object \{ ttlMs, scope \}, got 5$/],
    ['mrtr that is not an object', { mrtr: 'x' }, /^options\.mrtr must be an object, got "x"$/],
    ['a bad cache.ttlMs with session-era revisions only', { revisions: ['2025-06-18'], cache: { ttlMs: -1 } }, /^options\.cache\.ttlMs must be an integer between 0 and 2147483647, got -1$/],
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

  /**
   * Each option beside the config key it is mapped from (build-server.ts): the API refused no value above the
   * config's bound, so `sessionIdleTtlMs: 2 ** 31` (a timer node fires at once) or a `maxStateBytes` no message can
   * carry were taken from code and refused from a file.
   */
  const bounded: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
    ['sessionIdleTtlMs', { sessionIdleTtlMs: 2 ** 31 }, { sessions: { idleTtlMs: 2 ** 31 } }, 'an integer between 1 and 2147483647, got 2147483648'],
    ['mrtr.maxStateBytes', { mrtr: { maxStateBytes: 2 ** 28 + 1 } }, { server: { mrtrMaxStateBytes: 2 ** 28 + 1 } }, 'an integer between 1 and 268435456, got 268435457'],
    ['mrtr.stateTtlMs', { mrtr: { stateTtlMs: 2 ** 31 } }, { server: { mrtrStateTtlMs: 2 ** 31 } }, 'an integer between 1 and 2147483647, got 2147483648'],
    ['clientRequestTimeoutMs', { clientRequestTimeoutMs: 0 }, { server: { clientRequestTimeoutMs: 0 } }, 'an integer between 1 and 2147483647, got 0'],
    ['pageSize', { pageSize: 1.5 }, { server: { pageSize: 1.5 } }, 'a positive integer, got 1.5'],
    ['maxListenUris', { maxListenUris: 0 }, { limits: { maxListenUris: 0 } }, 'a positive integer, got 0'],
    ['cache.ttlMs', { cache: { ttlMs: 2 ** 31 } }, { server: { cacheTtlMs: 2 ** 31 } }, 'an integer between 0 and 2147483647, got 2147483648'],
  ];
  for (const [path, option, config, expected] of bounded) {
    it(`refuses the ${path} the config refuses, in the same words`, () => {
      assert.throws(() => new McpServer({ info: INFO, ...option } as McpServerOptions), {
        code: 'ERLMCP_ERR_INVALID_ARGUMENT',
        message: `options.${path} must be ${expected}`,
      });
      assert.throws(() => loadConfig({ env: {}, overrides: config as ConfigOverrides }), (err: Error) => {
        assert.ok(err.message.endsWith(` must be ${expected}`), err.message);
        return true;
      });
    });
  }

  it('takes the largest values the config takes', async () => {
    const server = new McpServer({ info: INFO, sessionIdleTtlMs: 2 ** 31 - 1, mrtr: { maxStateBytes: 2 ** 28, stateTtlMs: 2 ** 31 - 1 } });
    await server.close();
  });

  it('takes every option at its documented type', async () => {
    const server = new McpServer({
      info: INFO, instructions: 'hints', serverInfoInResults: false, revisions: ['2025-06-18'], cache: { ttlMs: 5, scope: 'private' },
      mrtr: { maxRounds: 2 },
    });
    await server.close();
  });
});
