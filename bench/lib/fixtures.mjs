/**
 * What every benchmarked server serves, defined once so the peers are compared on identical work: the `echo` tool
 * ({text} → one text block), a `progress` tool that sends 10 progress notifications before its result, a `wide`
 * tool whose input schema has 20 properties, a 1 MB text resource, and 500 extra tools for tools/list.
 */

/** The text every echo request sends and every check expects back. */
export const ECHO_TEXT = 'hello from the erlmcp bench';

/** Progress notifications the `progress` tool sends before its result. */
export const PROGRESS_STEPS = 10;

/** URI of the 1 MB resource. */
export const BIG_URI = 'bench://big';

/** The 1 MB resource's text (1,048,576 ASCII characters). */
export const BIG_TEXT = 'abcdefghijklmnopqrstuvwxyz012345'.repeat(32 * 1024);

/** Extra tools registered for the tools/list scenario. */
export const MANY_TOOLS = 500;

/** The echo tool's input schema, as JSON Schema. */
export const ECHO_SCHEMA = Object.freeze({
  type: 'object',
  properties: { text: { type: 'string', description: 'The text to send back.' } },
  required: ['text'],
});

/** A 20-property input schema: strings, numbers, integers, booleans, enums, an array and a nested object. */
export const WIDE_SCHEMA = Object.freeze({
  type: 'object',
  properties: {
    s1: { type: 'string', minLength: 1, maxLength: 64 },
    s2: { type: 'string', minLength: 1, maxLength: 64 },
    s3: { type: 'string' },
    s4: { type: 'string', pattern: '^[a-z]+$' },
    s5: { type: 'string', enum: ['red', 'green', 'blue'] },
    n1: { type: 'number', minimum: 0, maximum: 1000 },
    n2: { type: 'number' },
    n3: { type: 'number', minimum: -1 },
    i1: { type: 'integer', minimum: 0 },
    i2: { type: 'integer', maximum: 100 },
    i3: { type: 'integer' },
    b1: { type: 'boolean' },
    b2: { type: 'boolean' },
    b3: { type: 'boolean' },
    a1: { type: 'array', items: { type: 'string' }, maxItems: 10 },
    a2: { type: 'array', items: { type: 'number' } },
    o1: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'] },
    o2: { type: 'object', properties: { name: { type: 'string' } } },
    e1: { type: 'string', enum: ['a', 'b', 'c', 'd'] },
    t1: { type: 'string', maxLength: 256 },
  },
  required: ['s1', 's2', 'n1', 'i1', 'b1', 'o1'],
});

/** Arguments that pass WIDE_SCHEMA, every property present. */
export const WIDE_ARGS = Object.freeze({
  s1: 'alpha', s2: 'beta', s3: 'gamma', s4: 'delta', s5: 'green',
  n1: 12.5, n2: -3.25, n3: 7, i1: 42, i2: 99, i3: -5,
  b1: true, b2: false, b3: true,
  a1: ['x', 'y', 'z'], a2: [1, 2, 3.5],
  o1: { x: 1, y: 2 }, o2: { name: 'bench' },
  e1: 'c', t1: 'a somewhat longer string value for the wide tool',
});

/** The text the wide tool answers with. */
export const WIDE_REPLY = 'wide ok';

/** The text the progress tool answers with. */
export const PROGRESS_REPLY = 'progress done';
