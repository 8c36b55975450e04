/**
 * Walks a merged config against `CONFIG_SCHEMA` and lists every problem, each naming the exact key path and what
 * was expected there, as piscina and fastify word their option errors. All problems are collected, not just the
 * first, so that `erlmcp config check` shows a broken file's every fault in one run.
 */
import type { FieldSpec, IntegerSpec, SectionSpec, StringListSpec, StringSpec } from './config-schema.js';
import { REDACTED } from './describe-config.js';

/** Where a key's value came from, when not from the file: an environment variable's name, by key path. */
export type ValueSources = ReadonlyMap<string, string>;

/** Validates `value` against a section spec; returns the problems, empty when the value is valid. */
export function validateSection(value: unknown, spec: SectionSpec, sources: ValueSources = new Map()): string[] {
  const problems: string[] = [];
  checkSection(value, spec, '', sources, problems);
  return problems;
}

const PREFIX = 'config: ';

/**
 * Checks one value against a key's spec outside a config file, for an API option that takes the same values (the
 * HTTP transport's): the problems, each naming `path`, without the `config:` prefix. One rule for both doors.
 */
export function checkValue(value: unknown, spec: FieldSpec, path: string): string[] {
  const out: string[] = [];
  checkField(value, spec, path, new Map(), out);
  return out.map((line) => (line.startsWith(PREFIX) ? line.slice(PREFIX.length) : line));
}

/**
 * One problem's line: `config: <path> must be <expected>, got <value>`, with the value's source if known. The value
 * of a secret key is never shown: a refused secret is most often the real one slightly wrong (a character short),
 * and these lines go to stderr, CI logs and issue reports, which `describeConfig` keeps secrets out of.
 */
function problem(path: string, expected: string, value: unknown, sources: ValueSources, secret = false): string {
  return `${PREFIX}${path} must be ${expected}, got ${secret ? REDACTED : show(value)}${sourceOf(path, sources)}`;
}

function sourceOf(path: string, sources: ValueSources): string {
  // An element's or a descendant's source is its nearest ancestor's.
  for (let p = path; p.length > 0; p = parentOf(p)) {
    const source = sources.get(p);
    if (source !== undefined) return ` (from ${source})`;
  }
  return '';
}

function parentOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut < 0 ? '' : path.slice(0, cut);
}

/** A value as a message shows it: JSON, cut short. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON has no Infinity or NaN (YAML's .inf and .nan, an environment variable of 1e400): it would print null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let out: string;
  try {
    out = JSON.stringify(value) ?? String(value);
  } catch {
    out = String(value);
  }
  return out.length > 60 ? `${out.slice(0, 57)}...` : out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function checkSection(value: unknown, spec: SectionSpec, path: string, sources: ValueSources, out: string[]): void {
  if (!isPlainObject(value)) {
    out.push(path === ''
      ? `config: the config must be a mapping of sections (an object), got ${show(value)}`
      : problem(path, 'a mapping of keys (an object)', value, sources));
    return;
  }
  const keys = spec.keys as Readonly<Record<string, FieldSpec>>;
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(keys, key)) out.push(unknownKey(path, key, Object.keys(keys), sources));
  }
  for (const [key, child] of Object.entries(keys)) checkField(value[key], child, join(path, key), sources, out);
}

/** The problem line of a key the schema does not know, with the nearest known key as a hint. */
export function unknownKey(parent: string, key: string, known: readonly string[], sources: ValueSources): string {
  const path = join(parent, key);
  const near = nearest(key, known);
  const hint = near === undefined
    ? `; ${parent === '' ? 'sections are' : `${parent} has keys`} ${known.join(', ')}`
    : `; did you mean ${join(parent, near)}?`;
  return `config: unknown key ${path}${sourceOf(path, sources)}${hint}`;
}

function checkField(value: unknown, spec: FieldSpec, path: string, sources: ValueSources, out: string[]): void {
  switch (spec.kind) {
    case 'section':
      checkSection(value, spec, path, sources, out);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') out.push(problem(path, 'true or false', value, sources));
      return;
    case 'integer':
      if (value === null && spec.nullable) return;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min || value > spec.max) {
        out.push(problem(path, expectInteger(spec), value, sources));
      }
      return;
    case 'string':
      if (value === null && spec.nullable) return;
      if (!stringOk(value, spec)) out.push(problem(path, expectString(spec), value, sources, spec.secret));
      return;
    case 'strings':
      checkStrings(value, spec, path, sources, out);
      return;
  }
}

function checkStrings(value: unknown, spec: StringListSpec, path: string, sources: ValueSources, out: string[]): void {
  const min = spec.minItems ?? 0;
  const what = `a list of ${spec.oneOf ? `values among ${quoteAll(spec.oneOf)}` : 'strings'}`;
  if (!Array.isArray(value)) {
    out.push(problem(path, what, value, sources, spec.secret));
    return;
  }
  if (value.length < min) out.push(problem(path, `${what} with at least ${min} item${min === 1 ? '' : 's'}`, value, sources, spec.secret));
  const element: StringSpec = spec.oneOf ? { kind: 'string', oneOf: spec.oneOf }
    : spec.pattern ? { kind: 'string', pattern: spec.pattern, ...(spec.patternHint === undefined ? {} : { patternHint: spec.patternHint }) }
      : { kind: 'string' };
  for (const [i, item] of value.entries()) {
    if (!stringOk(item, element)) out.push(problem(`${path}[${i}]`, expectString(element), item, sources, spec.secret));
  }
}

function stringOk(value: unknown, spec: StringSpec): boolean {
  if (typeof value !== 'string') return false;
  if (spec.nonEmpty && value.length === 0) return false;
  if (spec.oneOf && !spec.oneOf.includes(value)) return false;
  if (spec.accepts !== undefined && !spec.accepts(value)) return false;
  return spec.pattern === undefined || spec.pattern.test(value);
}

/** What an integer key takes, as a message says it: "an integer between 0 and 65535". */
export function expectInteger(spec: IntegerSpec): string {
  let range: string;
  if (spec.max >= Number.MAX_SAFE_INTEGER) {
    range = spec.min === 0 ? 'a non-negative integer' : spec.min === 1 ? 'a positive integer' : `an integer >= ${spec.min}`;
  } else {
    range = `an integer between ${spec.min} and ${spec.max}`;
  }
  return spec.nullable ? `${range} or null` : range;
}

function expectString(spec: StringSpec): string {
  let what: string;
  if (spec.oneOf) what = `one of ${quoteAll(spec.oneOf)}`;
  else if (spec.patternHint) what = spec.patternHint;
  else what = spec.nonEmpty ? 'a non-empty string' : 'a string';
  return spec.nullable ? `${what} or null` : what;
}

function quoteAll(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** Squashes case and underscores, so `IDLE_TTL_MS`, `idle_ttl_ms` and `idleTtlMs` compare equal. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replaceAll('_', '');
}

/**
 * The known key that `key` most likely meant: the same letters ignoring case and `_`, or a couple of edits away
 * (at most two, and at most half the key, so that short keys do not match everything).
 */
function nearest(key: string, known: readonly string[]): string | undefined {
  const norm = normalizeKey(key);
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.max(1, Math.floor(norm.length / 2))) + 1;
  for (const candidate of known) {
    const d = distance(norm, normalizeKey(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, for typo hints; keys are short, so the quadratic table is tiny. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = row;
  }
  return prev[b.length] as number;
}
