/**
 * The Host check of Streamable HTTP (DNS rebinding): allowed Host header values are remembered, so a later request
 * must get the same verdict the first one got, for allowed and refused values alike; the memory of values must stay
 * bounded whatever a client sends, and refused values must not take its places.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_REMEMBERED_HOSTS, acceptsPost, acceptsSse, buildOriginPolicy, checkOrigin, headerRevision } from '../../src/transport/http/http-guards.js';

describe('checkOrigin: Host', () => {
  it('gives the same verdict on the first and every later request with the same Host', () => {
    const policy = buildOriginPolicy([], [], '127.0.0.1');
    for (let i = 0; i < 3; i++) {
      assert.equal(checkOrigin({ host: '127.0.0.1:8080' }, policy), undefined);
      assert.equal(checkOrigin({ host: 'LOCALHOST:9' }, policy), undefined);
      assert.equal(checkOrigin({ host: '[::1]:8080' }, policy), undefined);
      assert.equal(checkOrigin({ host: 'evil.example:8080' }, policy), 'Host evil.example:8080 is not allowed');
      assert.equal(checkOrigin({}, policy), 'Host (none) is not allowed');
    }
  });

  it('still checks Origin after a remembered Host', () => {
    const policy = buildOriginPolicy(['https://app.example'], [], '127.0.0.1');
    assert.equal(checkOrigin({ host: 'localhost:1', origin: 'https://app.example' }, policy), undefined);
    assert.equal(checkOrigin({ host: 'localhost:1', origin: 'https://evil.example' }, policy), 'Origin https://evil.example is not allowed');
  });

  it('keeps refused values out of its memory, and remembers at most MAX_REMEMBERED_HOSTS allowed ones', () => {
    const policy = buildOriginPolicy([], [], '127.0.0.1');
    for (let i = 0; i < MAX_REMEMBERED_HOSTS * 3; i++) {
      assert.equal(checkOrigin({ host: `h${i}.example` }, policy), `Host h${i}.example is not allowed`);
    }
    assert.equal(policy.allowedHostValues.size, 0);
    for (let port = 1; port <= MAX_REMEMBERED_HOSTS * 2; port++) {
      assert.equal(checkOrigin({ host: `localhost:${port}` }, policy), undefined);
    }
    assert.equal(policy.allowedHostValues.size, MAX_REMEMBERED_HOSTS);
    // Values decided after the memory filled up get the same verdicts.
    assert.equal(checkOrigin({ host: '127.0.0.1:4242' }, policy), undefined);
    assert.equal(checkOrigin({ host: 'evil.example:4242' }, policy), 'Host evil.example:4242 is not allowed');
    assert.equal(policy.allowedHostValues.size, MAX_REMEMBERED_HOSTS);
  });

  it('compares the last allowed Host first, without letting any other value through on it', () => {
    const policy = buildOriginPolicy([], [], '127.0.0.1');
    assert.equal(checkOrigin({ host: 'localhost:8080' }, policy), undefined);
    assert.equal(policy.lastAllowedHost, 'localhost:8080');
    assert.equal(checkOrigin({ host: 'localhost:8080.evil.example' }, policy), 'Host localhost:8080.evil.example is not allowed');
    assert.equal(checkOrigin({ host: 'LOCALHOST:8080' }, policy), undefined, 'another spelling of an allowed name');
    assert.equal(policy.lastAllowedHost, 'LOCALHOST:8080');
    assert.equal(checkOrigin({ host: 'evil.example' }, policy), 'Host evil.example is not allowed');
    assert.equal(policy.lastAllowedHost, 'LOCALHOST:8080', 'a refused value never becomes the last allowed one');
  });

  it('reads a port after the name, and nothing else', () => {
    const policy = buildOriginPolicy([], [], '127.0.0.1');
    assert.equal(checkOrigin({ host: '[::1]:8080' }, policy), undefined);
    assert.equal(checkOrigin({ host: '[::1]' }, policy), undefined);
    assert.equal(checkOrigin({ host: 'localhost:' }, policy), undefined, 'an empty port is allowed by RFC 9110');
    assert.equal(checkOrigin({ host: '[::1].evil.example' }, policy), 'Host [::1].evil.example is not allowed');
    assert.equal(checkOrigin({ host: '[::1' }, policy), 'Host [::1 is not allowed');
    assert.equal(checkOrigin({ host: '127.0.0.1:80:80' }, policy), 'Host 127.0.0.1:80:80 is not allowed');
  });

  it('allows the loopback address it is bound to, besides the loopback names (127.0.0.2 is loopback too)', () => {
    const policy = buildOriginPolicy([], [], '127.0.0.2');
    assert.equal(checkOrigin({ host: '127.0.0.2:8080' }, policy), undefined);
    assert.equal(checkOrigin({ host: 'localhost:8080' }, policy), undefined);
    assert.equal(checkOrigin({ host: '127.0.0.3:8080' }, policy), 'Host 127.0.0.3:8080 is not allowed');
    assert.equal(checkOrigin({ host: 'evil.example:8080' }, policy), 'Host evil.example:8080 is not allowed');
  });

  it('allows any Host when bound beyond loopback with no allowed hosts', () => {
    const policy = buildOriginPolicy([], [], '0.0.0.0');
    assert.equal(checkOrigin({ host: 'anything.example' }, policy), undefined);
    assert.equal(policy.allowedHostValues.size, 0);
  });
});

describe('headerRevision', () => {
  it('names an offered revision, assumes 2025-03-26 without the header, and refuses one not offered', () => {
    const offered = ['2025-11-25', '2025-06-18'];
    assert.equal(headerRevision({ 'mcp-protocol-version': '2025-06-18' }, offered), '2025-06-18');
    assert.equal(headerRevision({}, offered), '2025-03-26');
    assert.equal(headerRevision({ 'mcp-protocol-version': '2025-03-26' }, offered), null, 'spoken by erlmcp, but not offered here');
    assert.equal(headerRevision({ 'mcp-protocol-version': '2025-11-2' }, offered), null);
  });
});

describe('acceptsPost and acceptsSse: Accept media ranges', () => {
  it('admits the common values, any case, with parameters and wildcards', () => {
    assert.equal(acceptsPost('application/json, text/event-stream'), true);
    assert.equal(acceptsPost('Application/Json ,Text/Event-Stream'), true);
    assert.equal(acceptsPost('application/json;charset=utf-8;q=0.9, text/event-stream; q=0.5'), true);
    assert.equal(acceptsPost('*/*'), true);
    assert.equal(acceptsPost('application/*, text/*'), true);
    assert.equal(acceptsPost('text/html, application/json, */*;q=0.1'), true);
    assert.equal(acceptsPost('application/json; profile="a,b;c", text/event-stream'), true);
    assert.equal(acceptsSse('text/event-stream'), true);
    assert.equal(acceptsSse('TEXT/*'), true);
    assert.equal(acceptsSse('text/html,*/*;q=0.8'), true);
  });

  it('refuses media types that only start like JSON or SSE, and wildcards of another family', () => {
    assert.equal(acceptsPost('application/json-seq, text/event-stream'), false);
    assert.equal(acceptsPost('application/json, text/event-streamx'), false);
    assert.equal(acceptsPost('application/jsonx, text/event-stream-x'), false);
    assert.equal(acceptsPost('application/json, text/*x'), false);
    assert.equal(acceptsPost('application/json, image/*'), false);
    assert.equal(acceptsPost('application/json; x="text/event-stream"'), false);
    assert.equal(acceptsPost(''), false);
    assert.equal(acceptsPost(undefined), false);
    assert.equal(acceptsSse('text/event-streamx'), false);
    assert.equal(acceptsSse('text/event-stream-foo, application/*'), false);
    assert.equal(acceptsSse(undefined), false);
  });

  it('reads q=0 as "not acceptable", decided by the most specific range (RFC 9110 12.5.1)', () => {
    assert.equal(acceptsPost('application/json;q=0, text/event-stream'), false);
    assert.equal(acceptsPost('*/*, text/event-stream;q=0'), false);
    assert.equal(acceptsPost('*/*;q=0, application/json, text/event-stream'), true);
    assert.equal(acceptsSse('text/*;q=0, */*'), false);
    assert.equal(acceptsSse('text/event-stream;q=0.001'), true);
  });
});
