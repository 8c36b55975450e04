/**
 * `subscriptions/listen` (MCP 2026-07-28 basic/patterns/subscriptions): the stateless era's replacement for the
 * GET stream and `resources/subscribe`. Each listen request opts in to notification types; the hub delivers a
 * change only to listeners that asked for it ("The server MUST NOT send notification types the client has not
 * explicitly requested"), each tagged with the listen request's id under `_meta.subscriptionId`.
 *
 * The hub hears what `McpServer` publishes in this process. Scale-out (a change made in one process reaching
 * listeners held by another) would publish on the message bus; that is not wired yet.
 */
import { notificationSent, type EventOrigin, type NotificationEvent } from '../diagnostics/channels.js';
import { META_SUBSCRIPTION_ID } from '../protocol/era.js';
import { isObject, type JsonObject, type JsonRpcMessage, type JsonRpcNotification, type RequestId } from '../protocol/json-rpc.js';
import { overloadedEraError } from '../protocol/overload.js';
import { invalidParams } from '../protocol/wire-error.js';

/** The boolean opt-ins of a 2026-07-28 `SubscriptionFilter`. */
const FILTER_FLAGS = ['toolsListChanged', 'promptsListChanged', 'resourcesListChanged'] as const;

/** The list kinds a listener can follow. */
export type ListKind = 'tools' | 'prompts' | 'resources';

/** One listen stream. */
interface Listener {
  readonly id: RequestId;
  readonly tools: boolean;
  readonly prompts: boolean;
  readonly resources: boolean;
  readonly uris: ReadonlySet<string>;
  readonly send: (message: JsonRpcMessage) => void;
}

/** A live subscription: end it when its stream closes. */
export interface Subscription {
  /** The `notifications/subscriptions/acknowledged` to send first. */
  readonly ack: JsonRpcMessage;
  /** Stops delivery; idempotent. */
  close(): void;
  /** The graceful `SubscriptionsListenResult`, sent when the server ends the stream. */
  readonly finalResult: JsonObject;
}

/** The listen streams of one server, in this process. */
export class ListenHub {
  readonly #listeners = new Set<Listener>();
  readonly #onClose = new Set<() => void>();
  /** True for a resource URI this server serves (resources/read would answer it). */
  readonly #serves: (uri: string) => boolean;
  /** Resource URIs one listen may name (`maxListenUris`). */
  readonly #maxUris: number;
  /** What every result's `_meta` carries besides the tag (the server's identity), so the closing result does too. */
  readonly #resultMeta: JsonObject | undefined;
  /** The server's, named in the events of the notifications sent. */
  readonly #origin: EventOrigin | undefined;
  /** Set by `closeAll` (server shutdown): a listen arriving later would never be ended, so it is refused. */
  #closed = false;

  /**
   * @param serves tells a resource URI the server serves from one it does not, asked once per requested URI when a
   *   listen opens (a resource registered later needs a new listen, as a client told by the acknowledgement knows).
   * @param maxUris bounds the URIs of one listen: `serves` may try every template on each, so unbounded, one request
   *   cost URIs times templates.
   */
  constructor(serves: (uri: string) => boolean, maxUris: number, origin: EventOrigin | undefined, resultMeta?: JsonObject) {
    this.#serves = serves;
    this.#maxUris = maxUris;
    this.#origin = origin;
    this.#resultMeta = resultMeta;
  }

  /** Listen streams open now. */
  get size(): number {
    return this.#listeners.size;
  }

  /**
   * Registers a listener for the request `id` with params `params`. The filter is required (-32602 without it);
   * the ack carries the subset honoured: every list this server can announce, and of the requested resource URIs
   * those it serves. The acknowledged filter is "the subset of requested notification types the server agreed to
   * honor" (schema, SubscriptionsAcknowledgedNotificationParams) and servers "MUST validate all resource URIs"
   * (server/resources): echoed, a URI nothing serves told the client it would hear of a resource that does not
   * exist, and held a place in the listener. Not refused as a whole, as resources/subscribe refuses one unknown URI:
   * the acknowledgement is the era's way to agree to part of a filter. Once the server is closing
   * (`closeAll`), refused with -32003 and a 503, as a draining transport refuses new requests.
   */
  subscribe(id: RequestId, params: JsonObject, send: (message: JsonRpcMessage) => void, onServerClose?: () => void): Subscription {
    if (this.#closed) throw overloadedEraError('subscriptions/listen: the server is shutting down');
    const filter = params.notifications;
    if (!isObject(filter)) throw invalidParams('subscriptions/listen: params.notifications must be an object');
    // 2026-07-28 schema, SubscriptionFilter: each member is optional, but one present must have its type. Ignored,
    // a misspelt opt-in (a string "true", a bare URI) was acknowledged as not requested and never delivered.
    for (const key of FILTER_FLAGS) {
      const flag = filter[key];
      if (flag !== undefined && typeof flag !== 'boolean') throw invalidParams(`subscriptions/listen: params.notifications.${key} must be a boolean`);
    }
    const requested = filter.resourceSubscriptions;
    if (requested !== undefined && !(Array.isArray(requested) && requested.every((u) => typeof u === 'string'))) {
      throw invalidParams('subscriptions/listen: params.notifications.resourceSubscriptions must be an array of strings');
    }
    // Refused whole, before any URI is matched: cut to the bound, the client would be told less than it asked for
    // without knowing why, and the work the bound exists to cap would be half done already.
    if (requested !== undefined && (requested as string[]).length > this.#maxUris) {
      throw invalidParams(`subscriptions/listen: params.notifications.resourceSubscriptions names ${(requested as string[]).length} URIs, more than the ${this.#maxUris} one listen may (maxListenUris); split them over several listens`);
    }
    const uris = new Set<string>();
    if (requested !== undefined) {
      for (const uri of requested as string[]) if (this.#serves(uri)) uris.add(uri);
    }
    const listener: Listener = {
      id,
      tools: filter.toolsListChanged === true,
      prompts: filter.promptsListChanged === true,
      resources: filter.resourcesListChanged === true,
      uris,
      send,
    };
    const agreed: JsonObject = {};
    if (listener.tools) agreed.toolsListChanged = true;
    if (listener.prompts) agreed.promptsListChanged = true;
    if (listener.resources) agreed.resourcesListChanged = true;
    if (uris.size > 0) agreed.resourceSubscriptions = [...uris];
    this.#listeners.add(listener);
    if (onServerClose) this.#onClose.add(onServerClose);
    const tag = { [META_SUBSCRIPTION_ID]: id };
    return {
      ack: { jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { _meta: tag, notifications: agreed } },
      finalResult: { resultType: 'complete', _meta: this.#resultMeta === undefined ? tag : { ...this.#resultMeta, ...tag } },
      close: () => {
        this.#listeners.delete(listener);
        if (onServerClose) this.#onClose.delete(onServerClose);
      },
    };
  }

  /** Delivers `notifications/<kind>/list_changed` to listeners that opted in. */
  listChanged(kind: ListKind): void {
    if (this.#listeners.size === 0) return;
    const method = `notifications/${kind}/list_changed`;
    for (const l of this.#listeners) {
      if (l[kind]) deliver(this.#origin, l, { jsonrpc: '2.0', method, params: { _meta: { [META_SUBSCRIPTION_ID]: l.id } } });
    }
  }

  /** Delivers `notifications/resources/updated` to listeners subscribed to `uri`. */
  resourceUpdated(uri: string): void {
    for (const l of this.#listeners) {
      if (l.uris.has(uri)) deliver(this.#origin, l, { jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri, _meta: { [META_SUBSCRIPTION_ID]: l.id } } });
    }
  }

  /** Ends every stream the server holds (shutdown): each holder sends its graceful result and closes. */
  closeAll(): void {
    this.#closed = true;
    for (const close of [...this.#onClose]) close();
    this.#onClose.clear();
    this.#listeners.clear();
  }
}

/**
 * Sends one change to a listener and publishes it as sent, as a session's standalone stream does: without it
 * `erlmcp_notifications_sent_total` missed every notification of the stateless era's listen streams.
 */
function deliver(origin: EventOrigin | undefined, listener: Listener, message: JsonRpcNotification): void {
  listener.send(message);
  if (notificationSent.hasSubscribers) notificationSent.publish({ method: message.method, sessionId: undefined, origin } satisfies NotificationEvent);
}
