/**
 * Session ids: a random UUID, held as one flat string. Node's `randomUUID()` returns a tree of cons strings
 * (about 490 bytes of heap where the flat 36 characters take 56), which every live session kept for its life.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { newSessionId } from '../../src/server/session-manager.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newSessionId', () => {
  it('is a lower-case UUID v4, different each time', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newSessionId()));
    assert.equal(ids.size, 1000);
    for (const id of ids) assert.match(id, UUID_V4);
  });

  it('costs a flat string of heap, not a tree of concatenations', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const count = 20_000;
    const kept: string[] = new Array(count);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < count; i++) kept[i] = newSessionId();
    gc();
    const perId = (process.memoryUsage().heapUsed - before) / count;
    assert.equal(kept.length, count);
    // A flat one-byte string of 36 characters is 56 bytes; the cons tree of randomUUID() is about 490.
    assert.ok(perId < 150, `${perId.toFixed(0)} bytes of heap per session id`);
  });
});
