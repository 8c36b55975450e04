/**
 * A removed tool's compiled schemas are freed. Ajv keeps every schema an instance compiled (and its generated code)
 * for the life of the instance, so with one instance per process a server that adds and removes tools kept each
 * registration's schemas for ever. The compiler now moves to a fresh instance every `COMPILES_PER_INSTANCE`
 * schemas, and an old one goes with the last of its tools.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { COMPILES_PER_INSTANCE } from '../../src/server/schema-compiler.js';
import { newServer } from '../helpers/dispatcher-harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('tool schemas', () => {
  it('are let go once their tool is removed, however many tools came and went', async () => {
    const server = newServer();
    const schemas: WeakRef<object>[] = [];
    for (let i = 0; i < 3 * COMPILES_PER_INSTANCE; i++) {
      const inputSchema = { type: 'object', properties: { [`p${i}`]: { type: 'string' } } };
      schemas.push(new WeakRef(inputSchema));
      server.tool('dynamic', { inputSchema }, () => 'x').remove();
    }
    // Finalisation needs a turn of the event loop after the collection.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const kept = schemas.filter((ref) => ref.deref() !== undefined).length;
    assert.ok(kept <= COMPILES_PER_INSTANCE, `${kept} of ${schemas.length} removed tools' schemas are still held`);
  });
});
