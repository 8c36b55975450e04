/**
 * Config validation messages: every problem names the exact key path and what was expected, unknown keys are
 * errors with a hint, and all problems of a file are reported at once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';
import type { ConfigOverrides } from '../../src/config/config-defaults.js';
import { ErlmcpError } from '../../src/errors.js';
import { parseHost } from '../../src/cli/cli-options.js';

/** The message of loading `overrides`, which must fail with ERLMCP_ERR_CONFIG_INVALID. */
function failure(overrides: unknown): string {
  try {
    loadConfig({ env: {}, overrides: overrides as ConfigOverrides });
  } catch (err) {
    assert.ok(err instanceof ErlmcpError, 'an ErlmcpError');
    assert.equal(err.code, 'ERLMCP_ERR_CONFIG_INVALID');
    return err.message;
  }
  assert.fail('expected the config to be rejected');
}

describe('config validation', () => {
  it('names the path, the expectation and the value of a bad type', () => {
    assert.equal(failure({ server: { port: 'abc' } }), 'config: server.port must be an integer between 0 and 65535, got "abc"');
    assert.equal(failure({ server: { stateless: 'yes' } }), 'config: server.stateless must be true or false, got "yes"');
    assert.equal(failure({ cache: { l1: { size: 1.5 } } }), 'config: cache.l1.size must be a positive integer, got 1.5');
    assert.equal(failure({ server: { host: 5 } }), 'config: server.host must be a host name or IP address, without port, brackets or spaces (write ::1, not [::1]), got 5');
  });

  it('shows an infinite or NaN value as what it is, not as the null of its JSON form', () => {
    // YAML spells them .inf and .nan; an environment variable set to 1e400 parses as Infinity.
    assert.equal(failure({ server: { port: Number.POSITIVE_INFINITY } }), 'config: server.port must be an integer between 0 and 65535, got Infinity');
    assert.equal(failure({ server: { pageSize: Number.NaN } }), 'config: server.pageSize must be a positive integer, got NaN');
    assert.equal(failure({ server: { revisions: [Number.NEGATIVE_INFINITY] } }), 'config: server.revisions[0] must be one of "2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", got -Infinity');
  });

  it('names out-of-range values', () => {
    assert.equal(failure({ server: { port: 70000 } }), 'config: server.port must be an integer between 0 and 65535, got 70000');
    assert.equal(failure({ server: { shutdownGraceMs: -1 } }), 'config: server.shutdownGraceMs must be an integer between 0 and 2147483647, got -1');
    assert.equal(failure({ http2: { maxFrameSize: 100 } }), 'config: http2.maxFrameSize must be an integer between 16384 and 16777215, got 100');
    assert.equal(failure({ runtime: { maxOldSpaceSizeMb: 'big' } }), 'config: runtime.maxOldSpaceSizeMb must be an integer >= 16 or null, got "big"');
  });

  it('names enums, patterns and list elements', () => {
    assert.equal(failure({ sessions: { store: 'etcd' } }), 'config: sessions.store must be one of "memory", "redis", got "etcd"');
    assert.equal(failure({ server: { path: 'mcp' } }), 'config: server.path must be a path starting with "/", without "?" or "#", got "mcp"');
    assert.equal(failure({ server: { allowedOrigins: ['https://a', 7] } }), 'config: server.allowedOrigins[1] must be an origin "scheme://host[:port]" with no path, got 7');
    assert.equal(failure({ server: { allowedHosts: ['api.example.com:8080'] } }), 'config: server.allowedHosts[0] must be a host name without port or scheme, got "api.example.com:8080"');
    assert.equal(failure({ modules: ['./a.js', 7] }), 'config: modules[1] must be a string, got 7');
    assert.equal(failure({ server: { allowedOrigins: 'https://a' } }), 'config: server.allowedOrigins must be a list of strings, got "https://a"');
    assert.equal(failure({ server: { revisions: ['2024-11-05'] } }), 'config: server.revisions[0] must be one of "2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", got "2024-11-05"');
    assert.match(failure({ server: { revisions: [] } }), /^config: server\.revisions must be a list of values among .* with at least 1 item, got \[\]$/);
  });

  it('refuses a host with a space, as --host does, rather than fail at listen without naming the key', () => {
    // An environment variable or a quoted YAML value easily carries a trailing space or newline.
    assert.equal(failure({ server: { host: '127.0.0.1 ' } }), 'config: server.host must be a host name or IP address, without port, brackets or spaces (write ::1, not [::1]), got "127.0.0.1 "');
    assert.equal(failure({ metrics: { host: '0.0.0.0\n' } }), 'config: metrics.host must be a host name or IP address, without port, brackets or spaces (write ::1, not [::1]), got "0.0.0.0\\n"');
    assert.equal(failure({ server: { host: '' } }), 'config: server.host must be a host name or IP address, without port, brackets or spaces (write ::1, not [::1]), got ""');
  });

  it('refuses a bracketed IPv6 address or a host:port, which failed only at listen, naming the key', () => {
    // node's listen takes ::1, not the URL spelling [::1]; a port belongs in server.port.
    assert.equal(failure({ server: { host: '[::1]' } }), 'config: server.host must be a host name or IP address, without port, brackets or spaces (write ::1, not [::1]), got "[::1]"');
    assert.equal(failure({ server: { host: 'localhost:8080' } }), 'config: server.host must be a host name or IP address, without port, brackets or spaces (write ::1, not [::1]), got "localhost:8080"');
    assert.equal(failure({ metrics: { host: '127.0.0.1:9090' } }), 'config: metrics.host must be a host name or IP address, without port, brackets or spaces (write ::1, not [::1]), got "127.0.0.1:9090"');
    assert.equal(failure({ server: { host: '1::2::3' } }), 'config: server.host must be a host name or IP address, without port, brackets or spaces (write ::1, not [::1]), got "1::2::3"');
    assert.equal(failure({ server: { host: '999.1.1.1' } }), 'config: server.host must be a host name or IP address, without port, brackets or spaces (write ::1, not [::1]), got "999.1.1.1"');
    assert.equal(failure({ server: { host: 'http://example.com' } }), 'config: server.host must be a host name or IP address, without port, brackets or spaces (write ::1, not [::1]), got "http://example.com"');
    for (const host of ['::1', '::', '0.0.0.0', '127.0.0.2', 'localhost', 'mcp-1.internal', 'fe80::1%eth0', '::ffff:127.0.0.1']) {
      assert.equal(loadConfig({ env: {}, overrides: { server: { host } } }).server.host, host);
    }
  });

  it('the --host flag refuses the same hosts, in the same words', () => {
    assert.throws(() => parseHost('[::1]'), { message: '--host must be a host name or IP address, without port, brackets or spaces (write ::1, not [::1]), got "[::1]"' });
    assert.throws(() => parseHost('localhost:8080'), { message: '--host must be a host name or IP address, without port, brackets or spaces (write ::1, not [::1]), got "localhost:8080"' });
    assert.equal(parseHost('::1'), '::1');
  });

  it('refuses an endpoint path with a query or a fragment, which no request could ever match', () => {
    // Requests are routed on the path before "?", and "#" never reaches a server: either would answer 404 to all.
    assert.equal(failure({ server: { path: '/mcp?v=1' } }), 'config: server.path must be a path starting with "/", without "?" or "#", got "/mcp?v=1"');
    assert.equal(failure({ metrics: { path: '/metrics#prom' } }), 'config: metrics.path must be a path starting with "/", without "?" or "#", got "/metrics#prom"');
  });

  it('rejects unknown keys, naming them, with a hint when one is near', () => {
    assert.equal(failure({ server: { prot: 1 } }), 'config: unknown key server.prot; did you mean server.port?');
    assert.equal(failure({ sessions: { idle_ttl_ms: 1 } }), 'config: unknown key sessions.idle_ttl_ms; did you mean sessions.idleTtlMs?');
    assert.match(failure({ server: { zzz: 1 } }), /^config: unknown key server\.zzz; server has keys host, port, path, /);
    assert.match(failure({ bogus: {} }), /^config: unknown key bogus; sections are server, demo, modules, /);
    assert.equal(failure({ cache: { l1: { sise: 3 } } }), 'config: unknown key cache.l1.sise; did you mean cache.l1.size?');
  });

  it('rejects a section that is not a mapping', () => {
    assert.equal(failure({ cache: { l1: 5 } }), 'config: cache.l1 must be a mapping of keys (an object), got 5');
    assert.equal(failure({ server: [1] }), 'config: server must be a mapping of keys (an object), got [1]');
  });

  it('reports every problem, one per line', () => {
    const lines = failure({ server: { port: -1, host: '' }, limits: { maxBodyBytes: 0 }, extra: true }).split('\n');
    assert.equal(lines.length, 4);
    assert.ok(lines.every((l) => l.startsWith('config: ')));
    assert.ok(lines.some((l) => l.startsWith('config: server.port ')));
    assert.ok(lines.some((l) => l.startsWith('config: server.host ')));
    assert.ok(lines.some((l) => l.startsWith('config: limits.maxBodyBytes ')));
    assert.ok(lines.some((l) => l.startsWith('config: unknown key extra')));
  });

  it('accepts and bounds the 2026-07-28 tuning keys: mrtrMaxStateBytes, mrtrMaxRounds, sseKeepAliveMs', () => {
    const config = loadConfig({ env: {}, overrides: { server: { mrtrMaxStateBytes: 1024, mrtrMaxRounds: 4, sseKeepAliveMs: 250 } } });
    assert.equal(config.server.mrtrMaxStateBytes, 1024);
    assert.equal(config.server.mrtrMaxRounds, 4);
    assert.equal(config.server.sseKeepAliveMs, 250);
    const expected = {
      mrtrMaxStateBytes: 'an integer between 1 and 268435456',
      mrtrMaxRounds: 'a positive integer',
      sseKeepAliveMs: 'an integer between 1 and 2147483647',
    };
    for (const [key, expectation] of Object.entries(expected)) {
      for (const bad of [0, -1, 1.5, '10']) {
        assert.equal(failure({ server: { [key]: bad } }), `config: server.${key} must be ${expectation}, got ${JSON.stringify(bad)}`);
      }
    }
    assert.equal(failure({ server: { mrtrMaxStateBytes: 256 * 1024 * 1024 + 1 } }), 'config: server.mrtrMaxStateBytes must be an integer between 1 and 268435456, got 268435457');
  });

  it('never echoes the value of a secret key it refuses, from the file or the environment', () => {
    // A secret one character short is nearly the real one: the message goes to stderr, CI logs and issue reports.
    const short = 'hunter2-hunter2-hunter2-hunter2';
    assert.equal(failure({ server: { mrtrSecret: short } }), 'config: server.mrtrSecret must be at least 32 characters or null, got <redacted>');
    assert.equal(failure({ auth: { apiKeys: ['key-one', 42] } }), 'config: auth.apiKeys[1] must be a string, got <redacted>');
    assert.equal(failure({ sessions: { redisUrl: 7 } }), 'config: sessions.redisUrl must be a string or null, got <redacted>');
    try {
      loadConfig({ env: { ERLMCP_SERVER__MRTRSECRET: short } });
      assert.fail('expected the config to be rejected');
    } catch (err) {
      assert.ok(err instanceof ErlmcpError);
      assert.equal(err.message, 'config: server.mrtrSecret must be at least 32 characters or null, got <redacted> (from ERLMCP_SERVER__MRTRSECRET)');
    }
    try {
      loadConfig({ env: { ERLMCP_SESSIONS__REDISURL__HOST: 'redis://:pw@h:6379' } });
      assert.fail('expected the config to be rejected');
    } catch (err) {
      assert.ok(err instanceof ErlmcpError);
      assert.ok(!err.message.includes(':pw@'), err.message);
    }
  });

  it('accepts null where a key is nullable, and nowhere else', () => {
    assert.equal(loadConfig({ env: {}, overrides: { server: { instructions: null } } }).server.instructions, null);
    assert.equal(failure({ server: { name: null } }), 'config: server.name must be a non-empty string, got null');
  });
});
