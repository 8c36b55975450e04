/**
 * ServerSession.close builds its reason lazily. Expiry ends sessions by the thousand (the initialize scenario ends
 * ~10,000 a second) and an Error costs a stack trace each, so the reason is made only when a running handler or a
 * pending server request is there to receive it, and then once for all of them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HandlerContext } from '../../src/server/handler-context.js';
import { ServerSession } from '../../src/server/server-session.js';

function counted(message: string): { reason: () => Error; calls: () => number } {
  let calls = 0;
  return { reason: () => { calls++; return new Error(message); }, calls: () => calls };
}

describe('ServerSession.close', () => {
  it('does not build the reason of a session with nothing in flight', () => {
    const session = new ServerSession('idle');
    const { reason, calls } = counted('expired');
    session.close(reason);
    assert.equal(session.closed, true);
    assert.equal(calls(), 0);
  });

  it('fails a pending server request and aborts a running handler with one reason', async () => {
    const session = new ServerSession('busy');
    const aborted: unknown[] = [];
    session.inFlight.set(7, { abort: (err: unknown) => aborted.push(err) } as unknown as HandlerContext);
    const pending = session.correlator.request(() => {}, 'elicitation/create', undefined, { timeoutMs: 60_000 });
    const { reason, calls } = counted('Session expired');
    session.close(reason);
    await assert.rejects(pending, /Session expired/);
    assert.equal(aborted.length, 1);
    assert.equal((aborted[0] as Error).message, 'Session expired');
    assert.equal(calls(), 1);
    assert.equal(session.inFlight.size, 0);
    assert.equal(session.correlator.size, 0);
  });

  it('still takes a ready Error, and a second close does nothing', async () => {
    const session = new ServerSession('twice');
    const pending = session.correlator.request(() => {}, 'sampling/createMessage', undefined, { timeoutMs: 60_000 });
    session.close(new Error('The connection closed'));
    await assert.rejects(pending, /The connection closed/);
    const { reason, calls } = counted('again');
    session.close(reason);
    assert.equal(calls(), 0);
  });
});
