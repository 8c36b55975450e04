/**
 * RequestTracer: with no OpenTelemetry SDK registered it does not subscribe; once a tracer provider is registered
 * globally, every request gets a server span named for its method (and tool), whose parent is the `traceparent`
 * of the request's `params._meta`, marked as an error when the answer is one or a tool's result has `isError`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requestStart } from '../../src/diagnostics/channels.js';
import type { McpServer } from '../../src/server/mcp-server.js';
import { RequestTracer, sdkRegistered } from '../../src/tracing/request-tracer.js';
import { modernMeta } from '../helpers/dual-era-server.js';
import { connectInitialized, type RawMemoryClient } from '../helpers/memory-client.js';
import { createTestServer } from '../helpers/test-server.js';

interface Recorded {
  name: string;
  kind: number | undefined;
  attributes: Record<string, unknown>;
  parentTraceId: string | undefined;
  parentSpanId: string | undefined;
  status: { code: number; message?: string } | undefined;
  ended: boolean;
}

describe('RequestTracer', () => {
  let server: McpServer;
  let client: RawMemoryClient;
  let tracer: RequestTracer | undefined;
  const spans: Recorded[] = [];

  before(async () => {
    server = createTestServer();
    ({ client } = await connectInitialized(server));
  });

  after(async () => {
    tracer?.close();
    await server.close();
    (await import('@opentelemetry/api')).trace.disable();
  });

  it('stays unsubscribed while no SDK is registered', async () => {
    assert.equal(sdkRegistered(), false);
    assert.equal(await RequestTracer.create('1.0.0'), undefined);
    assert.equal(requestStart.hasSubscribers, false);
  });

  it('opens a span per request under the traceparent of params._meta', async () => {
    const api = await import('@opentelemetry/api');
    let n = 0;
    const provider: import('@opentelemetry/api').TracerProvider = {
      getTracer: () => ({
        startSpan(name, options, context) {
          const parent = context === undefined ? undefined : api.trace.getSpanContext(context);
          const rec: Recorded = {
            name, kind: options?.kind, attributes: { ...options?.attributes }, parentTraceId: parent?.traceId,
            parentSpanId: parent?.spanId, status: undefined, ended: false,
          };
          spans.push(rec);
          const spanContext = { traceId: parent?.traceId ?? 'f'.repeat(32), spanId: (++n).toString(16).padStart(16, '0'), traceFlags: 1 };
          const span: import('@opentelemetry/api').Span = {
            spanContext: () => spanContext,
            setAttribute: (key, value) => ((rec.attributes[key] = value), span),
            setAttributes: (attrs) => (Object.assign(rec.attributes, attrs), span),
            addEvent: () => span,
            addLink: () => span,
            addLinks: () => span,
            setStatus: (status) => ((rec.status = status), span),
            updateName: () => span,
            end: () => void (rec.ended = true),
            isRecording: () => true,
            recordException: () => undefined,
          };
          return span;
        },
        startActiveSpan: (() => { throw new Error('not used'); }) as never,
      }),
    };
    assert.ok(api.trace.setGlobalTracerProvider(provider));
    assert.equal(sdkRegistered(), true);
    tracer = await RequestTracer.create('1.0.0');
    assert.ok(tracer);

    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    await client.request('tools/call', { name: 'echo', arguments: { text: 'x' }, _meta: { traceparent: `00-${traceId}-${parentId}-01` } });
    await client.request('tools/call', { name: 'nope', arguments: {} });
    const [call, failed] = spans;
    assert.equal(call?.name, 'tools/call echo');
    assert.equal(call?.kind, api.SpanKind.SERVER);
    assert.equal(call?.parentTraceId, traceId);
    assert.equal(call?.parentSpanId, parentId);
    assert.equal(call?.attributes['mcp.method.name'], 'tools/call');
    assert.equal(call?.attributes['gen_ai.tool.name'], 'echo');
    assert.equal(call?.status, undefined);
    assert.equal(call?.ended, true);
    assert.equal(failed?.parentTraceId, undefined, 'no traceparent, no parent');
    assert.equal(failed?.status?.code, api.SpanStatusCode.ERROR);
    assert.equal(failed?.attributes['rpc.jsonrpc.error_code'], -32602);
    assert.equal(failed?.ended, true);
  });

  it('marks a tools/call answered with an isError result as a failed span, as metrics count it', async () => {
    const api = await import('@opentelemetry/api');
    spans.length = 0;
    await client.request('tools/call', { name: 'fail', arguments: {} });
    const [span] = spans;
    assert.equal(span?.name, 'tools/call fail');
    assert.equal(span?.status?.code, api.SpanStatusCode.ERROR);
    assert.equal(span?.attributes['error.type'], 'tool_error');
    assert.equal(span?.ended, true);
  });

  it('sets mcp.session.id only for a request of a session, not for a 2026-07-28 one', async () => {
    spans.length = 0;
    await client.request('tools/list', { _meta: modernMeta() });
    await client.request('tools/list', {});
    const [stateless, sessioned] = spans;
    assert.equal(stateless?.attributes['mcp.method.name'], 'tools/list');
    assert.equal('mcp.session.id' in (stateless?.attributes ?? {}), false, JSON.stringify(stateless?.attributes));
    assert.equal(typeof sessioned?.attributes['mcp.session.id'], 'string');
    assert.notEqual(sessioned?.attributes['mcp.session.id'], '');
  });
});
