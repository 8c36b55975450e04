/**
 * Config loading: defaults, YAML and JSON files merged over them, overrides over both, path resolution, freezing
 * and the redacted printout; and the reference in docs/configuration.md, which must list every key with its default
 * and name every secret key.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load-config.js';
import { CONFIG_DEFAULTS } from '../../src/config/config-defaults.js';
import { describeConfig, REDACTED } from '../../src/config/describe-config.js';
import { CONFIG_SCHEMA, type FieldSpec } from '../../src/config/config-schema.js';
import { PACKAGE_VERSION } from '../../src/config/package-info.js';
import { SERVER_DEFAULTS } from '../../src/server/mcp-server.js';
import { DEFAULT_SSE_KEEP_ALIVE_MS } from '../../src/transport/http/modern-http.js';
import { ErlmcpError } from '../../src/errors.js';

let dir: string;
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'erlmcp-config-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('returns the documented defaults when given nothing', () => {
    const config = loadConfig({ env: {}, cwd: '/srv/app' });
    assert.equal(config.server.host, '127.0.0.1');
    assert.equal(config.server.port, 8080);
    assert.equal(config.server.path, '/mcp');
    assert.equal(config.server.stateless, false);
    assert.deepEqual(config.server.allowedOrigins, []);
    assert.deepEqual(config.server.allowedHosts, []);
    assert.equal(config.server.name, 'erlmcp');
    assert.equal(config.server.version, PACKAGE_VERSION);
    assert.equal(config.server.shutdownGraceMs, 10_000);
    assert.equal(config.server.pageSize, 100);
    assert.equal(config.server.clientRequestTimeoutMs, 60_000);
    assert.deepEqual(config.server.revisions, ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26']);
    assert.equal(config.server.cacheTtlMs, 0);
    assert.equal(config.server.cacheScope, 'public');
    assert.equal(config.server.mrtrSecret, null);
    assert.equal(config.sessions.idleTtlMs, 1_800_000);
    assert.equal(config.sessions.maxEventsPerStream, 1000);
    assert.equal(config.sessions.maxSessions, 100_000);
    assert.equal(config.limits.maxBodyBytes, 4 * 1024 * 1024);
    assert.equal(config.limits.maxMessageBytes, 4 * 1024 * 1024);
    assert.equal(config.limits.maxListenUris, 1024);
    assert.equal(config.demo.enabled, true);
    assert.equal(config.demo.root, '/srv/app', 'a null demo.root becomes the working directory');
    assert.equal(config.cache.l1.size, 1000);
    assert.equal(config.cache.l2.ttlMs, 300_000);
    assert.equal(config.thread_pools.compute.queueSize, 500);
    assert.equal(config.connections.poolSize, 100);
    assert.equal(config.database.timeoutMs, 15_000);
    assert.equal(config.tcp.backlog, 1024);
    assert.equal(config.http2.maxConcurrentStreams, 100);
    assert.equal(config.metrics.port, 8081);
  });

  it('defaults the keys it passes on to the library to the library\'s own defaults', () => {
    const { server } = loadConfig({ env: {} });
    assert.equal(server.mrtrStateTtlMs, SERVER_DEFAULTS.mrtrStateTtlMs);
    assert.equal(server.mrtrMaxStateBytes, SERVER_DEFAULTS.mrtrMaxStateBytes);
    assert.equal(server.mrtrMaxRounds, SERVER_DEFAULTS.mrtrMaxRounds);
    assert.equal(server.sseKeepAliveMs, DEFAULT_SSE_KEEP_ALIVE_MS);
    assert.equal(loadConfig({ env: {} }).limits.maxListenUris, SERVER_DEFAULTS.maxListenUris);
  });

  it('validates the defaults themselves', () => {
    assert.doesNotThrow(() => loadConfig({ env: {} }));
    assert.ok(Object.isFrozen(CONFIG_DEFAULTS.server.revisions));
  });

  it('merges a YAML file over the defaults, keeping sibling defaults', () => {
    const path = file('a.yaml', [
      'server:',
      '  port: 9001',
      '  allowedOrigins: [https://app.example]',
      '  mrtrMaxStateBytes: 8192',
      '  mrtrMaxRounds: 2',
      '  sseKeepAliveMs: 30000',
      'cache:',
      '  l1:',
      '    size: 5000',
      'metrics:   # every child commented out: keeps its defaults',
      '#  port: 1',
      '',
    ].join('\n'));
    const config = loadConfig({ file: path, env: {} });
    assert.equal(config.server.port, 9001);
    assert.equal(config.server.host, '127.0.0.1');
    assert.deepEqual(config.server.allowedOrigins, ['https://app.example']);
    assert.equal(config.server.mrtrMaxStateBytes, 8192);
    assert.equal(config.server.mrtrMaxRounds, 2);
    assert.equal(config.server.sseKeepAliveMs, 30_000);
    assert.equal(config.cache.l1.size, 5000);
    assert.equal(config.cache.l1.ttlMs, 60_000);
    assert.equal(config.metrics.port, 8081);
  });

  it('reads JSON files', () => {
    const path = file('b.json', JSON.stringify({ server: { stateless: true, instructions: 'Be brief.' }, sessions: { idleTtlMs: 5000 } }));
    const config = loadConfig({ file: path, env: {} });
    assert.equal(config.server.stateless, true);
    assert.equal(config.server.instructions, 'Be brief.');
    assert.equal(config.sessions.idleTtlMs, 5000);
  });

  it('reads a JSON file saved with a UTF-8 byte order mark, as it reads such a YAML file', () => {
    // Windows editors save "UTF-8 with BOM"; RFC 8259 section 8.1 lets a parser ignore it, and YAML does.
    const bom = '\uFEFF';
    assert.equal(loadConfig({ file: file('bom.json', `${bom}{"server": {"port": 9002}}`), env: {} }).server.port, 9002);
    assert.equal(loadConfig({ file: file('bom.yaml', `${bom}server:\n  port: 9002\n`), env: {} }).server.port, 9002);
  });

  it('treats an empty file as an empty config', () => {
    assert.equal(loadConfig({ file: file('empty.yaml', '# nothing here\n'), env: {} }).server.port, 8080);
    assert.equal(loadConfig({ file: file('empty.json', ''), env: {} }).server.port, 8080);
  });

  it('applies overrides over the file and the environment', () => {
    const path = file('c.yaml', 'server:\n  port: 9001\n  host: 0.0.0.0\n');
    const config = loadConfig({
      file: path,
      env: { ERLMCP_SERVER__PORT: '9002', ERLMCP_SERVER__HOST: '::1' },
      overrides: { server: { port: 9003 } },
    });
    assert.equal(config.server.port, 9003);
    assert.equal(config.server.host, '::1', 'the environment beats the file');
  });

  it('resolves demo.root and modules against the config file directory', () => {
    const path = file('d.yaml', `demo:\n  root: data\nmodules:\n  - ./tools/a.js\n  - /opt/b.js\n`);
    const config = loadConfig({ file: path, env: {} });
    assert.equal(config.demo.root, join(dir, 'data'));
    assert.deepEqual(config.modules, [join(dir, 'tools/a.js'), '/opt/b.js']);
  });

  it('freezes the result at every depth', () => {
    const config = loadConfig({ env: {} });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.server));
    assert.ok(Object.isFrozen(config.server.allowedOrigins));
    assert.ok(Object.isFrozen(config.cache.l1));
    assert.throws(() => {
      (config.server as { port: number }).port = 1;
    }, TypeError);
  });

  it('does not share objects with CONFIG_DEFAULTS or with other loads', () => {
    const a = loadConfig({ env: {}, overrides: { cache: { l1: { size: 1 } } } });
    const b = loadConfig({ env: {} });
    assert.equal(a.cache.l1.size, 1);
    assert.equal(b.cache.l1.size, 1000);
    assert.equal(CONFIG_DEFAULTS.cache.l1.size, 1000);
  });

  it('reports a missing or unparsable file as ERLMCP_ERR_CONFIG_FILE, naming the file', () => {
    const missing = join(dir, 'nope.yaml');
    assert.throws(() => loadConfig({ file: missing, env: {} }), (err: unknown) =>
      err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_CONFIG_FILE' && err.message === `config: cannot read ${missing}: no such file`);
    const badYaml = file('bad.yaml', 'server:\n  port: [1\n');
    assert.throws(() => loadConfig({ file: badYaml, env: {} }), (err: unknown) =>
      err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_CONFIG_FILE' && err.message.startsWith(`config: ${badYaml} is not valid YAML`));
    const badJson = file('bad.json', '{"server": ');
    assert.throws(() => loadConfig({ file: badJson, env: {} }), /is not valid JSON/);
    const dup = file('dup.yaml', 'server:\n  port: 1\n  port: 2\n');
    assert.throws(() => loadConfig({ file: dup, env: {} }), /is not valid YAML/);
  });

  it('refuses a JSON file that sets a key twice, as it refuses such a YAML file, rather than keep the last', () => {
    // JSON.parse keeps the second "server", and port 9003 would silently become the default 8080.
    const dup = file('dup.json', '{"server": {"port": 9003},\n "server": {"host": "0.0.0.0"}}');
    assert.throws(() => loadConfig({ file: dup, env: {} }), (err: unknown) =>
      err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_CONFIG_FILE' &&
      err.message.startsWith(`config: ${dup} sets a key twice: Map keys must be unique at line 2, column 2`));
    const nested = file('dup-nested.json', '{"server": {"port": 1, "port": 2}}');
    assert.throws(() => loadConfig({ file: nested, env: {} }), /sets a key twice/);
    assert.equal(loadConfig({ file: file('same-names.json', '{"server": {"name": "a"}, "demo": {"enabled": true}, "metrics": {"enabled": true}}'), env: {} }).server.name, 'a');
  });

  it('names a __proto__ key as unknown, in JSON and YAML, rather than taking it as a prototype', () => {
    const json = file('proto.json', '{"__proto__": {"x": 1}, "server": {"__proto__": {"port": 1}}}');
    assert.throws(() => loadConfig({ file: json, env: {} }), (err: unknown) =>
      err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_CONFIG_INVALID' &&
      /unknown key __proto__;/.test(err.message) && /unknown key server\.__proto__;/.test(err.message));
    const yaml = file('proto.yaml', 'server:\n  __proto__:\n    port: 1\n');
    assert.throws(() => loadConfig({ file: yaml, env: {} }), /unknown key server\.__proto__;/);
  });

  it('rejects a file whose top level is not a mapping', () => {
    const path = file('list.yaml', '- a\n- b\n');
    assert.throws(() => loadConfig({ file: path, env: {} }), (err: unknown) =>
      err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_CONFIG_INVALID' && /must hold a mapping of sections/.test(err.message));
  });
});

describe('describeConfig', () => {
  it('prints the config as JSON with secrets redacted', () => {
    const config = loadConfig({
      env: {},
      overrides: { auth: { jwtSecret: 's3cret', apiKeys: ['k1', 'k2'] }, sessions: { redisUrl: 'redis://:pw@h:6379' } },
    });
    const text = describeConfig(config);
    const printed = JSON.parse(text) as { auth: { jwtSecret: string; apiKeys: string[] }; sessions: { redisUrl: string }; server: { port: number } };
    assert.equal(printed.server.port, 8080);
    assert.equal(printed.auth.jwtSecret, REDACTED);
    assert.deepEqual(printed.auth.apiKeys, [REDACTED, REDACTED]);
    assert.equal(printed.sessions.redisUrl, REDACTED);
    assert.ok(!text.includes('s3cret') && !text.includes(':pw@'));
  });
});

/** Every leaf key path of `value` with its default, arrays being leaves. */
function leaves(value: unknown, path: string): [string, unknown][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[path, value]];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, path === '' ? k : `${path}.${k}`));
}

/** A default as the reference writes it: strings bare, lists as `[a, b]`. */
function shown(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}

describe('docs/configuration.md', () => {
  it('has a row for every config key, and only for config keys, showing its default', () => {
    const text = readFileSync(fileURLToPath(new URL('../../docs/configuration.md', import.meta.url)), 'utf8');
    const rows = new Map<string, string>();
    for (const match of text.matchAll(/^\| `([a-zA-Z0-9_.]+)` \| ([^|]*) \|/gm)) rows.set(match[1] as string, match[2] as string);
    const keys = leaves(CONFIG_DEFAULTS, '');
    assert.deepEqual([...rows.keys()].sort(), keys.map(([k]) => k).sort());
    for (const [key, value] of keys) {
      assert.ok(rows.get(key)?.includes(`\`${shown(value)}\``), `${key}: the row shows ${rows.get(key)}, the default is ${shown(value)}`);
    }
  });

  it('names every key printed as <redacted>, and only those', () => {
    const text = readFileSync(fileURLToPath(new URL('../../docs/configuration.md', import.meta.url)), 'utf8');
    const sentence = /Secrets \(([^)]*)\) are printed as `<redacted>`/.exec(text)?.[1];
    assert.ok(sentence, 'the reference has a "Secrets (...) are printed as `<redacted>`" sentence');
    const named = [...sentence.matchAll(/`([a-zA-Z0-9_.]+)`/g)].map((m) => m[1] as string).sort();
    assert.deepEqual(named, secretKeys(CONFIG_SCHEMA as unknown as FieldSpec, '').sort());
  });
});

/** Every key path the schema marks secret. */
function secretKeys(spec: FieldSpec, path: string): string[] {
  if (spec.kind === 'section') {
    return Object.entries(spec.keys).flatMap(([k, inner]) => secretKeys(inner as FieldSpec, path === '' ? k : `${path}.${k}`));
  }
  return 'secret' in spec && spec.secret === true ? [path] : [];
}
