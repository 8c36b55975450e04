/**
 * RequestLogger: JSON lines through pino at the configured level; a request at or over `slowRequestMs` is logged
 * at warn naming its method, tool, session and duration, a fast one is not (at info); debug logs every request;
 * errors a handler records through ctx.metrics are logged with their message; a refused connection is logged at
 * warn with its transport, reason and limit, and a storm of refusals costs one line per window, counting the rest.
 */
import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { transportRefuse, type TransportRefusalEvent } from '../../src/diagnostics/channels.js';
import { RequestLogger } from '../../src/logging/request-logger.js';
import type { McpServer } from '../../src/server/mcp-server.js';
import { connectInitialized, type RawMemoryClient } from '../helpers/memory-client.js';
import { createTestServer } from '../helpers/test-server.js';

type Line = Record<string, unknown>;

function collector(): { stream: Writable; lines: Line[] } {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text !== '') lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  return { stream, lines };
}

describe('RequestLogger', () => {
  let server: McpServer;
  let client: RawMemoryClient;
  let sessionId: string;

  before(async () => {
    server = createTestServer();
    server.tool('nap', {}, async (_args, ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      ctx.metrics.recordError('nap_interrupted', 'woke up early');
      return 'rested';
    });
    const link = await connectInitialized(server);
    client = link.client;
    sessionId = link.session.id;
  });

  after(() => server.close());

  it('logs a slow request at warn with method, tool, session and duration, and skips fast ones', async () => {
    const { stream, lines } = collector();
    const logger = await RequestLogger.create({ level: 'info', slowRequestMs: 30, destination: stream, base: { version: 't' } });
    try {
      await client.request('tools/call', { name: 'echo', arguments: { text: 'quick' } });
      await client.request('tools/call', { name: 'nap', arguments: {} });
    } finally {
      logger.close();
    }
    const slow = lines.filter((l) => l.msg === 'slow request');
    assert.equal(slow.length, 1, JSON.stringify(lines));
    const [line] = slow as [Line];
    assert.equal(line.level, 40);
    assert.equal(line.method, 'tools/call');
    assert.equal(line.tool, 'nap');
    assert.equal(line.sessionId, sessionId);
    assert.equal(line.version, 't');
    assert.ok((line.durationMs as number) >= 30, String(line.durationMs));
    const recorded = lines.find((l) => l.msg === 'handler recorded an error');
    assert.deepEqual([recorded?.type, recorded?.message], ['nap_interrupted', 'woke up early']);
  });

  it('logs every request at debug', async () => {
    const { stream, lines } = collector();
    const logger = await RequestLogger.create({ level: 'debug', slowRequestMs: 10_000, destination: stream });
    try {
      await client.request('ping');
    } finally {
      logger.close();
    }
    assert.deepEqual(lines.map((l) => [l.msg, l.method]), [['request', 'ping']]);
  });
});

describe('RequestLogger: refused connections', () => {
  const refusal: TransportRefusalEvent = Object.freeze({ transport: 'http', reason: 'max-connections', limit: 3, origin: undefined });
  const refuse = (times: number): void => {
    for (let i = 0; i < times; i++) transportRefuse.publish(refusal);
  };
  const summary = (l: Line): unknown[] => [l.level, l.msg, l.transport, l.reason, l.limit, l.refused, l.windowMs];

  it('logs the first refusal at once, then one line per window counting the rest, and starts over after a quiet window', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { stream, lines } = collector();
    const logger = await RequestLogger.create({ level: 'info', slowRequestMs: 10_000, destination: stream, refusalLogWindowMs: 1000 });
    try {
      refuse(1);
      assert.deepEqual(lines.map(summary), [[40, 'connection refused', 'http', 'max-connections', 3, undefined, undefined]]);
      refuse(500);
      assert.equal(lines.length, 1, 'a storm is counted, not logged line by line');
      mock.timers.tick(1000);
      assert.deepEqual(lines.slice(1).map(summary), [[40, 'connections refused', 'http', 'max-connections', 3, 500, 1000]]);
      refuse(2);
      mock.timers.tick(1000);
      assert.deepEqual(lines.slice(2).map((l) => l.refused), [2], 'the storm goes on: one line per window');
      mock.timers.tick(1000);
      assert.equal(lines.length, 3, 'a window with no refusal logs nothing, and closes');
      refuse(1);
      assert.deepEqual(lines.slice(3).map(summary), [[40, 'connection refused', 'http', 'max-connections', 3, undefined, undefined]]);
      refuse(7);
    } finally {
      logger.close();
      mock.timers.reset();
    }
    assert.deepEqual(lines.slice(4).map((l) => [l.msg, l.refused]), [['connections refused', 7]], 'close logs what was counted');
    refuse(1);
    assert.equal(lines.length, 5, 'a closed logger logs nothing');
  });
});
