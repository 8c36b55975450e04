/**
 * Every config key's default, in one documented constant; the `ErlmcpConfig` type is inferred from it, so a key
 * is declared exactly once (its range lives beside it in config-schema.ts, which the compiler holds to the same
 * keys).
 *
 * The sections follow the seed's `sys.config` (seed/erlmcp-v3-performance-guide.md: "sys.config", "Connection
 * Pool", "Cache", "Thread Pool", "TCP", "HTTP/2"), renamed to camelCase with units in the names (`timeout` in ms
 * becomes `timeoutMs`, `{8, mb}` becomes `stackSizeMb: 8`). Where a seed value means nothing on Node, or would be
 * harmful, the default differs and its comment says why. Sections that later layers consume (runtime,
 * connections, database, cache, thread_pools, json, tcp, http2, auth) are validated, and `erlmcp serve` refuses a
 * config that changes them (build-server.ts), but for `tcp.maxConnections`, which the HTTP transport enforces. docs/configuration.md lists every key with its default.
 */
import { ALL_REVISIONS, type AnyRevision } from '../protocol/versions.js';
import { deepFreeze, type DeepReadonly } from './deep-freeze.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info.js';

/** Where sessions are stored. */
export type SessionStoreKind = 'memory' | 'redis';

/** How Streamable HTTP answers a POST request: JSON unless the handler streams, or always an SSE stream. */
export type ResponseMode = 'auto' | 'sse';

/** A pino log level, or `silent`. */
export type LogLevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Which database holds durable data. */
export type DatabaseDriver = 'sqlite' | 'postgres';

const MiB = 1024 * 1024;

/** The defaults of every config key. Frozen. */
export const CONFIG_DEFAULTS = deepFreeze({
  /** The MCP endpoint (Streamable HTTP) and the server's identity. */
  server: {
    /** Interface to bind. Loopback by default: exposing a server is a deliberate act. */
    host: '127.0.0.1',
    /** TCP port of the MCP and REST endpoints (DESIGN.md, "Ports and names follow the seed"). 0 picks a free one. */
    port: 8080,
    /** Path of the MCP endpoint. */
    path: '/mcp',
    /**
     * Serve the session era (2025-11-25 and older) without sessions: no Mcp-Session-Id, no GET stream. 2026-07-28
     * requests are stateless whatever this says.
     */
    stateless: false,
    /**
     * How a POST request is answered: `auto` sends JSON unless the handler streams something first (progress, a
     * log, a request to the client); `sse` always opens an SSE stream, as the official SDK does, which the
     * conformance suite's multiple-streams scenario scores.
     */
    responseMode: 'auto' as ResponseMode,
    /**
     * Interval of the keep-alive comments on every SSE stream that stays open (2026-07-28 `subscriptions/listen`,
     * a session's GET stream, the stream of a handler still running), so that proxies and load balancers with idle
     * timeouts do not cut a quiet stream. The transport's default (15 s).
     */
    sseKeepAliveMs: 15_000,
    /** Origins allowed besides loopback ones (Streamable HTTP "Security Warning": validate Origin). */
    allowedOrigins: [] as string[],
    /** Host header names allowed. Empty: loopback names when bound to loopback, any name otherwise. */
    allowedHosts: [] as string[],
    /** `serverInfo.name` in the initialize result. */
    name: PACKAGE_NAME,
    /** `serverInfo.version` in the initialize result. Defaults to the package version. */
    version: PACKAGE_VERSION,
    /** Usage hints for the model, sent in the initialize result. Null sends none. */
    instructions: null as string | null,
    /** How long a graceful shutdown waits for requests in flight before it ends sessions and sockets. */
    shutdownGraceMs: 10_000,
    /**
     * On SIGTERM, how long `/ready` answers 503 while the listener still accepts, before the drain starts: load
     * balancers and Kubernetes stop routing here first. Behind Kubernetes, set it to at least the readiness
     * probe's period times its failure threshold; 0 closes the listener at once.
     */
    shutdownReadyDelayMs: 0,
    /** Entries per page of list results (tools/list, resources/list, ...). */
    pageSize: 100,
    /** Timeout of requests a handler sends to the client (sampling, elicitation, roots). */
    clientRequestTimeoutMs: 60_000,
    /**
     * Protocol revisions offered, newest first, of both eras: 2026-07-28 (stateless, per-request `_meta`) and the
     * session era (2025-11-25 .. 2025-03-26). All by default; both eras are served on the same endpoint.
     * `stateless` above concerns the session era only.
     */
    revisions: [...ALL_REVISIONS] as AnyRevision[],
    /** `ttlMs` of 2026-07-28 discover, list and read results, unless a registration sets its own. */
    cacheTtlMs: 0,
    /** `cacheScope` of those results: `public`, or `private` when they depend on who asks. */
    cacheScope: 'public' as 'public' | 'private',
    /**
     * HMAC key (at least 32 bytes) of 2026-07-28 `requestState`. Null: a random key per process, which is fine
     * for one process; set it when several processes serve one endpoint, so a retry can land on any of them.
     */
    mrtrSecret: null as string | null,
    /** How long a 2026-07-28 `requestState` stays valid (a human answers elicitations). */
    mrtrStateTtlMs: 600_000,
    /** Largest sealed 2026-07-28 `requestState`; a larger one is an internal error. McpServer's default (64 KiB). */
    mrtrMaxStateBytes: 65_536,
    /** Input rounds (elicitations, samplings, roots requests) one 2026-07-28 request may take. McpServer's default. */
    mrtrMaxRounds: 32,
    /** Put `io.modelcontextprotocol/serverInfo` in the `_meta` of every 2026-07-28 result. */
    serverInfoInResults: true,
  },
  /** The built-in demo toolset (echo, add, file_search, two resources, a template, a prompt). */
  demo: {
    /** Register the demo toolset. */
    enabled: true,
    /** Directory that `file_search` searches. Null: the working directory at start-up. Relative paths resolve against the config file's directory. */
    root: null as string | null,
  },
  /**
   * Modules to load tools from: each exports `register(server, config)` (default or named export). Relative paths
   * resolve against the config file's directory.
   */
  modules: [] as string[],
  /** Size limits on what peers send. */
  limits: {
    /** Largest HTTP request body; larger ones get 413. */
    maxBodyBytes: 4 * MiB,
    /** Longest message on stream transports (stdio, TCP, WebSocket); longer ones get -32600. */
    maxMessageBytes: 4 * MiB,
    /**
     * Resource URIs one 2026-07-28 `subscriptions/listen` may name; more get -32602. Each is matched against every
     * resource template when the listen opens, so the bound caps that work per request. 1024, as many as a session
     * of the older era may subscribe to.
     */
    maxListenUris: 1024,
  },
  /** Sessions (DESIGN.md, "Sessions are data"). */
  sessions: {
    /** Session store: in-process memory, or Redis to share sessions between processes and nodes. */
    store: 'memory' as SessionStoreKind,
    /** Redis URL when `store` is redis (may hold a password: printed redacted). */
    redisUrl: null as string | null,
    /** A session unused this long expires (a running handler or an open GET stream counts as use). */
    idleTtlMs: 1_800_000,
    /** Events kept per SSE stream for `Last-Event-ID` resumption. */
    maxEventsPerStream: 1000,
    /**
     * Sessions live in one process at most: an initialize beyond it gets 503 with Retry-After. Each idle session
     * costs about 1 KB (bench/macro/memory.mjs), so 100,000 is about 100 MB: the bound keeps a client that only
     * initializes from growing the heap without end, and is high enough that a busy server's real clients (each
     * session lives 30 min idle) do not meet it.
     */
    maxSessions: 100_000,
  },
  /**
   * Process runtime, from the seed's vm.args and `runtime` section. The seed's `schedulers: 8` (one per core)
   * becomes `workers`; its `async_threads: 64` is libuv's threadpool; its young-generation size (GC Strategy,
   * `{64, mb}`) is V8's semi-space.
   */
  runtime: {
    /** Worker processes under a node:cluster primary (not built yet). 0: one per CPU. 1: no cluster. */
    workers: 1,
    /** Restart a crashed worker, with backoff (the seed's `-heart`). */
    heart: true,
    /** libuv threadpool size, `UV_THREADPOOL_SIZE` (the seed's `async_threads: 64`). */
    uvThreadpoolSize: 64,
    /** V8 `--max-old-space-size`. Null keeps Node's default: the seed's 256 MB cap is per Erlang process, and one V8 heap per process needs far more. */
    maxOldSpaceSizeMb: null as number | null,
    /** V8 `--max-semi-space-size`, the young generation (the seed's `{64, mb}`): fewer scavenges under request churn. */
    maxSemiSpaceSizeMb: 64 as number | null,
  },
  /** Outbound HTTP connection pool (seed "HTTP Connection Pool"). */
  connections: {
    /** Connections kept in total. */
    poolSize: 100,
    /** Connections per host at most. */
    maxPoolSize: 200,
    /** Connect timeout. */
    timeoutMs: 5000,
    /** Idle keep-alive. */
    keepAliveMs: 30_000,
    /** Retries of a failed request. */
    maxRetries: 3,
    /** Delay between retries. */
    retryDelayMs: 1000,
  },
  /** Durable data (seed "Database Connection Pool"). SQLite is embedded; PostgreSQL loads only when chosen. */
  database: {
    /** sqlite (embedded, better-sqlite3) or postgres (pg). */
    driver: 'sqlite' as DatabaseDriver,
    /** SQLite database file; `:memory:` keeps nothing on disk. */
    sqlitePath: ':memory:',
    /** PostgreSQL connection string when `driver` is postgres (may hold a password: printed redacted). */
    postgresUrl: null as string | null,
    /** Connections in the pool. */
    poolSize: 50,
    /** Extra connections under load, beyond `poolSize`. */
    maxOverflow: 20,
    /** Query timeout. */
    timeoutMs: 15_000,
    /** An idle connection is closed after this long. */
    idleTimeoutMs: 30_000,
    /** How often idle connections are checked. */
    validationIntervalMs: 30_000,
    /** Check a connection before lending it. */
    testOnBorrow: true,
  },
  /** Multi-level cache (seed "Multi-level Cache Strategy"). */
  cache: {
    /** In-process LRU with TTL (the seed's ETS level). */
    l1: {
      enabled: true,
      /** Entries at most. */
      size: 1000,
      ttlMs: 60_000,
      eviction: 'lru',
    },
    /** Shared Redis level; off until nodes are given. */
    l2: {
      enabled: false,
      /** Redis `host:port` list: one node is standalone, several a Cluster. */
      nodes: [] as string[],
      size: 10_000,
      ttlMs: 300_000,
      /** Redis `maxmemory-policy`. */
      eviction: 'allkeys-lru',
    },
    /** How writes reach the levels. */
    strategy: 'write-through',
    invalidation: {
      mode: 'proactive',
      policy: 'ttl',
    },
  },
  /** Bounded work pools (seed "Thread Pool Configuration"); a full queue answers with an overload error. */
  thread_pools: {
    /** I/O-bound work. */
    io: { size: 64, maxSize: 128, queueSize: 1000, stackSizeMb: 8 },
    /** CPU-bound work, in worker threads. */
    compute: { size: 16, maxSize: 32, queueSize: 500, stackSizeMb: 16 },
    /** Database work. */
    db: { size: 32, maxSize: 64, queueSize: 200, stackSizeMb: 4 },
  },
  /** JSON handling (seed "JSON Parsing Caching"). */
  json: {
    /** Parsed documents cached. */
    cacheSize: 1000,
    /** The seed's `cache_ttl: 3600` seconds. */
    cacheTtlMs: 3_600_000,
    lazyDecode: true,
    compactOutput: true,
  },
  /** Socket options of listeners (seed "Application-level TCP Settings"). */
  tcp: {
    /** Listen backlog. */
    backlog: 1024,
    /** TCP_NODELAY. */
    noDelay: true,
    /** SO_KEEPALIVE. */
    keepAlive: true,
    /** SO_LINGER: 0 resets connections on close instead of lingering (the seed's `{true, 0}`); null leaves it off. */
    lingerSeconds: 0 as number | null,
    bufferSizeBytes: 65_536,
    recvBufferBytes: 65_536,
    sendBufferBytes: 65_536,
    /**
     * HTTP connections open at once, per process (the seed's `{max_connections, 10000}`). The first request of one
     * beyond it is answered 503 with `Retry-After: 1` and an Overloaded (-32003) error, and the connection closed;
     * health routes are still answered on it. The one key of this section built in this release.
     */
    maxConnections: 10_000,
  },
  /** HTTP/2 (seed "HTTP/2 Settings"). */
  http2: {
    enabled: false,
    maxConcurrentStreams: 100,
    /** SETTINGS_MAX_FRAME_SIZE, 16384..16777215 (RFC 9113 section 6.5.2). */
    maxFrameSize: 16_384,
    maxHeaderListSize: 65_536,
    /** Off, unlike the seed: RFC 9113 section 6.5.2 forbids a server to send SETTINGS_ENABLE_PUSH = 1, and MCP never pushes. */
    pushEnabled: false,
    /** Response compression level, 0..9. */
    compressionLevel: 5,
  },
  /** Authentication (token endpoint, JWT, API keys, scopes). Off by default. */
  auth: {
    enabled: false,
    /** `iss` of issued tokens. */
    issuer: 'erlmcp',
    /** `aud` required in tokens; null accepts any. */
    audience: null as string | null,
    /** Lifetime of issued tokens. */
    tokenTtlMs: 3_600_000,
    /** HMAC secret for JWTs (printed redacted). */
    jwtSecret: null as string | null,
    /** Accepted API keys (printed redacted). */
    apiKeys: [] as string[],
  },
  /** Prometheus metrics (seed "Prometheus Metrics"), served apart from MCP. */
  metrics: {
    /** Serve /metrics (prom-client loads only when on). `erlmcp serve --stdio` never opens the metrics port. */
    enabled: true,
    host: '127.0.0.1',
    /** DESIGN.md: metrics on 8081. 0 picks a free port. `erlmcp serve --metrics-port <P>` sets it. */
    port: 8081,
    path: '/metrics',
    /** Export Node runtime metrics too: event-loop delay, GC pauses by kind, heap, RSS, CPU. */
    runtime: true,
  },
  /** Structured logs (pino, JSON lines on stderr). */
  logging: {
    /** fatal, error, warn, info, debug, trace, or silent (pino is then never loaded). */
    level: 'info' as LogLevelName,
    /** A request taking at least this long is logged at warn with its method, tool, session and duration. */
    slowRequestMs: 1000,
  },
});

/** The validated, frozen configuration: every key present, every section read-only. */
export type ErlmcpConfig = typeof CONFIG_DEFAULTS;

/** A config with every key optional, at every depth: what a file, the environment or overrides provide. */
export type ConfigOverrides = DeepPartial<ErlmcpConfig>;

/** `T` with every property optional and writable, at every depth (arrays are replaced whole). */
export type DeepPartial<T> = T extends readonly (infer E)[]
  ? E[]
  : T extends object
    ? { -readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Re-exported so config consumers need one import. */
export type { DeepReadonly };
