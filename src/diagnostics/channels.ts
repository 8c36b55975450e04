/**
 * The diagnostics channels erlmcp publishes on (`node:diagnostics_channel`), named `erlmcp:<area>:<event>` as
 * undici names its own.
 *
 * The core only publishes, and only when `hasSubscribers` is true, so a server with observability off pays one
 * property read per event. Metrics, logs and traces subscribe.
 */
import diagnostics from 'node:diagnostics_channel';

/** A request reached the dispatcher: `{ sessionId, method, id }`. */
export const requestStart = diagnostics.channel('erlmcp:request:start');
/** A request was answered: `{ sessionId, method, id, error?: { code } , durationMs }`. */
export const requestEnd = diagnostics.channel('erlmcp:request:end');
/** A session opened: `{ sessionId, transport }`. */
export const sessionOpen = diagnostics.channel('erlmcp:session:open');
/** A session ended: `{ sessionId, reason }`. */
export const sessionClose = diagnostics.channel('erlmcp:session:close');
/** An internal failure that was answered with -32603 or otherwise swallowed: `{ error, method?, sessionId? }`. */
export const internalError = diagnostics.channel('erlmcp:server:error');
