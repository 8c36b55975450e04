/**
 * HttpTransport refuses bad options by name, at construction. Before, only `path` and `sseKeepAliveMs` were checked:
 * a missing or NaN `maxBodyBytes` turned the body limit off, `responseMode: 'SSE'` meant `auto`, a null list threw a
 * TypeError, an empty host bound every interface. Origin and Host entries that can never equal what clients send
 * (a trailing slash, a port) refused the very client they were for. The options share the config's rules
 * (`checkValue`), so both refuse the same values with the same words.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { HttpTransport, type HttpTransportOptions } from '../../src/transport/http/http-transport.js';
import { connectInitialized } from '../helpers/memory-client.js';

const BASE: HttpTransportOptions = { host: '127.0.0.1', port: 0, path: '/mcp', stateless: false, allowedOrigins: [], allowedHosts: [], maxBodyBytes: 1024 };

describe('HttpTransport options', () => {
  const server = new McpServer({ info: { name: 't', version: '1' } });
  after(() => server.close());

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a missing maxBodyBytes', { maxBodyBytes: undefined }, /^options\.maxBodyBytes must be an integer between 1 and 268435456, got nothing$/],
    ['a NaN maxBodyBytes', { maxBodyBytes: Number.NaN }, /^options\.maxBodyBytes must be an integer between 1 and 268435456, got NaN$/],
    ['responseMode SSE', { responseMode: 'SSE' }, /^options\.responseMode must be one of "auto", "sse", got "SSE"$/],
    ['allowedOrigins null', { allowedOrigins: null }, /^options\.allowedOrigins must be a list of strings, got null$/],
    ['an empty host', { host: '' }, /^options\.host must be a host name or IP address, without port, brackets or spaces \(write ::1, not \[::1\]\), got ""$/],
    ['a bracketed IPv6 host, as the config does', { host: '[::1]' }, /^options\.host must be a host name or IP address, without port, brackets or spaces \(write ::1, not \[::1\]\), got "\[::1\]"$/],
    ['a port out of range', { port: 70_000 }, /^options\.port must be an integer between 0 and 65535, got 70000$/],
    ['a path with a space, as the config does', { path: '/mcp x' }, /^options\.path must be a path starting with "\/", without "\?" or "#", got "\/mcp x"$/],
    ['stateless as a string', { stateless: 'yes' }, /^options\.stateless must be true or false, got "yes"$/],
    ['an origin with a trailing slash', { allowedOrigins: ['https://app.example.com/'] }, /^options\.allowedOrigins\[0\] must be an origin "scheme:\/\/host\[:port\]" with no path, got "https:\/\/app\.example\.com\/"$/],
    ['a host with a port', { allowedHosts: ['api.example.com:8080'] }, /^options\.allowedHosts\[0\] must be a host name without port or scheme, got "api\.example\.com:8080"$/],
  ];
  for (const [what, change, message] of cases) {
    it(`refuses ${what}, naming the option`, () => {
      assert.throws(() => new HttpTransport(server, { ...BASE, ...change } as HttpTransportOptions), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'ERLMCP_ERR_INVALID_ARGUMENT');
        assert.match(err.message, message);
        return true;
      });
    });
  }

  it('refuses missing options by name, not with a TypeError from inside the check', () => {
    // The options are required (the type and the README's example give every one): no default host or port is guessed.
    for (const [options, shown] of [[undefined, 'nothing'], [null, 'null'], ['127.0.0.1', '"127.0.0.1"']] as const) {
      assert.throws(() => new HttpTransport(server, options as unknown as HttpTransportOptions), {
        name: 'ErlmcpError',
        code: 'ERLMCP_ERR_INVALID_ARGUMENT',
        message: `options must be an object with host, port, path, stateless, allowedOrigins, allowedHosts and maxBodyBytes, got ${shown}`,
      });
    }
  });

  it('takes good options, IPv6 hosts and origins with ports included', () => {
    assert.doesNotThrow(() => new HttpTransport(server, { ...BASE, allowedOrigins: ['https://app.example.com', 'http://localhost:5173'], allowedHosts: ['api.example.com', '[::1]'], responseMode: 'sse' }));
  });

  it('the config refuses the same origin and host entries, naming the key', () => {
    assert.throws(() => loadConfig({ env: {}, overrides: { server: { allowedOrigins: ['app.example.com'], allowedHosts: ['api.example.com:8080'] } } }), (err: Error) => {
      assert.match(err.message, /server\.allowedOrigins\[0\] must be an origin "scheme:\/\/host\[:port\]" with no path/);
      assert.match(err.message, /server\.allowedHosts\[0\] must be a host name without port or scheme/);
      return true;
    });
  });
});

/**
 * A request to the client is a timer, and Node fires a timer above 2^31-1 ms after 1 ms: every sampling,
 * elicitation or roots request then "timed out after 2147483648 ms" at once. Both the server option and a
 * request's own timeoutMs are bounded, naming the option.
 */
describe('timeouts of requests to the client', () => {
  it('McpServer refuses a clientRequestTimeoutMs no timer can hold', () => {
    assert.throws(() => new McpServer({ info: { name: 't', version: '1' }, clientRequestTimeoutMs: 2 ** 31 }), {
      code: 'ERLMCP_ERR_INVALID_ARGUMENT',
      message: 'options.clientRequestTimeoutMs must be an integer between 1 and 2147483647, got 2147483648',
    });
  });

  it('a request with such a timeoutMs is refused, not timed out at once', async () => {
    const server = new McpServer({ info: { name: 't', version: '1' } });
    let refusal = '';
    server.tool('ask', { description: 'asks with a huge timeout' }, async (_a, ctx) => {
      try {
        await ctx.listRoots({ timeoutMs: 2 ** 31 });
      } catch (err) {
        refusal = (err as Error).message;
      }
      return 'asked';
    });
    const { client } = await connectInitialized(server, { capabilities: { roots: {} } });
    try {
      await client.request('tools/call', { name: 'ask', arguments: {} });
      assert.equal(refusal, 'options.timeoutMs of roots/list must be an integer between 1 and 2147483647, got 2147483648');
    } finally {
      await server.close();
    }
  });
});
