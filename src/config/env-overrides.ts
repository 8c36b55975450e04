/**
 * Environment overrides: `ERLMCP_SERVER__PORT=9000` sets `server.port`, `ERLMCP_CACHE__L1__SIZE=5000` sets
 * `cache.l1.size`. A double underscore nests; each segment matches a schema key ignoring case and underscores, so
 * `IDLE_TTL_MS` finds `idleTtlMs` and `THREAD_POOLS` finds `thread_pools`.
 *
 * Values are typed by the key they land on: string keys take the raw text (so `ERLMCP_SERVER__VERSION=1.0` stays
 * "1.0"), lists take a JSON array or comma-separated items, integer keys take decimal digits only (as `--port`
 * reads its value, so `1e3`, `1.0` and `0x10` are refused here as there), and everything else is parsed as JSON when
 * it parses (`true`, `null`, a section's object) and left as text otherwise, for validation to name. A variable whose first segment is no
 * section is not ours and is ignored (`ERLMCP_REDIS_URL` for a test harness), unless it spells a real key with
 * single underscores, the common slip, which is an error with the right spelling.
 */
import type { FieldSpec, SectionSpec } from './config-schema.js';
import { REDACTED } from './describe-config.js';
import { expectInteger, normalizeKey, show, unknownKey } from './validate-config.js';

/** The prefix of variables that override config keys. */
export const ENV_PREFIX = 'ERLMCP_';

/** What the environment contributes: a partial config, the variable behind each key, and naming problems. */
export interface EnvLayer {
  readonly layer: Record<string, unknown>;
  /** The variable that set each key path. */
  readonly sources: ReadonlyMap<string, string>;
  readonly problems: readonly string[];
}

type Keys = Readonly<Record<string, FieldSpec>>;

/** Reads the `ERLMCP_*` variables of `env` against `schema`. */
export function readEnvOverrides(env: Readonly<Record<string, string | undefined>>, schema: SectionSpec): EnvLayer {
  const layer: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  const problems: string[] = [];
  const names = Object.keys(env).filter((n) => n.startsWith(ENV_PREFIX) && env[n] !== undefined).sort();
  for (const name of names) {
    const segments = name.slice(ENV_PREFIX.length).split('__');
    const top = findKey(schema.keys as Keys, segments[0] ?? '');
    if (top === undefined) {
      const meant = misspelled(schema).get(normalizeKey(name.slice(ENV_PREFIX.length)));
      if (meant !== undefined) problems.push(`config: ${name} names no config key; nesting takes a double underscore, as in ${meant}`);
      continue;
    }
    let spec: FieldSpec = schema;
    let target = layer;
    let path = '';
    for (const [i, segment] of segments.entries()) {
      const parent = spec as SectionSpec;
      const keys = parent.keys as Keys;
      const key = findKey(keys, segment);
      if (key === undefined) {
        const guess = segment.toLowerCase();
        const at = path === '' ? guess : `${path}.${guess}`;
        problems.push(unknownKey(path, guess, Object.keys(keys), new Map([[at, name]])));
        break;
      }
      spec = keys[key] as FieldSpec;
      path = path === '' ? key : `${path}.${key}`;
      if (i === segments.length - 1) {
        const value = parseValue(env[name] as string, spec);
        if (spec.kind === 'integer' && typeof value === 'string') {
          problems.push(`config: ${path} must be ${expectInteger(spec)}, written in decimal digits, got ${show(value)} (from ${name})`);
          break;
        }
        target[key] = value;
        sources.set(path, name);
        break;
      }
      if (spec.kind !== 'section') {
        // A secret key's variable holds the secret: never echo it (see `problem` in validate-config.ts).
        const shown = 'secret' in spec && spec.secret === true ? REDACTED : show(env[name]);
        problems.push(`config: ${name} (${shown}) sets a key inside ${path}, which is not a section`);
        break;
      }
      const next = target[key];
      target = isPlainObject(next) ? next : (target[key] = {});
    }
  }
  return { layer, sources, problems };
}

function findKey(keys: Keys, segment: string): string | undefined {
  const wanted = normalizeKey(segment);
  if (wanted === '') return undefined;
  return Object.keys(keys).find((k) => normalizeKey(k) === wanted);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An integer as `--port` takes one, plus a sign so that `-1` is refused for its range, not its spelling. */
const DECIMAL = /^-?\d+$/;

/** Types an environment value by the key it lands on. */
function parseValue(raw: string, spec: FieldSpec): unknown {
  switch (spec.kind) {
    case 'string':
      return spec.nullable && raw === 'null' ? null : raw;
    case 'strings': {
      const trimmed = raw.trim();
      if (trimmed.startsWith('[')) {
        const parsed = tryJson(trimmed);
        if (Array.isArray(parsed)) return parsed;
      }
      return trimmed === '' ? [] : trimmed.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    }
    case 'integer':
      // JSON would read `1e3` and `1.0` as 1000 and 1: a port the `--port` flag refuses. Text is kept for the caller
      // to refuse, naming the variable.
      if (spec.nullable && raw === 'null') return null;
      return DECIMAL.test(raw) ? Number(raw) : raw;
    default:
      return tryJson(raw);
  }
}

function tryJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

const misspellings = new WeakMap<SectionSpec, ReadonlyMap<string, string>>();

/**
 * Every key path squashed (`serverport`, `cachel1size`) to its proper variable name (`ERLMCP_SERVER__PORT`), to
 * catch single-underscore spellings. Built once per schema.
 */
function misspelled(schema: SectionSpec): ReadonlyMap<string, string> {
  let map = misspellings.get(schema);
  if (map === undefined) {
    const out = new Map<string, string>();
    const walk = (keys: Keys, squashed: string, parts: string[]): void => {
      for (const [key, spec] of Object.entries(keys)) {
        const envPart = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
        const nextParts = [...parts, envPart];
        const nextSquashed = squashed + normalizeKey(key);
        if (parts.length > 0) out.set(nextSquashed, ENV_PREFIX + nextParts.join('__'));
        if (spec.kind === 'section') walk(spec.keys as Keys, nextSquashed, nextParts);
      }
    };
    walk(schema.keys as Keys, '', []);
    misspellings.set(schema, (map = out));
  }
  return map;
}
