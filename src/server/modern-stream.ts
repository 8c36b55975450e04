/**
 * 2026-07-28 requests on a message-stream transport (stdio, memory; basic/transports/stdio). A stream connection
 * is one process-wide conversation that may interleave both eras: a message carrying modern `_meta` is served
 * statelessly here, anything else by the session of the connection. A `server/discover` with modern `_meta` is
 * the backward-compatibility probe a 2026-07-28 client sends first: it gets a DiscoverResult (or -32022 naming what
 * is offered), and a session-era client never sends one.
 *
 * Requests are tracked in the connection's in-flight map, so `notifications/cancelled` reaches them, including a
 * `subscriptions/listen`, whose stream it ends (the stdio way to stop listening; no response follows).
 */
import { MessageKind, classify, errorResponseOf, readableId, resultResponse, type JsonRpcMessage, type JsonRpcRequest } from '../protocol/json-rpc.js';
import { META_SUBSCRIPTION_ID } from '../protocol/era.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { WireError } from '../protocol/wire-error.js';
import { HandlerContext } from './handler-context.js';
import type { Admitted, ModernEra, ModernOutcome } from './modern-dispatch.js';
import type { Subscription } from './listen-hub.js';
import type { Outlet, ServerSession } from './server-session.js';

function noop(): void {}

/**
 * Serves one modern-marked value of a stream connection whose session is `session`. `outlet` carries messages,
 * `answer` the serialised answer of a request (`ModernOutcome.text`).
 */
export function serveModernMessage(era: ModernEra, session: ServerSession, value: unknown, outlet: Outlet, answer: (text: string) => void): void {
  const kind = classify(value);
  if (kind === MessageKind.Notification || kind === MessageKind.Response) return;
  if (kind !== MessageKind.Request) {
    outlet(errorResponseOf(readableId(value), ErrorCode.InvalidRequest, 'Invalid JSON-RPC 2.0 message'));
    return;
  }
  const req = value as JsonRpcRequest;
  let admitted: Admitted;
  try {
    admitted = era.admit(req.params);
  } catch (err) {
    answer(era.refuse(req, err).text);
    return;
  }
  // basic: an id MUST NOT be reused within a session, and both eras share this connection's in-flight map. Served,
  // the newcomer took the first request's place there: that one could no longer be cancelled nor aborted when the
  // connection closed, so a listen stream outlived its connection in the hub (the session era refuses it too).
  if (session.isInFlight(req.id)) {
    answer(era.refuse(req, new WireError(ErrorCode.InvalidRequest, `Request id ${JSON.stringify(req.id)} is already in use by a request in flight; use a new id`)).text);
    return;
  }
  // A stand-in the cancellation handler can abort: it finds requests by id in the session's in-flight map. It sends
  // nothing to the client, so the server's timeout it holds is never used.
  const handle = new HandlerContext(session, req.id, undefined, noop, era.scope);
  session.inFlight.set(req.id, handle);
  const done = (): void => {
    if (session.inFlight.get(req.id) === handle) session.inFlight.delete(req.id);
  };
  if (req.method === 'subscriptions/listen') {
    listen(era, req, handle, outlet, answer, done);
    return;
  }
  const guarded: Outlet = (message) => {
    if (!handle.aborted) outlet(message);
  };
  const settle = (outcome: ModernOutcome): void => {
    done();
    // basic/utilities/cancellation: no response to a cancelled request.
    if (!handle.aborted) answer(outcome.text);
  };
  const outcome = era.dispatch(req, admitted, guarded, (abort) => handle.signal.addEventListener('abort', () => abort(new Error('Cancelled by the client')), { once: true }));
  if (outcome instanceof Promise) void outcome.then(settle);
  else settle(outcome);
}

function listen(era: ModernEra, req: JsonRpcRequest, handle: HandlerContext, outlet: Outlet, answer: (text: string) => void, done: () => void): void {
  let sub: Subscription;
  try {
    sub = era.listen.subscribe(req.id, req.params ?? {}, (message: JsonRpcMessage) => outlet(message), () => {
      // Server teardown: the spec asks both for a cancelled notification (cancellation.mdx) and for the graceful
      // SubscriptionsListenResult (subscriptions.mdx); stdio sends both, the result last. The notification carries
      // the subscription's id like every message of the subscription (schema: NotificationMetaObject).
      done();
      outlet({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { _meta: { [META_SUBSCRIPTION_ID]: req.id }, requestId: req.id, reason: 'server shutting down' } });
      outlet(resultResponse(req.id, sub.finalResult));
    });
  } catch (err) {
    done();
    answer(era.refuse(req, err).text);
    return;
  }
  const subscription = sub;
  outlet(subscription.ack);
  handle.signal.addEventListener('abort', () => {
    subscription.close();
    done();
  }, { once: true });
}
