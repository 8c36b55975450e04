/**
 * Environment overrides: `ERLMCP_A__B=v` sets `a.b`, keys match ignoring case and underscores, values are typed by
 * the key, and bad names or values are errors that name the variable.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';
import { ErlmcpError } from '../../src/errors.js';

function failure(env: Record<string, string>): string {
  try {
    loadConfig({ env });
  } catch (err) {
    assert.ok(err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_CONFIG_INVALID');
    return err.message;
  }
  assert.fail('expected the environment to be rejected');
}

describe('environment overrides', () => {
  it('sets nested keys with double underscores', () => {
    const config = loadConfig({ env: { ERLMCP_SERVER__PORT: '9000', ERLMCP_CACHE__L1__SIZE: '5000' } });
    assert.equal(config.server.port, 9000);
    assert.equal(config.cache.l1.size, 5000);
    assert.equal(config.cache.l1.ttlMs, 60_000);
  });

  it('matches camelCase and snake_case keys ignoring case and underscores', () => {
    const config = loadConfig({
      env: {
        ERLMCP_SESSIONS__IDLE_TTL_MS: '1000',
        ERLMCP_THREAD_POOLS__IO__QUEUE_SIZE: '7',
        erlmcp_ignored: 'lowercase prefix is not ours',
        ERLMCP_server__ALLOWEDORIGINS: 'https://a.example, https://b.example',
      },
    });
    assert.equal(config.sessions.idleTtlMs, 1000);
    assert.equal(config.thread_pools.io.queueSize, 7);
    assert.deepEqual(config.server.allowedOrigins, ['https://a.example', 'https://b.example']);
  });

  it('types values by their key', () => {
    const config = loadConfig({
      env: {
        ERLMCP_SERVER__STATELESS: 'true',
        ERLMCP_SERVER__VERSION: '1.0',
        ERLMCP_SERVER__INSTRUCTIONS: 'null',
        ERLMCP_SERVER__ALLOWED_HOSTS: '["a.example","b.example"]',
        ERLMCP_MODULES: '/opt/tools.js',
        ERLMCP_RUNTIME__MAX_OLD_SPACE_SIZE_MB: '2048',
        ERLMCP_CACHE__L2: '{"enabled": true, "nodes": ["r1:6379"]}',
      },
    });
    assert.equal(config.server.stateless, true);
    assert.equal(config.server.version, '1.0', 'a string key keeps the raw text');
    assert.equal(config.server.instructions, null);
    assert.deepEqual(config.server.allowedHosts, ['a.example', 'b.example']);
    assert.deepEqual(config.modules, ['/opt/tools.js']);
    assert.equal(config.runtime.maxOldSpaceSizeMb, 2048);
    assert.equal(config.cache.l2.enabled, true);
    assert.deepEqual(config.cache.l2.nodes, ['r1:6379']);
    assert.equal(config.cache.l2.ttlMs, 300_000, 'a section set from JSON still merges');
  });

  it('reaches the 2026-07-28 tuning keys', () => {
    const config = loadConfig({
      env: { ERLMCP_SERVER__MRTR_MAX_STATE_BYTES: '2048', ERLMCP_SERVER__MRTR_MAX_ROUNDS: '5', ERLMCP_SERVER__SSE_KEEP_ALIVE_MS: '750' },
    });
    assert.equal(config.server.mrtrMaxStateBytes, 2048);
    assert.equal(config.server.mrtrMaxRounds, 5);
    assert.equal(config.server.sseKeepAliveMs, 750);
    assert.equal(
      failure({ ERLMCP_SERVER__SSE_KEEP_ALIVE_MS: '0' }),
      'config: server.sseKeepAliveMs must be an integer between 1 and 2147483647, got 0 (from ERLMCP_SERVER__SSE_KEEP_ALIVE_MS)',
    );
    assert.equal(
      failure({ ERLMCP_SERVER__MRTR_MAX_ROUNDS: 'many' }),
      'config: server.mrtrMaxRounds must be a positive integer, written in decimal digits, got "many" (from ERLMCP_SERVER__MRTR_MAX_ROUNDS)',
    );
  });

  it('names the variable when its value is invalid', () => {
    assert.equal(
      failure({ ERLMCP_SERVER__PORT: 'abc' }),
      'config: server.port must be an integer between 0 and 65535, written in decimal digits, got "abc" (from ERLMCP_SERVER__PORT)',
    );
    assert.equal(
      failure({ ERLMCP_SERVER__ALLOWED_ORIGINS: '[1]' }),
      'config: server.allowedOrigins[0] must be an origin "scheme://host[:port]" with no path, got 1 (from ERLMCP_SERVER__ALLOWED_ORIGINS)',
    );
  });

  it('takes integers as decimal digits only, as --port does, naming the variable', () => {
    // JSON alone took 1e3 and 1.0 as 1000 and 1, so the environment accepted a port the flag refused.
    for (const raw of ['1e3', '1.0', '1E3', '0x10', ' 9000', '9000\n', '+80']) {
      assert.equal(
        failure({ ERLMCP_SERVER__PORT: raw }),
        `config: server.port must be an integer between 0 and 65535, written in decimal digits, got ${JSON.stringify(raw)} (from ERLMCP_SERVER__PORT)`,
      );
    }
    assert.equal(
      failure({ ERLMCP_RUNTIME__MAX_OLD_SPACE_SIZE_MB: '2e3' }),
      'config: runtime.maxOldSpaceSizeMb must be an integer >= 16 or null, written in decimal digits, got "2e3" (from ERLMCP_RUNTIME__MAX_OLD_SPACE_SIZE_MB)',
    );
    assert.equal(failure({ ERLMCP_SERVER__PORT: '-1' }), 'config: server.port must be an integer between 0 and 65535, got -1 (from ERLMCP_SERVER__PORT)');
    const config = loadConfig({ env: { ERLMCP_SERVER__PORT: '0080', ERLMCP_RUNTIME__MAX_OLD_SPACE_SIZE_MB: 'null' } });
    assert.equal(config.server.port, 80);
    assert.equal(config.runtime.maxOldSpaceSizeMb, null);
  });

  it('names unknown keys below a known section', () => {
    assert.equal(failure({ ERLMCP_SERVER__PROT: '1' }), 'config: unknown key server.prot (from ERLMCP_SERVER__PROT); did you mean server.port?');
    assert.match(failure({ ERLMCP_SERVER__PORT__X: '1' }), /^config: ERLMCP_SERVER__PORT__X \("1"\) sets a key inside server\.port, which is not a section$/);
  });

  it('points single-underscore spellings of real keys at the right name', () => {
    assert.equal(
      failure({ ERLMCP_SERVER_PORT: '9000' }),
      'config: ERLMCP_SERVER_PORT names no config key; nesting takes a double underscore, as in ERLMCP_SERVER__PORT',
    );
    assert.match(failure({ ERLMCP_CACHE_L1_SIZE: '1' }), /as in ERLMCP_CACHE__L1__SIZE$/);
  });

  it('ignores variables that name no section', () => {
    const config = loadConfig({ env: { ERLMCP_REDIS_URL: 'redis://x', ERLMCP_LOG: 'debug', ERLMCP_: 'x' } });
    assert.equal(config.server.port, 8080);
  });

  it('reads process.env when no env is given', () => {
    process.env.ERLMCP_SERVER__PAGE_SIZE = '7';
    try {
      assert.equal(loadConfig().server.pageSize, 7);
    } finally {
      delete process.env.ERLMCP_SERVER__PAGE_SIZE;
    }
  });
});
