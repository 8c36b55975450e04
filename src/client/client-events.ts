/**
 * What an `McpClient` emits, kept apart from the client itself: the event map, and which notification method is
 * which list-changed event.
 */
import type { JsonObject } from '../protocol/json-rpc.js';
import type { LoggingMessage, ProgressNotification } from './client-types.js';

/** The events an `McpClient` emits, with their arguments. */
export interface McpClientEvents {
  /** Any `notifications/progress`, including those also routed to a request's `onProgress`. */
  progress: [ProgressNotification];
  /** `notifications/message`. */
  log: [LoggingMessage];
  /** `notifications/tools/list_changed`. */
  toolsListChanged: [];
  /** `notifications/resources/list_changed`. */
  resourcesListChanged: [];
  /** `notifications/prompts/list_changed`. */
  promptsListChanged: [];
  /** `notifications/resources/updated`. */
  resourceUpdated: [{ uri: string; [key: string]: unknown }];
  /** Every notification from the server, by method, after the specific event. */
  notification: [string, JsonObject | undefined];
  /** A non-fatal problem: a bad message, a stream that failed, a handler that threw. Emitted only when listened to. */
  error: [Error];
  /**
   * The server forgot the session (HTTP 404) and the client made a new one, as the spec requires; the requests
   * that met the 404 were sent again. What the old session held (resource subscriptions, the log level) is gone.
   */
  sessionRenewed: [];
  /** The transport closed. */
  close: [];
}

export const LIST_CHANGED: Readonly<Record<string, 'toolsListChanged' | 'resourcesListChanged' | 'promptsListChanged'>> = Object.freeze({
  'notifications/tools/list_changed': 'toolsListChanged',
  'notifications/resources/list_changed': 'resourcesListChanged',
  'notifications/prompts/list_changed': 'promptsListChanged',
});
