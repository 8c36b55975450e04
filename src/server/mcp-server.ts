/**
 * `McpServer`: the public API to register tools, resources, prompts and completions, and the owner of the
 * registries, the sessions and the dispatcher that transports drive.
 *
 * Options are validated here, once, and frozen; the engine behind trusts them (the piscina pattern). Registration
 * precomputes each entry's context, so serving a request only reads.
 */
import { createOrigin, type EventOrigin } from '../diagnostics/channels.js';
import { userMetricsOf, type UserMetrics } from '../diagnostics/user-metrics.js';
import { ErlmcpError } from '../errors.js';
import { invalidParams } from '../protocol/wire-error.js';
import { preserialize, type JsonObject, type JsonRpcNotification } from '../protocol/json-rpc.js';
import {
  ALL_REVISIONS, SESSION_ERA_REVISIONS, isAnyRevision, isModernRevision, isSessionRevision, featuresOf,
  type AnyRevision, type SessionRevision,
} from '../protocol/versions.js';
import { MemoryEventStore } from '../session/memory/memory-event-store.js';
import { MemoryMessageBus } from '../session/memory/memory-message-bus.js';
import { MemorySessionStore } from '../session/memory/memory-session-store.js';
import type { Transport } from '../transport/transport.js';
import { Dispatcher } from './dispatcher.js';
import { headerParamsOf } from './header-params.js';
import type { ListKind } from './listen-hub.js';
import { ModernEra } from './modern-dispatch.js';
import { cacheOption, checkHint, checkShapes, integerOption, secretOption } from './option-checks.js';
import { buildPromptEntry, type PromptEntry } from './prompt-entry.js';
import { Registry } from './registry.js';
import { buildResourceEntry, buildTemplateEntry, type ResourceEntry, type TemplateEntry } from './resource-entry.js';
import { ServerSession } from './server-session.js';
import { SessionManager, type SessionBackends } from './session-manager.js';
import { buildToolEntry, type ToolEntry } from './tool-entry.js';
import { connectStream } from './stream-connection.js';
import type {
  CacheHint, Implementation, PromptConfig, PromptHandler, ResourceConfig, ResourceReader, ResourceTemplateConfig,
  TemplateReader, ToolConfig, ToolHandler,
} from './types.js';

/** Options of an `McpServer`. */
export interface McpServerOptions {
  /** Server identity in the initialize result. */
  info: Implementation;
  /** Usage hints for the model, sent in the initialize result. */
  instructions?: string;
  /**
   * Revisions offered, of both eras, newest first. Defaults to all of them. Without a 2026-07-28 revision,
   * stateless requests get the answers a session-era server gives; without a session-era one, initialize is
   * refused with -32022.
   */
  revisions?: readonly AnyRevision[];
  /** Default cache hints of 2026-07-28 list, read and discover results. Default `{ ttlMs: 0, scope: 'public' }`. */
  cache?: CacheHint;
  /** Multi round-trip requests (2026-07-28). */
  mrtr?: {
    /** HMAC key of `requestState`, at least 32 bytes; shared by every process behind one endpoint. Random by default. */
    secret?: string | Buffer;
    /** How long a `requestState` stays valid. Default 10 min. */
    stateTtlMs?: number;
    /** A larger `requestState` is an internal error. Default 64 KiB. */
    maxStateBytes?: number;
    /** Input rounds allowed per request; a handler still asking in the last one is answered -32602. Default 32. */
    maxRounds?: number;
  };
  /** Put `io.modelcontextprotocol/serverInfo` in every 2026-07-28 result's `_meta`. Default true. */
  serverInfoInResults?: boolean;
  /** Entries per page of list results. Default 100. */
  pageSize?: number;
  /** Timeout of requests a handler sends to the client. Default 60 s. */
  clientRequestTimeoutMs?: number;
  /**
   * Idle TTL of sessions in the default memory store. Default 30 min. A session is idle when no request arrives,
   * no handler of it is still running and its GET stream is closed. A store given in `sessions.store` keeps its own
   * TTL (`SessionStore.idleTtlMs`).
   */
  sessionIdleTtlMs?: number;
  /** Session stores; the memory ones by default. */
  sessions?: Partial<SessionBackends>;
  /** Events kept per SSE stream for resumption, in the default memory event store. Default 1000. */
  maxEventsPerStream?: number;
  /**
   * Sessions live in this process at most; an HTTP initialize beyond it is refused with 503 and Retry-After.
   * Default 100,000 (about 100 MB of idle sessions).
   */
  maxSessions?: number;
  /**
   * Resource URIs one 2026-07-28 `subscriptions/listen` may name; a listen naming more is refused with -32602.
   * Each is matched against every resource template as the listen opens. Default 1024.
   */
  maxListenUris?: number;
}

/** The most resource URIs one session may be subscribed to at once. */
export const MAX_SUBSCRIPTIONS_PER_SESSION = 1024;

/** Default option values, with units in their names. */
export const SERVER_DEFAULTS = Object.freeze({
  pageSize: 100,
  clientRequestTimeoutMs: 60_000,
  sessionIdleTtlMs: 30 * 60_000,
  maxEventsPerStream: 1000,
  maxSessions: 100_000,
  mrtrStateTtlMs: 10 * 60_000,
  mrtrMaxStateBytes: 64 * 1024,
  mrtrMaxRounds: 32,
  // One listen may follow as many resources as one session of the older era may subscribe to.
  maxListenUris: MAX_SUBSCRIPTIONS_PER_SESSION,
});

/**
 * A handle on a registration, to remove it later (which sends `list_changed`). It removes only its own entry:
 * once that is gone, calling it again does nothing, even after the name was registered anew.
 */
export interface Registration {
  remove(): void;
}

/**
 * How often busy sessions are kept from expiring in a store that cannot ask whether a session is in use (one whose
 * records expire elsewhere): four times per idle TTL, between 250 ms and 30 s. The memory store asks at its sweep
 * (`SessionStore.addInUseCheck`) and needs no refresh.
 */
function keepBusyInterval(idleTtlMs: number): number {
  return Math.max(250, Math.min(30_000, Math.floor(idleTtlMs / 4)));
}

/** What a server with sessions offers: notifications of list changes and resource subscriptions, on its streams. */
const SESSION_CAPABILITIES: JsonObject = Object.freeze({
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  logging: {},
  completions: {},
});

/**
 * What a stateless server offers (lifecycle: only negotiated capabilities may be used): no stream carries
 * list_changed or resources/updated, so neither is advertised, and resources/subscribe is refused.
 */
const STATELESS_CAPABILITIES: JsonObject = Object.freeze({
  tools: {},
  resources: {},
  prompts: {},
  logging: {},
  completions: {},
});

/** An MCP server. */
export class McpServer {
  readonly tools = new Registry<ToolEntry>('tool');
  readonly resources = new Registry<ResourceEntry>('resource');
  readonly templates = new Registry<TemplateEntry>('resource template');
  readonly prompts = new Registry<PromptEntry>('prompt');
  readonly sessions: SessionManager;
  readonly dispatcher: Dispatcher;
  /** The session-era revisions offered (initialize negotiates among them). */
  readonly offeredRevisions: readonly SessionRevision[];
  /** The stateless era, when a 2026-07-28 revision is offered. */
  readonly modern: ModernEra | undefined;
  readonly pageSize: number;
  readonly clientRequestTimeoutMs: number;
  /** Sessions live in this process at most (`McpServerOptions.maxSessions`). */
  readonly maxSessions: number;
  readonly info: Implementation;
  /**
   * Names this server in every diagnostics event it publishes; an observer given it (`ServerMetricsOptions.origin`)
   * counts this server's traffic and not another's in the same process.
   */
  readonly origin: EventOrigin;
  /** What handlers reach as `ctx.metrics`: records that name this server. */
  readonly userMetrics: UserMetrics;
  readonly #initializeResults: ReadonlyMap<SessionRevision, JsonObject>;
  readonly #statelessInitializeResults: ReadonlyMap<SessionRevision, JsonObject>;
  /** Resource URI to the ids of sessions in this process subscribed to it. */
  readonly #subscribers = new Map<string, Set<string>>();
  /** The lists changed in this tick, announced together by `#flushListChanges`. */
  readonly #changedLists = new Set<ListKind>();

  constructor(options: McpServerOptions) {
    if (!options?.info || typeof options.info.name !== 'string' || typeof options.info.version !== 'string') {
      throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', 'options.info must have string name and version');
    }
    const revisions = options.revisions ?? ALL_REVISIONS;
    if (!Array.isArray(revisions) || revisions.length === 0 || !revisions.every(isAnyRevision)) {
      throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `options.revisions must list revisions among ${ALL_REVISIONS.join(', ')}`);
    }
    checkShapes(options);
    // Checked whatever the revisions: a bad value must not pass unseen until a 2026-07-28 revision is added.
    const cache = Object.freeze(cacheOption(options.cache));
    const mrtr = Object.freeze({
      secret: secretOption(options.mrtr?.secret),
      stateTtlMs: integerOption(options.mrtr?.stateTtlMs, 'mrtr.stateTtlMs', SERVER_DEFAULTS.mrtrStateTtlMs),
      maxStateBytes: integerOption(options.mrtr?.maxStateBytes, 'mrtr.maxStateBytes', SERVER_DEFAULTS.mrtrMaxStateBytes),
      maxRounds: integerOption(options.mrtr?.maxRounds, 'mrtr.maxRounds', SERVER_DEFAULTS.mrtrMaxRounds),
    });
    const maxListenUris = integerOption(options.maxListenUris, 'maxListenUris', SERVER_DEFAULTS.maxListenUris);
    this.offeredRevisions = Object.freeze(revisions.filter(isSessionRevision));
    this.pageSize = integerOption(options.pageSize, 'pageSize', SERVER_DEFAULTS.pageSize);
    this.clientRequestTimeoutMs = integerOption(options.clientRequestTimeoutMs, 'clientRequestTimeoutMs', SERVER_DEFAULTS.clientRequestTimeoutMs);
    const idleTtlMs = integerOption(options.sessionIdleTtlMs, 'sessionIdleTtlMs', SERVER_DEFAULTS.sessionIdleTtlMs);
    const maxEvents = integerOption(options.maxEventsPerStream, 'maxEventsPerStream', SERVER_DEFAULTS.maxEventsPerStream);
    this.maxSessions = integerOption(options.maxSessions, 'maxSessions', SERVER_DEFAULTS.maxSessions);
    this.info = Object.freeze({ ...options.info });
    this.origin = createOrigin(this.info.name);
    this.userMetrics = userMetricsOf(this.origin);
    const store = options.sessions?.store ?? new MemorySessionStore({ idleTtlMs });
    this.sessions = new SessionManager(this.origin, {
      store,
      events: options.sessions?.events ?? new MemoryEventStore({ maxEventsPerStream: maxEvents }),
      bus: options.sessions?.bus ?? new MemoryMessageBus(),
      // By the TTL of the store that expires sessions: `sessionIdleTtlMs` applies to the default store only, and a
      // store given with a shorter TTL ended busy sessions between two refreshes.
    }, keepBusyInterval(store.idleTtlMs ?? idleTtlMs));
    this.sessions.onSessionEnd((session) => this.#forgetSession(session));
    this.dispatcher = new Dispatcher(this);
    this.#initializeResults = this.#buildInitializeResults(options.instructions, SESSION_CAPABILITIES);
    this.#statelessInitializeResults = this.#buildInitializeResults(options.instructions, STATELESS_CAPABILITIES);
    const modern = revisions.filter(isModernRevision);
    this.modern = modern.length === 0 ? undefined : new ModernEra(this, {
      supported: Object.freeze([...revisions]),
      modern: Object.freeze(modern),
      cache,
      serverInfoInResults: options.serverInfoInResults !== false,
      mrtr,
      maxListenUris,
    });
    this.tools.onChange = () => this.#listChanged('tools');
    this.prompts.onChange = () => this.#listChanged('prompts');
    this.resources.onChange = this.templates.onChange = () => this.#listChanged('resources');
  }

  /**
   * A registry changed: one `list_changed` per list goes out once the current tick's changes are done. Sent per
   * change, a plugin registering 50 tools at runtime sent every session and listen stream 50 notifications, and a
   * client re-lists on each ("the client SHOULD request an updated list", tools/list_changed), so 50 tools/list.
   */
  #listChanged(kind: ListKind): void {
    if (this.#changedLists.size === 0) queueMicrotask(() => this.#flushListChanges());
    this.#changedLists.add(kind);
  }

  #flushListChanges(): void {
    for (const kind of this.#changedLists) this.notifyListChanged(kind);
    this.#changedLists.clear();
  }

  /** Registers a tool. Its schemas are compiled now, once. */
  tool<A extends JsonObject = JsonObject>(name: string, config: ToolConfig, handler: ToolHandler<A>): Registration {
    const entry = buildToolEntry(name, config ?? {}, handler as ToolHandler);
    headerParamsOf(entry);
    checkHint('tools', name, config?.cache);
    this.tools.add(name, entry);
    return this.#registered('tools', name, config?.cache, () => this.tools.remove(name, entry));
  }

  /** Registers a fixed resource. */
  resource(uri: string, config: ResourceConfig, reader: ResourceReader): Registration {
    const entry = buildResourceEntry(uri, config, reader);
    checkHint('resources', uri, config.cache);
    this.resources.add(uri, entry);
    return this.#registered('resources', uri, config.cache, () => this.resources.remove(uri, entry));
  }

  /** Registers a resource template (RFC 6570); resources/read matches URIs against it. */
  resourceTemplate(uriTemplate: string, config: ResourceTemplateConfig, reader: TemplateReader): Registration {
    const entry = buildTemplateEntry(uriTemplate, config, reader);
    checkHint('templates', uriTemplate, config.cache);
    this.templates.add(uriTemplate, entry);
    return this.#registered('templates', uriTemplate, config.cache, () => this.templates.remove(uriTemplate, entry));
  }

  /** Registers a prompt. */
  prompt(name: string, config: PromptConfig, handler: PromptHandler): Registration {
    const entry = buildPromptEntry(name, config ?? {}, handler);
    checkHint('prompts', name, config?.cache);
    this.prompts.add(name, entry);
    return this.#registered('prompts', name, config?.cache, () => this.prompts.remove(name, entry));
  }

  /** Records a registration's cache hint (checked by `checkHint` before the entry was added) and returns its handle. */
  #registered(kind: string, name: string, hint: CacheHint | undefined, remove: () => boolean): Registration {
    if (hint !== undefined) this.modern?.setHint(kind, name, hint);
    return {
      remove: () => {
        if (remove()) this.modern?.setHint(kind, name, undefined);
      },
    };
  }

  /** Tells listeners and sessions that a list changed, for changes the registries do not see themselves. */
  notifyListChanged(kind: ListKind): void {
    this.#broadcast(`notifications/${kind}/list_changed`);
    this.modern?.listen.listChanged(kind);
  }

  /** Tells subscribed sessions that a resource changed (`notifications/resources/updated`). */
  notifyResourceUpdated(uri: string): void {
    this.modern?.listen.resourceUpdated(uri);
    const ids = this.#subscribers.get(uri);
    if (!ids) return;
    const note: JsonRpcNotification = { jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri } };
    for (const id of ids) this.sessions.peek(id)?.sendStandalone(note, this.origin);
  }

  /** Serves one message-stream connection (stdio, memory) as one session. Resolves once the transport started. */
  connect(transport: Transport): Promise<ServerSession> {
    return connectStream(this, transport);
  }

  /**
   * The initialize result for a revision, built once; `stateless` for a server without sessions, which advertises
   * no resource subscriptions and no list_changed (it has no stream to send either on).
   */
  initializeResult(revision: SessionRevision, stateless = false): JsonObject {
    return (stateless ? this.#statelessInitializeResults : this.#initializeResults).get(revision) as JsonObject;
  }

  /**
   * Subscribes a session to a resource URI. A session holds at most `MAX_SUBSCRIPTIONS_PER_SESSION`: without a
   * bound one client could grow its record (and the URI index) without end, and each subscribe scans the list.
   */
  async subscribe(session: ServerSession, uri: string): Promise<void> {
    const held = session.record?.subscriptions;
    if (held !== undefined && held.length >= MAX_SUBSCRIPTIONS_PER_SESSION && !held.includes(uri)) {
      throw invalidParams(`resources/subscribe: this session already holds ${MAX_SUBSCRIPTIONS_PER_SESSION} subscriptions, the most a session may; unsubscribe from one first`);
    }
    let ids = this.#subscribers.get(uri);
    if (!ids) this.#subscribers.set(uri, (ids = new Set()));
    ids.add(session.id);
    const record = session.record;
    if (record && !record.subscriptions.includes(uri)) {
      record.subscriptions.push(uri);
      await this.sessions.save(session);
    }
  }

  /** Unsubscribes a session from a resource URI. */
  async unsubscribe(session: ServerSession, uri: string): Promise<void> {
    this.#forgetSubscription(session.id, uri);
    const record = session.record;
    if (record && record.subscriptions.includes(uri)) {
      record.subscriptions = record.subscriptions.filter((u) => u !== uri);
      await this.sessions.save(session);
    }
  }

  #forgetSession(session: ServerSession): void {
    for (const uri of session.record?.subscriptions ?? []) this.#forgetSubscription(session.id, uri);
  }

  /** Ends every session and releases the stores. Idempotent. */
  async close(): Promise<void> {
    this.#subscribers.clear();
    this.modern?.listen.closeAll();
    await this.sessions.close();
  }

  #forgetSubscription(id: string, uri: string): void {
    const ids = this.#subscribers.get(uri);
    if (!ids) return;
    ids.delete(id);
    if (ids.size === 0) this.#subscribers.delete(uri);
  }

  #broadcast(method: string): void {
    const note: JsonRpcNotification = { jsonrpc: '2.0', method };
    for (const session of this.sessions.live()) if (session.record) session.sendStandalone(note, this.origin);
  }

  #buildInitializeResults(instructions: string | undefined, capabilities: JsonObject): ReadonlyMap<SessionRevision, JsonObject> {
    const out = new Map<SessionRevision, JsonObject>();
    for (const revision of SESSION_ERA_REVISIONS) {
      const f = featuresOf(revision);
      const { title, icons, description, websiteUrl, ...base } = this.info;
      const serverInfo: JsonObject = { ...base };
      if (f.titles && title !== undefined) serverInfo.title = title;
      if (f.icons) {
        if (icons !== undefined) serverInfo.icons = icons;
        if (description !== undefined) serverInfo.description = description;
        if (websiteUrl !== undefined) serverInfo.websiteUrl = websiteUrl;
      }
      const result: JsonObject = { protocolVersion: revision, capabilities, serverInfo };
      if (instructions !== undefined) result.instructions = instructions;
      out.set(revision, preserialize(result));
    }
    return out;
  }
}
