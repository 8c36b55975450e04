/**
 * The registration API of `McpServer` (`tool`, `resource`, `resourceTemplate`, `prompt`): a registration that is
 * refused leaves nothing behind (no entry, no list_changed), so the author can fix it and register the name again;
 * and what would fail every later request (a completer that is not a function) is refused at registration.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErlmcpError } from '../../src/errors.js';
import { McpServer } from '../../src/server/mcp-server.js';
import type { CacheHint } from '../../src/server/types.js';
import { track } from '../helpers/dispatcher-harness.js';
import { connectInitialized } from '../helpers/memory-client.js';

function newServer(): McpServer {
  return track(new McpServer({ info: { name: 't', version: '1' } }));
}

function invalidArgument(err: unknown): boolean {
  assert.ok(err instanceof ErlmcpError, `expected an ErlmcpError, got ${String(err)}`);
  assert.equal(err.code, 'ERLMCP_ERR_INVALID_ARGUMENT');
  return true;
}

describe('a refused registration', () => {
  it('leaves no entry behind when its cache hint is invalid, so the corrected one registers', async () => {
    const server = newServer();
    const { client } = await connectInitialized(server);
    const bad = { ttlMs: -1 } as CacheHint;
    const good: CacheHint = { ttlMs: 1000 };
    const register = (cache: CacheHint): void => {
      server.tool('t', { cache }, () => 'x');
      server.prompt('p', { cache }, () => ({ messages: [] }));
      server.resource('test://r', { name: 'r', cache }, (uri) => [{ uri, text: 'x' }]);
      server.resourceTemplate('test://r/{id}', { name: 'rt', cache }, (uri) => [{ uri, text: 'x' }]);
    };
    assert.throws(() => server.tool('t', { cache: bad }, () => 'x'), invalidArgument);
    assert.throws(() => server.prompt('p', { cache: bad }, () => ({ messages: [] })), invalidArgument);
    assert.throws(() => server.resource('test://r', { name: 'r', cache: bad }, (uri) => [{ uri, text: 'x' }]), invalidArgument);
    assert.throws(() => server.resourceTemplate('test://r/{id}', { name: 'rt', cache: bad }, (uri) => [{ uri, text: 'x' }]), invalidArgument);
    assert.equal(server.tools.size + server.prompts.size + server.resources.size + server.templates.size, 0, 'a refused registration was kept');
    // The memory link delivers in order: whatever was announced before the pong has arrived.
    await client.request('ping');
    assert.equal(client.inboxSize, 0, 'a refused registration announced a list change');
    assert.doesNotThrow(() => register(good));
    await client.request('ping');
    assert.equal(client.drain('notifications/tools/list_changed').length, 1);
    assert.equal(client.drain('notifications/prompts/list_changed').length, 1);
    // A resource and a template registered in one tick change one list, announced once.
    assert.equal(client.drain('notifications/resources/list_changed').length, 1);
  });

  it('refuses a completer that is not a function, naming where it is, instead of failing every completion/complete', () => {
    const server = newServer();
    const values = ['alice', 'bob'] as never;
    assert.throws(() => server.prompt('p', { arguments: [{ name: 'who', complete: values }] }, () => ({ messages: [] })), (err: unknown) => {
      invalidArgument(err);
      assert.match((err as Error).message, /prompt p: arguments\[0\]\.complete must be a function/);
      return true;
    });
    assert.throws(() => server.resourceTemplate('test://u/{id}', { name: 'u', complete: { id: values } }, (uri) => [{ uri, text: 'x' }]), (err: unknown) => {
      invalidArgument(err);
      assert.match((err as Error).message, /resource template test:\/\/u\/\{id\}: complete\.id must be a function/);
      return true;
    });
    assert.equal(server.prompts.size + server.templates.size, 0);
  });
});
