/**
 * Elicitation defaults (SEP-1034): an accepted form answer gets the schema's `default` for every property the user
 * left out, of every primitive type, while what the user gave is never replaced, and a default that does not fit its
 * property's type or enum is not used.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyElicitationDefaults } from '../../src/client/elicitation-defaults.js';

const SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', default: 'John Doe' },
    age: { type: 'integer', default: 30 },
    score: { type: 'number', default: 95.5 },
    status: { type: 'string', enum: ['active', 'inactive'], default: 'active' },
    verified: { type: 'boolean', default: true },
    tags: { type: 'array', items: { type: 'string' }, default: ['a'] },
    email: { type: 'string' },
  },
};

describe('applyElicitationDefaults', () => {
  it('fills every omitted field that has a default, and only those', () => {
    assert.deepEqual(applyElicitationDefaults(SCHEMA, {}), {
      name: 'John Doe', age: 30, score: 95.5, status: 'active', verified: true, tags: ['a'],
    });
  });

  it('never replaces a value the user gave, even false or empty', () => {
    const out = applyElicitationDefaults(SCHEMA, { name: '', verified: false, age: 1 });
    assert.equal(out.name, '');
    assert.equal(out.verified, false);
    assert.equal(out.age, 1);
    assert.equal(out.score, 95.5);
  });

  it('skips defaults that do not fit the declared type or enum', () => {
    const schema = {
      type: 'object',
      properties: {
        age: { type: 'integer', default: 2.5 },
        flag: { type: 'boolean', default: 'yes' },
        status: { type: 'string', enum: ['a', 'b'], default: 'c' },
      },
    };
    assert.deepEqual(applyElicitationDefaults(schema, undefined), {});
  });

  it('leaves the content alone when there is no usable schema', () => {
    assert.deepEqual(applyElicitationDefaults(undefined, { a: 1 }), { a: 1 });
    assert.deepEqual(applyElicitationDefaults({ type: 'object' }, { a: 1 }), { a: 1 });
  });
});
