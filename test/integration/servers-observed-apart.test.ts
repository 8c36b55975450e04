/**
 * Two `McpServer`s in one process, each with its own metrics, request logger and tracer. The diagnostics channels
 * are process-wide, so every event names the server that published it (`origin`) and an observer built for one
 * server ignores the other's events. Traffic sent to one server (both eras, over memory and over HTTP on port 0:
 * sessions, tool calls, notifications, refusals, failures, answers JSON cannot carry, records through `ctx.metrics`)
 * leaves the other's metrics at zero, its log empty and its tracer without spans, while the first server's own
 * observers count it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import type { Channel } from 'node:diagnostics_channel';
import * as channels from '../../src/diagnostics/channels.js';
import { RequestLogger } from '../../src/logging/request-logger.js';
import { ServerMetrics } from '../../src/metrics/server-metrics.js';
import type { McpServer } from '../../src/server/mcp-server.js';
import { RequestTracer } from '../../src/tracing/request-tracer.js';
import { StdioTransport } from '../../src/transport/stdio/stdio-transport.js';
import { modernMeta } from '../helpers/dual-era-server.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { connectInitialized } from '../helpers/memory-client.js';
import { parseSamples } from '../helpers/prom-text.js';
import { initializeHttp } from '../helpers/raw-http-client.js';
import { createTestServer } from '../helpers/test-server.js';
import { withUnserializableTools } from '../helpers/unserializable-tools.js';

type Line = Record<string, unknown>;

/** One server and the observers built for it. */
interface Observed {
  server: McpServer;
  metrics: ServerMetrics;
  logger: RequestLogger;
  lines: Line[];
  tracer: RequestTracer;
  spans: string[];
}

const CHANNELS: Readonly<Record<string, Channel>> = {
  requestStart: channels.requestStart, requestEnd: channels.requestEnd, sessionOpen: channels.sessionOpen,
  sessionClose: channels.sessionClose, internalError: channels.internalError, toolStart: channels.toolStart,
  toolEnd: channels.toolEnd, transportConnect: channels.transportConnect, transportDisconnect: channels.transportDisconnect,
  bytesIn: channels.bytesIn, bytesOut: channels.bytesOut, notificationSent: channels.notificationSent, userMetric: channels.userMetric,
};

/** Every sample of the `erlmcp_*` families that counts something; runtime metrics are off. */
function countedSamples(text: string): { name: string; value: number }[] {
  return parseSamples(text).filter((s) => s.value !== 0 && !s.name.endsWith('_bucket'));
}

/**
 * A tracer provider whose tracers record the name of each span they start into the list current when the tracer
 * was made: a `RequestTracer` gets its tracer as it is created, so each server's tracer fills its own list.
 */
async function registerRecordingProvider(current: () => string[]): Promise<void> {
  const api = await import('@opentelemetry/api');
  const provider: import('@opentelemetry/api').TracerProvider = {
    getTracer: () => {
      const spans = current();
      return {
        startSpan(name) {
          spans.push(name);
          const span: import('@opentelemetry/api').Span = {
            spanContext: () => ({ traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), traceFlags: 1 }),
            setAttribute: () => span, setAttributes: () => span, addEvent: () => span, addLink: () => span,
            addLinks: () => span, setStatus: () => span, updateName: () => span, end: () => undefined,
            isRecording: () => true, recordException: () => undefined,
          };
          return span;
        },
        startActiveSpan: (() => { throw new Error('not used'); }) as never,
      };
    },
  };
  assert.ok(api.trace.setGlobalTracerProvider(provider));
}

describe('two servers in one process', () => {
  const observed: Observed[] = [];
  let http: HttpHarness;
  /** The span list of the tracer being created (registerRecordingProvider). */
  let current: string[] = [];
  const published: { channel: string; origin: unknown }[] = [];
  const unsubscribe: (() => void)[] = [];

  before(async () => {
    await registerRecordingProvider(() => current);
    for (let i = 0; i < 2; i++) {
      const server = withUnserializableTools(createTestServer());
      server.tool('instrumented', {}, (_args, ctx) => {
        ctx.metrics.recordRequest('GET /upstream', 200, 3);
        ctx.metrics.recordError('upstream_timeout', 'slow upstream');
        ctx.metrics.recordMetric('queue_depth', 7);
        return 'recorded';
      });
      const lines: Line[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const text of chunk.toString('utf8').split('\n')) if (text !== '') lines.push(JSON.parse(text) as Line);
          done();
        },
      });
      const origin = server.origin;
      const metrics = await ServerMetrics.create({ origin, isTool: (name) => server.tools.get(name) !== undefined, runtime: false });
      const logger = await RequestLogger.create({ origin, level: 'debug', slowRequestMs: 10_000, destination });
      const spans: string[] = [];
      current = spans;
      const tracer = await RequestTracer.create('1.0.0', origin);
      assert.ok(tracer);
      observed.push({ server, metrics, logger, lines, tracer, spans });
    }
    for (const [name, channel] of Object.entries(CHANNELS)) {
      const listener = (message: unknown): void => void published.push({ channel: name, origin: (message as { origin?: unknown }).origin });
      channel.subscribe(listener);
      unsubscribe.push(() => void channel.unsubscribe(listener));
    }
    http = await startHttp((observed[0] as Observed).server);
  });

  after(async () => {
    for (const u of unsubscribe) u();
    for (const o of observed) {
      o.metrics.close();
      o.logger.close();
      o.tracer.close();
    }
    await http.close();
    await (observed[1] as Observed).server.close();
    (await import('@opentelemetry/api')).trace.disable();
  });

  it('counts, logs and traces one server\'s traffic in its own observers only', async () => {
    const [a, b] = observed as [Observed, Observed];
    const { client, session } = await connectInitialized(a.server);
    await client.request('tools/call', { name: 'echo', arguments: { text: 'hi' } });
    await client.request('tools/call', { name: 'count', arguments: { steps: 2 }, _meta: { progressToken: 'p' } });
    await client.request('tools/call', { name: 'instrumented', arguments: {} });
    await client.request('resources/read', { uri: 'test://broken' });
    await client.request('tools/call', { name: 'bigint-now', arguments: {} });
    await client.request('tools/call', { name: 'bigint-now', arguments: {}, _meta: modernMeta() });
    await client.request('no/such/method');
    await client.request('tools/call', { name: 'echo', arguments: { text: 'modern' }, _meta: modernMeta() });
    await client.close();
    const overHttp = await initializeHttp(http.client);
    await overHttp.call('tools/call', { name: 'echo', arguments: { text: 'over http' } });
    await overHttp.delete();
    const input = new PassThrough();
    const output = new PassThrough();
    const stdio = new StdioTransport({ input, output });
    await a.server.connect(stdio);
    const answered = once(output, 'data');
    input.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\n');
    await answered;
    await stdio.close();

    const mine = countedSamples(await a.metrics.metrics());
    for (const family of [
      'erlmcp_requests_total', 'erlmcp_errors_total', 'erlmcp_tool_calls_total', 'erlmcp_sessions_created_total',
      'erlmcp_sessions_ended_total', 'erlmcp_notifications_sent_total', 'erlmcp_transport_connections_total',
      'erlmcp_transport_received_bytes_total', 'erlmcp_user_queue_depth',
    ]) {
      assert.ok(mine.some((s) => s.name === family), `${family} counts the server's own traffic`);
    }
    assert.deepEqual(countedSamples(await b.metrics.metrics()), [], 'the other server counts none of it');
    assert.ok(a.lines.some((l) => l.msg === 'request' && l.sessionId === session.id));
    assert.ok(a.lines.some((l) => l.msg === 'handler recorded an error'));
    assert.deepEqual(b.lines, [], 'the other server logs none of it');
    assert.ok(a.spans.includes('tools/call echo'));
    assert.deepEqual(b.spans, [], 'the other server traces none of it');
  });

  it('names the publishing server on every event of every channel', () => {
    const a = (observed[0] as Observed).server;
    const seen = new Set(published.map((p) => p.channel));
    for (const name of Object.keys(CHANNELS)) {
      assert.ok(seen.has(name), `the traffic published on ${name}`);
    }
    assert.notEqual(a.origin, undefined);
    assert.notEqual(a.origin, (observed[1] as Observed).server.origin, 'each server has an origin of its own');
    const foreign = published.filter((p) => p.origin !== a.origin);
    assert.deepEqual(foreign, [], 'every event carries the origin of the server that published it');
  });
});
