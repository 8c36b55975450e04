/**
 * Shapes a notification a handler sends (`ctx.notify`) for a session whose revision predates 2025-11-25. That
 * revision gave the params of progress, logging, resource-updated and cancelled notifications a `_meta`
 * (NotificationParams); the older schemas list those params field by field, without it, so it is left out (the
 * list_changed notifications had `_meta` already). It also added notifications no older peer has a definition of
 * (elicitation/complete, which follows a URL-mode elicitation older sessions are never sent, and tasks/status):
 * those are not sent at all. Logging levels and the other fields are the same in every revision. Only `notify`
 * calls this, and only for older sessions: `progress` and `log` build params with no `_meta`.
 */
import type { JsonObject } from '../protocol/json-rpc.js';

/** Notifications defined from 2025-11-25 on. */
const NEWER_NOTIFICATIONS: ReadonlySet<string> = new Set(['notifications/elicitation/complete', 'notifications/tasks/status']);

/** Notifications whose params have `_meta` from 2025-11-25 on. */
const META_SINCE_2025_11_25: ReadonlySet<string> = new Set([
  'notifications/progress', 'notifications/message', 'notifications/resources/updated', 'notifications/cancelled',
]);

/** False when an older peer has no such notification; it must not be sent. */
export function olderPeerKnows(method: string): boolean {
  return !NEWER_NOTIFICATIONS.has(method);
}

/** The params for an older peer; the same object when they need no change. */
export function olderNotificationParams(method: string, params: JsonObject | undefined): JsonObject | undefined {
  if (params === undefined || !('_meta' in params) || !META_SINCE_2025_11_25.has(method)) return params;
  const { _meta: _dropped, ...older } = params;
  return older;
}
