/**
 * The registry behind tools/list, resources/list and prompts/list: registration order, duplicate names refused,
 * opaque cursors that walk every page exactly once, and foreign or tampered cursors refused with -32602
 * (MCP server/utilities/pagination).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../src/server/registry.js';
import { WireError } from '../../src/protocol/wire-error.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { ErlmcpError } from '../../src/errors.js';
import { resultResponse, stringifyMessage } from '../../src/protocol/json-rpc.js';

function registryOf(n: number): Registry<string> {
  const r = new Registry<string>('tool');
  for (let i = 1; i <= n; i++) r.add(`t${i}`, `entry ${i}`);
  return r;
}

function walk(r: Registry<string>, pageSize: number): string[][] {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = r.page(cursor, pageSize);
    pages.push(page.items);
    cursor = page.nextCursor;
    assert.ok(pages.length <= 100, 'pagination does not terminate');
  } while (cursor !== undefined);
  return pages;
}

function isInvalidParams(err: unknown): boolean {
  assert.ok(err instanceof WireError, `expected a WireError, got ${String(err)}`);
  assert.equal(err.code, ErrorCode.InvalidParams);
  assert.match(err.message, /cursor/i);
  return true;
}

describe('Registry pagination', () => {
  it('walks 5 entries in pages of 2: [2, 2, 1], in registration order, with no cursor after the last', () => {
    const pages = walk(registryOf(5), 2);
    assert.deepEqual(pages, [['entry 1', 'entry 2'], ['entry 3', 'entry 4'], ['entry 5']]);
  });

  it('gives no nextCursor when everything fits, including an exact fit and an empty registry', () => {
    assert.deepEqual(registryOf(3).page(undefined, 3), { items: ['entry 1', 'entry 2', 'entry 3'], nextCursor: undefined });
    assert.deepEqual(walk(registryOf(4), 2), [['entry 1', 'entry 2'], ['entry 3', 'entry 4']]);
    assert.deepEqual(registryOf(0).page(undefined, 10), { items: [], nextCursor: undefined });
  });

  it('visits every entry exactly once for any page size', () => {
    const r = registryOf(23);
    for (const size of [1, 2, 5, 7, 22, 23, 100]) {
      const all = walk(r, size).flat();
      assert.equal(all.length, 23, `page size ${size}`);
      assert.equal(new Set(all).size, 23, `page size ${size}`);
    }
  });

  it('issues opaque cursors that do not expose a bare offset', () => {
    const { nextCursor } = registryOf(5).page(undefined, 2);
    assert.equal(typeof nextCursor, 'string');
    assert.notEqual(nextCursor, '2');
    assert.match(nextCursor ?? '', /^[A-Za-z0-9_-]+$/);
  });

  it('refuses a cursor it did not issue with -32602', () => {
    const r = registryOf(5);
    for (const bad of ['', 'nonsense', '2', Buffer.from('other:2').toString('base64url'), 2, null, {}]) {
      assert.throws(() => r.page(bad, 2), isInvalidParams, `cursor ${JSON.stringify(bad)}`);
    }
  });

  it('refuses a tampered cursor with a negative or non-integer offset', () => {
    const r = registryOf(5);
    for (const offset of ['-1', '1.5', 'abc', 'Infinity']) {
      const forged = Buffer.from(`erlmcp:tool:${offset}`).toString('base64url');
      assert.throws(() => r.page(forged, 2), isInvalidParams, `offset ${offset}`);
    }
  });

  it('answers a stale cursor past the end with an empty last page', () => {
    const r = registryOf(5);
    const { nextCursor } = r.page(undefined, 4);
    for (let i = 1; i <= 5; i++) r.remove(`t${i}`);
    assert.deepEqual(r.page(nextCursor, 4), { items: [], nextCursor: undefined });
  });
});

describe('Registry entries', () => {
  it('refuses a duplicate name with ERLMCP_ERR_DUPLICATE_REGISTRATION, naming the kind and name', () => {
    const r = registryOf(1);
    assert.throws(() => r.add('t1', 'again'), (err: unknown) => {
      assert.ok(err instanceof ErlmcpError);
      assert.equal(err.code, 'ERLMCP_ERR_DUPLICATE_REGISTRATION');
      assert.match(err.message, /tool "t1"/);
      return true;
    });
    assert.equal(r.get('t1'), 'entry 1');
  });

  it('signals every add and remove, but not a removal of nothing', () => {
    const r = new Registry<string>('prompt');
    let changes = 0;
    r.onChange = () => changes++;
    r.add('a', 'A');
    r.add('b', 'B');
    assert.equal(r.remove('a'), true);
    assert.equal(r.remove('a'), false);
    assert.equal(changes, 3);
    assert.deepEqual(r.values(), ['B']);
    assert.equal(r.size, 1);
  });
});

describe('Registry cursor strictness', () => {
  const tampered = ['erlmcp:tool:', 'erlmcp:tool:0x10', 'erlmcp:tool:1e1', 'erlmcp:tool: 1', 'erlmcp:tool:-1', 'erlmcp:1', 'erlmcp:prompt:1'];
  for (const text of tampered) {
    it(`refuses the tagged but malformed cursor ${JSON.stringify(text)} with -32602`, () => {
      const cursor = Buffer.from(text).toString('base64url');
      assert.throws(() => registryOf(5).page(cursor, 2), (err: unknown) => err instanceof WireError && err.code === ErrorCode.InvalidParams);
    });
  }
});

describe('Registry.listPage', () => {
  const describeEntry = (entry: string): string => `${entry} described`;

  it('builds each page it hands out once per revision, serialised, until an entry is added or removed', () => {
    const r = registryOf(5);
    const first = r.listPage(undefined, 2, '2025-11-25', 'tools', describeEntry);
    assert.deepEqual(first, { tools: ['entry 1 described', 'entry 2 described'], nextCursor: r.page(undefined, 2).nextCursor });
    assert.equal(r.listPage(undefined, 2, '2025-11-25', 'tools', describeEntry), first, 'the same page is kept');
    assert.notEqual(r.listPage(undefined, 2, '2025-06-18', 'tools', describeEntry), first, 'a page per revision');
    assert.ok(Object.isFrozen(first));
    const response = resultResponse(7, first);
    assert.equal(stringifyMessage(response), JSON.stringify(response));
    r.add('t6', 'entry 6');
    const after = r.listPage(undefined, 6, '2025-11-25', 'tools', describeEntry);
    assert.deepEqual((after.tools as string[]).at(-1), 'entry 6 described', 'a change rebuilds the pages');
    r.remove('t1');
    assert.deepEqual((r.listPage(undefined, 6, '2025-11-25', 'tools', describeEntry).tools as string[])[0], 'entry 2 described');
  });

  it('answers a cursor at an offset it would not hand out without keeping it', () => {
    const r = registryOf(5);
    const crafted = Buffer.from('erlmcp:tool:3').toString('base64url');
    const page = r.listPage(crafted, 2, '2025-11-25', 'tools', describeEntry);
    assert.deepEqual(page.tools, ['entry 4 described', 'entry 5 described']);
    assert.notEqual(r.listPage(crafted, 2, '2025-11-25', 'tools', describeEntry), page, 'not kept');
    assert.throws(() => r.listPage('bogus', 2, '2025-11-25', 'tools', describeEntry), (err: unknown) => err instanceof WireError && err.code === ErrorCode.InvalidParams);
  });

  it('keeps cursors stable: an entry removed from an earlier page makes the next page skip nothing', () => {
    const r = registryOf(5);
    const first = r.page(undefined, 2);
    assert.deepEqual(first.items, ['entry 1', 'entry 2']);
    r.remove('t1');
    const second = r.page(first.nextCursor, 2);
    assert.deepEqual(second.items, ['entry 3', 'entry 4'], 'with an offset cursor, entry 3 was skipped');
    r.remove('t4');
    r.add('t6', 'entry 6');
    assert.deepEqual(r.page(second.nextCursor, 2).items, ['entry 5', 'entry 6'], 'removed past the cursor, added at the end');
    const listed = r.listPage(first.nextCursor, 2, '2025-11-25', 'tools', describeEntry);
    assert.deepEqual(listed.tools, ['entry 3 described', 'entry 5 described']);
  });
});

describe('Registry cursors it never issued', () => {
  const refused = (err: unknown): boolean => err instanceof WireError && err.code === ErrorCode.InvalidParams;

  it('refuses a well-formed cursor past every registration number it has given with -32602', () => {
    const r = registryOf(5);
    for (const after of ['6', '999', '999999999999999']) {
      const forged = Buffer.from(`erlmcp:tool:${after}`).toString('base64url');
      assert.throws(() => r.page(forged, 2), refused, `after ${after}`);
      assert.throws(() => r.listPage(forged, 2, '2025-11-25', 'tools', String), refused, `listPage, after ${after}`);
    }
  });

  it('refuses a cursor that only decodes to an issued one (padding, stray characters, leading zeros, zero)', () => {
    const r = registryOf(5);
    const issued = r.page(undefined, 2).nextCursor ?? '';
    assert.deepEqual(r.page(issued, 2).items, ['entry 3', 'entry 4'], 'the issued cursor itself is fine');
    for (const bad of [`${issued}=`, `${issued}==`, ` ${issued}`, `${issued.slice(0, 3)}!${issued.slice(3)}`,
      Buffer.from('erlmcp:tool:02').toString('base64url'), Buffer.from('erlmcp:tool:0').toString('base64url')]) {
      assert.throws(() => r.page(bad, 2), refused, `cursor ${JSON.stringify(bad)}`);
    }
  });

  it('still accepts the cursor of a removed entry, as long as the server issued it', () => {
    const r = registryOf(5);
    const { nextCursor } = r.page(undefined, 2);
    r.remove('t2');
    assert.deepEqual(r.page(nextCursor, 2).items, ['entry 3', 'entry 4']);
  });
});
