/**
 * The CLI's report of internal errors (src/cli/error-reporter.ts): one line per failure on the
 * `erlmcp:server:error` channel, whatever a handler threw. The reporter runs inside a diagnostics-channel
 * subscriber, where an exception is rethrown as an uncaught one and ends the server.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { internalError } from '../../src/diagnostics/channels.js';
import { reportInternalErrors } from '../../src/cli/error-reporter.js';

/** The lines the reporter prints for one published failure; fails if the reporter throws. */
async function reported(error: unknown): Promise<string[]> {
  const lines: string[] = [];
  const thrown: unknown[] = [];
  const onUncaught = (err: unknown): void => void thrown.push(err);
  // diagnostics_channel rethrows a subscriber's exception on the next tick, as an uncaught exception.
  process.prependListener('uncaughtException', onUncaught);
  const stop = reportInternalErrors({ verbose: false, log: (line) => lines.push(line) });
  try {
    internalError.publish({ error, method: 'resources/read', sessionId: 's' });
    await new Promise<void>((resolve) => setImmediate(resolve));
  } finally {
    stop();
    process.off('uncaughtException', onUncaught);
  }
  assert.deepEqual(thrown, [], 'the reporter threw');
  return lines;
}

describe('reportInternalErrors', () => {
  it('prints one line with the method and the message', async () => {
    assert.deepEqual(await reported(new Error('kaboom\nsecond line')), ['erlmcp: internal error in resources/read: kaboom second line']);
  });

  it('prints what a handler threw when it is not an Error, or an Error with a message that is not a string, without throwing', async () => {
    assert.deepEqual(await reported(Object.create(null)), ['erlmcp: internal error in resources/read: threw {}']);
    const odd = new Error('x');
    (odd as { message: unknown }).message = { detail: 1 };
    assert.deepEqual(await reported(odd), ['erlmcp: internal error in resources/read: {"detail":1}']);
    assert.deepEqual(await reported('plain text'), ['erlmcp: internal error in resources/read: threw "plain text"']);
  });
});
