/**
 * Config loading: defaults, then the file, then `ERLMCP_*` environment variables, then explicit overrides (CLI
 * flags), merged key by key; validated once; paths resolved; frozen. What comes out is trusted everywhere after
 * (style rule 5, "validate at the boundary, once").
 *
 * Sections merge deeply and lists are replaced whole, so a file that sets `cache.l1.size` keeps every other
 * default of `cache`. A section left empty in YAML (`cache:` with its children commented out) reads as null and
 * keeps its defaults, rather than failing.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { ErlmcpError } from '../errors.js';
import { CONFIG_DEFAULTS, type ConfigOverrides, type ErlmcpConfig } from './config-defaults.js';
import { readConfigFile } from './config-file.js';
import { CONFIG_SCHEMA, type FieldSpec, type SectionSpec } from './config-schema.js';
import { deepFreeze } from './deep-freeze.js';
import { readEnvOverrides } from './env-overrides.js';
import { show, validateSection } from './validate-config.js';

/** Where a config comes from. Every source is optional; with none, the result is `CONFIG_DEFAULTS`. */
export interface LoadConfigOptions {
  /** A YAML or JSON file. */
  file?: string;
  /** Variables to read `ERLMCP_*` overrides from. Default `process.env`; pass `{}` to ignore the environment. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Applied last, over the file and the environment: what CLI flags set. */
  overrides?: ConfigOverrides;
  /** Base of relative paths when there is no file. Default `process.cwd()`. */
  cwd?: string;
}

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `layer` into `base` (a fresh copy of defaults, owned here), guided by the schema. */
function mergeInto(base: Plain, layer: Plain, spec: SectionSpec): void {
  const keys = spec.keys as Readonly<Record<string, FieldSpec>>;
  for (const [key, value] of Object.entries(layer)) {
    if (value === undefined) continue;
    const child = Object.hasOwn(keys, key) ? keys[key] : undefined;
    if (child?.kind === 'section') {
      if (value === null) continue;
      const current = base[key];
      if (isPlainObject(value) && isPlainObject(current)) {
        mergeInto(current, value, child);
        continue;
      }
    }
    // Unknown keys are copied too, so that validation names them. `__proto__` (an own key of JSON.parse's result)
    // is defined, not assigned: assigning it would replace base's prototype, and validation would never see it.
    if (key === '__proto__') Object.defineProperty(base, key, { value, enumerable: true, writable: true, configurable: true });
    else base[key] = value;
  }
}

/** Resolves `path` against `base` unless it is absolute. */
function resolveFrom(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}

/**
 * Loads, merges, validates and freezes the config. Throws `ErlmcpError` `ERLMCP_ERR_CONFIG_FILE` when the file
 * cannot be read or parsed, and `ERLMCP_ERR_CONFIG_INVALID`, with one line per problem naming its key path, when
 * the result is not a valid config.
 *
 * `demo.root` and `modules` come out absolute: relative ones resolve against the file's directory, or `cwd` when
 * there is no file; a null `demo.root` becomes `cwd`.
 */
export function loadConfig(options: LoadConfigOptions = {}): ErlmcpConfig {
  const cwd = options.cwd ?? process.cwd();
  const merged = structuredClone(CONFIG_DEFAULTS) as unknown as Plain;
  const schema = CONFIG_SCHEMA as unknown as SectionSpec;
  if (options.file !== undefined) {
    const raw = readConfigFile(options.file);
    if (!isPlainObject(raw)) {
      throw new ErlmcpError('ERLMCP_ERR_CONFIG_INVALID', `config: ${options.file} must hold a mapping of sections at the top level, got ${show(raw)}`);
    }
    mergeInto(merged, raw, schema);
  }
  const env = readEnvOverrides(options.env ?? process.env, schema);
  mergeInto(merged, env.layer, schema);
  if (options.overrides !== undefined) mergeInto(merged, options.overrides as Plain, schema);

  const problems = [...env.problems, ...validateSection(merged, schema, env.sources)];
  if (problems.length > 0) throw new ErlmcpError('ERLMCP_ERR_CONFIG_INVALID', problems.join('\n'));

  const config = merged as unknown as {
    demo: { root: string | null };
    modules: string[];
  };
  const base = options.file !== undefined ? dirname(resolve(cwd, options.file)) : cwd;
  config.demo.root = config.demo.root === null ? cwd : resolveFrom(base, config.demo.root);
  config.modules = config.modules.map((m) => resolveFrom(base, m));
  return deepFreeze(merged) as unknown as ErlmcpConfig;
}
