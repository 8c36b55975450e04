/**
 * RFC 6570 templates as resources/read uses them: matching a URI yields the template's variables (decoded), a URI
 * of another shape does not match, and `expand` builds URIs that `match` reads back.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UriTemplate } from '../../src/server/uri-template.js';
import { ErlmcpError } from '../../src/errors.js';

describe('UriTemplate.match', () => {
  it('reads a simple variable and refuses URIs of another shape', () => {
    const t = new UriTemplate('users://{id}/profile');
    assert.deepEqual(t.variableNames, ['id']);
    assert.deepEqual(t.match('users://42/profile'), { id: '42' });
    assert.equal(t.match('users://42/settings'), undefined);
    assert.equal(t.match('users://42/profile/extra'), undefined);
    assert.equal(t.match('xusers://42/profile'), undefined);
    // A simple expansion never spans a path segment.
    assert.equal(t.match('users://4/2/profile'), undefined);
  });

  it('decodes percent-encoded values', () => {
    const t = new UriTemplate('notes://{title}');
    assert.deepEqual(t.match('notes://hello%20world'), { title: 'hello world' });
    assert.deepEqual(t.match('notes://a%2Fb'), { title: 'a/b' });
    // A malformed escape is kept as it was rather than failing the read.
    assert.deepEqual(t.match('notes://100%'), { title: '100%' });
  });

  it('treats regex characters in the literal parts literally', () => {
    const t = new UriTemplate('calc://1+1/{x}.txt');
    assert.deepEqual(t.match('calc://1+1/a.txt'), { x: 'a' });
    assert.equal(t.match('calc://11/a.txt'), undefined);
    assert.equal(t.match('calc://1+1/aXtxt'), undefined);
  });

  it('lets reserved expansion {+path} span slashes', () => {
    const t = new UriTemplate('file:///{+path}');
    assert.deepEqual(t.match('file:///etc/hosts'), { path: 'etc/hosts' });
    assert.deepEqual(t.match('file:///a/b/c.txt'), { path: 'a/b/c.txt' });
  });

  it('reads several variables, path segments {/a,b} and labels {.ext}', () => {
    const pair = new UriTemplate('db://{schema}/{table}');
    assert.deepEqual(pair.match('db://public/users'), { schema: 'public', table: 'users' });
    const segments = new UriTemplate('repo://x{/owner,name}');
    assert.deepEqual(segments.variableNames, ['owner', 'name']);
    assert.deepEqual(segments.match('repo://x/acme/widgets'), { owner: 'acme', name: 'widgets' });
    assert.equal(segments.match('repo://x/acme'), undefined);
    const label = new UriTemplate('doc://{name}{.ext}');
    assert.deepEqual(label.match('doc://report.pdf'), { name: 'report', ext: 'pdf' });
  });

  it('reads a path-style parameter {;p} only under its own name', () => {
    const t = new UriTemplate('map://tile{;x,y}');
    assert.deepEqual(t.match('map://tile;x=1;y=2'), { x: '1', y: '2' });
    assert.deepEqual(t.match('map://tile;x;y=2'), { x: '', y: '2' }, 'an empty value expands to the bare name');
    assert.equal(t.match('map://tile;a=1;b=2'), undefined, 'other names');
    assert.equal(t.match('map://tile;y=1;x=2'), undefined, 'the template order');
    assert.equal(t.match('map://tile;x1;y=2'), undefined, 'a longer name');
  });

  it('reads query variables in any order and ignores unknown ones', () => {
    const t = new UriTemplate('search://items{?q,limit}');
    assert.deepEqual(t.variableNames, ['q', 'limit']);
    assert.deepEqual(t.match('search://items?q=red%20shoes&limit=5'), { q: 'red shoes', limit: '5' });
    assert.deepEqual(t.match('search://items?limit=5&q=x&other=1'), { q: 'x', limit: '5' });
    assert.deepEqual(t.match('search://items'), {});
    assert.equal(t.match('search://things?q=x'), undefined);
  });

  it('reads the variables of a query continuation {&page} and of the {?q} before it', () => {
    const t = new UriTemplate('search://items{?q}{&page,limit}');
    assert.deepEqual(t.variableNames, ['q', 'page', 'limit']);
    assert.deepEqual(t.match('search://items?q=red&page=2&limit=5'), { q: 'red', page: '2', limit: '5' });
    assert.deepEqual(t.match('search://items?page=2&q=red'), { page: '2', q: 'red' });
    const literal = new UriTemplate('search://items?kind=shoe{&page}');
    assert.deepEqual(literal.match('search://items?kind=shoe&page=3'), { page: '3' });
  });

  it('ends a query at the fragment, which a {#section} after it reads', () => {
    const t = new UriTemplate('doc://{id}{?q}{#section}');
    assert.deepEqual(t.match('doc://7?q=1#intro'), { id: '7', q: '1', section: 'intro' });
  });

  it('ignores explode and prefix modifiers in variable names', () => {
    const t = new UriTemplate('x://{name:3}/{list*}');
    assert.deepEqual(t.variableNames, ['name', 'list']);
    assert.deepEqual(t.match('x://abc/def'), { name: 'abc', list: 'def' });
  });

  it('refuses an invalid expression at construction, with the ERLMCP code', () => {
    assert.throws(() => new UriTemplate('x://{a b}'), (err: unknown) => {
      assert.ok(err instanceof ErlmcpError);
      assert.equal(err.code, 'ERLMCP_ERR_INVALID_ARGUMENT');
      assert.match(err.message, /\{a b\}/);
      return true;
    });
    assert.throws(() => new UriTemplate('x://{}'), ErlmcpError);
  });
});

describe('UriTemplate.expand', () => {
  it('expands each operator as RFC 6570 level 3 does', () => {
    const values = { id: '42', path: 'a/b', q: 'red shoes', limit: '5', ext: 'md', owner: 'acme', name: 'w' };
    assert.equal(new UriTemplate('users://{id}').expand(values), 'users://42');
    assert.equal(new UriTemplate('file:///{+path}').expand(values), 'file:///a/b');
    assert.equal(new UriTemplate('notes://{path}').expand(values), 'notes://a%2Fb');
    assert.equal(new UriTemplate('s://x{?q,limit}').expand(values), 's://x?q=red%20shoes&limit=5');
    assert.equal(new UriTemplate('s://x?a=1{&limit}').expand(values), 's://x?a=1&limit=5');
    assert.equal(new UriTemplate('r://x{/owner,name}').expand(values), 'r://x/acme/w');
    assert.equal(new UriTemplate('d://doc{.ext}').expand(values), 'd://doc.md');
    assert.equal(new UriTemplate('h://x{#path}').expand(values), 'h://x#a/b');
  });

  it('drops expressions whose variables are all undefined', () => {
    assert.equal(new UriTemplate('s://x{?q}').expand({}), 's://x');
  });

  it('round-trips: match(expand(v)) gives v back', () => {
    const cases: [string, Record<string, string>][] = [
      ['users://{id}', { id: 'a b&c' }],
      ['file:///{+path}', { path: 'dir/sub/file.txt' }],
      ['search://items{?q,limit}', { q: 'a=b', limit: '10' }],
      ['search://items{?q}{&page}', { q: 'x y', page: '2' }],
      ['doc://{id}{?q}{#section}', { id: '7', q: 'a', section: 'intro' }],
      ['r://x{/owner,name}', { owner: 'o', name: 'n' }],
    ];
    for (const [template, values] of cases) {
      const t = new UriTemplate(template);
      assert.deepEqual(t.match(t.expand(values)), values, template);
    }
  });
});

/**
 * Matching must not backtrack: variables that could each take the same characters (`{a}-{b}-{c}`, `{name}.{ext}`)
 * made the old lazy regex cubic or quadratic, and resources/read tries every template against any unknown URI, so
 * one 8 KB URI held the event loop for a minute. The bound below is some thousand times what a linear match takes.
 */
describe('UriTemplate.match on hostile input', () => {
  const hostile: [string, string][] = [
    ['log://{service}-{date}-{level}', `log://${'a-'.repeat(3000)}/`],
    ['docs://{name}.{ext}', `docs://${'a.'.repeat(3000)}/`],
    ['w://{a}.{b}.json', `w://${'a.'.repeat(3000)}/`],
    ['app://{a}-v{b}-v{c}', `app://${'-v'.repeat(3000)}/`],
  ];
  for (const [template, uri] of hostile) {
    it(`answers ${template} against ${uri.length} characters in linear time`, () => {
      const t = new UriTemplate(template);
      const started = performance.now();
      assert.equal(t.match(uri), undefined);
      assert.ok(performance.now() - started < 1_000, `${(performance.now() - started).toFixed(0)} ms`);
    });
  }

  it('still splits as before: leftmost where later variables could take the separator, else where only the last split works', () => {
    assert.deepEqual(new UriTemplate('log://{service}-{date}-{level}').match('log://api-2026-error-x'), { service: 'api', date: '2026', level: 'error-x' });
    assert.deepEqual(new UriTemplate('docs://{name}.{ext}').match('docs://readme.tar.gz'), { name: 'readme', ext: 'tar.gz' });
    assert.deepEqual(new UriTemplate('x://{/a,b}{.ext}').match('x:///a/p.q.z'), { a: 'a', b: 'p.q', ext: 'z' });
    // A literal of several characters stops a variable as a whole: the variable may hold its first character.
    assert.deepEqual(new UriTemplate('app://{name}-v{version}').match('app://my-app-v2'), { name: 'my-app', version: '2' });
    assert.deepEqual(new UriTemplate('file:///{name}_v{n}.txt').match('file:///my_file_v3.txt'), { name: 'my_file', n: '3' });
  });

  it('refuses two variables with nothing between them, naming the template', () => {
    assert.throws(() => new UriTemplate('s://{a}{b}'), /s:\/\/\{a\}\{b\} has two variables with nothing between them/);
    assert.doesNotThrow(() => new UriTemplate('s://{a}{/b}{.c}{?d}'));
  });
});
