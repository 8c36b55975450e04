/**
 * RequestLogger: JSON lines through pino at the configured level; a request at or over `slowRequestMs` is logged
 * at warn naming its method, tool, session and duration, a fast one is not (at info); debug logs every request;
 * errors a handler records through ctx.metrics are logged with their message.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
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
