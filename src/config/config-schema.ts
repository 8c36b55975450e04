/**
 * The shape and ranges of every config key: a small hand-written schema, walked once at start-up.
 *
 * Hand-written rather than Ajv because the messages are the product here. Every problem names its exact key path
 * and what was expected there ("server.port must be an integer between 0 and 65535"), which Ajv's output would
 * need rewriting to say. The schema's keys are held to `CONFIG_DEFAULTS`' by the `SpecFor` type, so the compiler
 * rejects a key added to one and not the other. The same schema drives environment-variable matching and the
 * redaction of secrets in `describeConfig`.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { ALL_REVISIONS } from '../protocol/versions.js';
import { HOST_ENTRY, ORIGIN_ENTRY } from '../transport/http/http-guards.js';
import type { ErlmcpConfig } from './config-defaults.js';

/** An integer key. `max` is inclusive. */
export interface IntegerSpec {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
  readonly nullable?: boolean;
}

/** A boolean key. */
export interface BooleanSpec {
  readonly kind: 'boolean';
}

/** A string key, optionally one of a fixed set, or matching a pattern. */
export interface StringSpec {
  readonly kind: 'string';
  readonly nullable?: boolean;
  readonly nonEmpty?: boolean;
  readonly oneOf?: readonly string[];
  readonly pattern?: RegExp;
  /** A rule no regex states plainly (an IPv6 address), checked with `pattern`; `patternHint` says it in messages. */
  readonly accepts?: (value: string) => boolean;
  /** How `pattern` (or `accepts`) reads in a message: "a path starting with /". */
  readonly patternHint?: string;
  /** Printed redacted by `describeConfig`. */
  readonly secret?: boolean;
}

/** A list of strings. */
export interface StringListSpec {
  readonly kind: 'strings';
  readonly oneOf?: readonly string[];
  /** What every item must match, and how that reads in a message. */
  readonly pattern?: RegExp;
  readonly patternHint?: string;
  readonly minItems?: number;
  readonly secret?: boolean;
}

/** A section: a mapping with a fixed set of keys. Unknown keys are errors. */
export interface SectionSpec<T = Record<string, unknown>> {
  readonly kind: 'section';
  readonly keys: { readonly [K in keyof T]-?: SpecFor<T[K]> };
}

/** Any key's spec. */
export type FieldSpec = IntegerSpec | BooleanSpec | StringSpec | StringListSpec | SectionSpec;

/** The spec a value of type `T` needs (not distributed over unions, so `string | null` is one string spec). */
export type SpecFor<T> = [T] extends [readonly unknown[]]
  ? StringListSpec
  : [T] extends [number | null]
    ? IntegerSpec
    : [T] extends [boolean]
      ? BooleanSpec
      : [T] extends [string | null]
        ? StringSpec
        : [T] extends [object]
          ? SectionSpec<T>
          : never;

/** Largest delay `setTimeout` honours (2^31 - 1 ms); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;
/** Upper bound of size limits: a message is decoded as one string, and V8 strings stop short of 512 MiB. */
export const MAX_MESSAGE_LIMIT_BYTES = 256 * 1024 * 1024;

const BIG = Number.MAX_SAFE_INTEGER;

function int(min: number, max = BIG, nullable = false): IntegerSpec {
  return nullable ? { kind: 'integer', min, max, nullable } : { kind: 'integer', min, max };
}
const ms = (min = 0): IntegerSpec => int(min, MAX_TIMER_MS);
const bool: BooleanSpec = { kind: 'boolean' };
const name: StringSpec = { kind: 'string', nonEmpty: true };
/** A DNS name's labels (underscores too: /etc/hosts and container names carry them), or a dotted IPv4 address. */
const HOST_NAME = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?$/i;

/**
 * What `server.listen` takes as a host: a name, an IPv4 address, or an IPv6 address as written in no URL, without
 * brackets (`::1`, a zone such as `fe80::1%eth0` allowed). Anything else (a trailing space or newline from an
 * environment variable, `[::1]`, `localhost:8080`, `999.1.1.1`) failed only at listen, as "getaddrinfo ENOTFOUND",
 * naming no key.
 */
export function isListenHost(value: string): boolean {
  if (isIPv6(value)) return true;
  // All digits and dots is no name (RFC 1123 2.1: a top-level label is never all-numeric), so it must be an IPv4.
  return HOST_NAME.test(value) && (!/^[\d.]+$/.test(value) || isIPv4(value));
}
const host: StringSpec = {
  kind: 'string',
  nonEmpty: true,
  accepts: isListenHost,
  patternHint: 'a host name or IP address, without port, brackets or spaces (write ::1, not [::1])',
};
const nullableText: StringSpec = { kind: 'string', nullable: true };
const secretText: StringSpec = { kind: 'string', nullable: true, secret: true };
// Requests are routed on the part of their target before "?", and a "#" never reaches a server: an endpoint path
// holding either would answer 404 to every request.
const urlPath: StringSpec = { kind: 'string', pattern: /^\/[^\s?#]*$/, patternHint: 'a path starting with "/", without "?" or "#"' };
const strings: StringListSpec = { kind: 'strings' };
const port = int(0, 65_535);
const pool = { kind: 'section', keys: { size: int(1), maxSize: int(1), queueSize: int(0), stackSizeMb: int(1, 1024) } } as const;

/** The schema of the whole config. */
export const CONFIG_SCHEMA: SectionSpec<ErlmcpConfig> = {
  kind: 'section',
  keys: {
    server: {
      kind: 'section',
      keys: {
        host,
        port,
        path: urlPath,
        stateless: bool,
        responseMode: { kind: 'string', oneOf: ['auto', 'sse'] },
        // At least 1: a 0 interval would make setInterval write a comment every millisecond.
        sseKeepAliveMs: ms(1),
        allowedOrigins: { kind: 'strings', pattern: ORIGIN_ENTRY, patternHint: 'an origin "scheme://host[:port]" with no path' },
        allowedHosts: { kind: 'strings', pattern: HOST_ENTRY, patternHint: 'a host name without port or scheme' },
        name,
        version: name,
        instructions: nullableText,
        shutdownGraceMs: ms(),
        shutdownReadyDelayMs: ms(),
        pageSize: int(1),
        clientRequestTimeoutMs: ms(1),
        revisions: { kind: 'strings', oneOf: ALL_REVISIONS, minItems: 1 },
        cacheTtlMs: ms(),
        cacheScope: { kind: 'string', oneOf: ['public', 'private'] },
        mrtrSecret: { kind: 'string', nullable: true, secret: true, pattern: /^.{32,}$/s, patternHint: 'at least 32 characters' },
        mrtrStateTtlMs: ms(1),
        // A requestState comes back inside a request body, so it can never usefully exceed a message.
        mrtrMaxStateBytes: int(1, MAX_MESSAGE_LIMIT_BYTES),
        mrtrMaxRounds: int(1),
        serverInfoInResults: bool,
      },
    },
    demo: { kind: 'section', keys: { enabled: bool, root: { kind: 'string', nullable: true, nonEmpty: true } } },
    modules: strings,
    limits: {
      kind: 'section',
      keys: { maxBodyBytes: int(1, MAX_MESSAGE_LIMIT_BYTES), maxMessageBytes: int(1, MAX_MESSAGE_LIMIT_BYTES), maxListenUris: int(1) },
    },
    sessions: {
      kind: 'section',
      keys: {
        store: { kind: 'string', oneOf: ['memory', 'redis'] },
        redisUrl: secretText,
        idleTtlMs: ms(1),
        maxEventsPerStream: int(1),
        maxSessions: int(1),
      },
    },
    runtime: {
      kind: 'section',
      keys: {
        workers: int(0, 1024),
        heart: bool,
        // libuv caps its threadpool at 1024 threads.
        uvThreadpoolSize: int(1, 1024),
        maxOldSpaceSizeMb: int(16, BIG, true),
        maxSemiSpaceSizeMb: int(1, BIG, true),
      },
    },
    connections: {
      kind: 'section',
      keys: {
        poolSize: int(1), maxPoolSize: int(1), timeoutMs: ms(1), keepAliveMs: ms(), maxRetries: int(0), retryDelayMs: ms(),
      },
    },
    database: {
      kind: 'section',
      keys: {
        driver: { kind: 'string', oneOf: ['sqlite', 'postgres'] },
        sqlitePath: name,
        postgresUrl: secretText,
        poolSize: int(1),
        maxOverflow: int(0),
        timeoutMs: ms(1),
        idleTimeoutMs: ms(),
        validationIntervalMs: ms(),
        testOnBorrow: bool,
      },
    },
    cache: {
      kind: 'section',
      keys: {
        l1: { kind: 'section', keys: { enabled: bool, size: int(1), ttlMs: ms(), eviction: name } },
        l2: { kind: 'section', keys: { enabled: bool, nodes: strings, size: int(1), ttlMs: ms(), eviction: name } },
        strategy: name,
        invalidation: { kind: 'section', keys: { mode: name, policy: name } },
      },
    },
    thread_pools: { kind: 'section', keys: { io: pool, compute: pool, db: pool } },
    json: {
      kind: 'section',
      keys: { cacheSize: int(0), cacheTtlMs: ms(), lazyDecode: bool, compactOutput: bool },
    },
    tcp: {
      kind: 'section',
      keys: {
        backlog: int(1),
        noDelay: bool,
        keepAlive: bool,
        lingerSeconds: int(0, 65_535, true),
        bufferSizeBytes: int(1),
        recvBufferBytes: int(1),
        sendBufferBytes: int(1),
        maxConnections: int(1),
      },
    },
    http2: {
      kind: 'section',
      keys: {
        enabled: bool,
        maxConcurrentStreams: int(1, 2 ** 31 - 1),
        // RFC 9113 section 6.5.2: SETTINGS_MAX_FRAME_SIZE lies between 2^14 and 2^24 - 1.
        maxFrameSize: int(16_384, 16_777_215),
        maxHeaderListSize: int(1, 2 ** 32 - 1),
        pushEnabled: bool,
        compressionLevel: int(0, 9),
      },
    },
    auth: {
      kind: 'section',
      keys: {
        enabled: bool,
        issuer: name,
        audience: nullableText,
        tokenTtlMs: int(1),
        jwtSecret: secretText,
        apiKeys: { kind: 'strings', secret: true },
      },
    },
    metrics: { kind: 'section', keys: { enabled: bool, host, port, path: urlPath, runtime: bool } },
    logging: {
      kind: 'section',
      keys: {
        level: { kind: 'string', oneOf: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
        slowRequestMs: ms(),
      },
    },
  },
};
