/**
 * A handler that keeps running after its request was answered (a timer or a loop left behind) and then reports
 * progress, logs, or asks the client something. Over HTTP the answer's response has ended, so writing to it threw
 * ERR_HTTP_HEADERS_SENT out of a timer and took the process down. Now progress is dropped (basic/utilities/progress:
 * it MUST stop at completion) and reported on `erlmcp:server:error`, other notifications go to the session's GET
 * stream like any message unrelated to a request, a late server request rejects, and the server keeps serving.
 * A late `ctx.closeStream()` does nothing, and a server request asked before the answer but sent after it (its
 * routing over the bus still pending) rejects too: the transport never opens a stream on an answered response.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { after, before, describe, it } from 'node:test';
import { ErlmcpError } from '../../src/errors.js';
import { McpServer } from '../../src/server/mcp-server.js';
import type { HandlerContext } from '../../src/server/handler-context.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { initializeHttp, type McpHttpSession } from '../helpers/raw-http-client.js';
import { within } from '../helpers/deadline.js';

for (const responseMode of ['auto', 'sse'] as const) {
  describe(`messages after the answer (responseMode ${responseMode})`, () => {
    let http: HttpHarness;
    let session: McpHttpSession;
    let leftBehind: ((ctx: HandlerContext) => Promise<unknown>) | undefined;
    let afterAnswer: Promise<unknown> | undefined;
    let askedBeforeAnswer: Promise<unknown> | undefined;
    const reported: { error: unknown; method?: string }[] = [];
    const onError = (event: unknown): void => void reported.push(event as { error: unknown; method?: string });

    before(async () => {
      const server = new McpServer({ info: { name: 'late', version: '1' } });
      server.tool('leaves-work-behind', { description: 'Answers, then keeps going' }, (_args, ctx) => {
        const work = leftBehind;
        afterAnswer = new Promise((resolve) => setTimeout(() => resolve(work?.(ctx)), 20));
        return 'answered';
      });
      server.tool('asks-then-answers', { description: 'Answers while its elicitation waits for the bus' }, (_args, ctx) => {
        askedBeforeAnswer = ctx.elicit({ message: 'now?', requestedSchema: { type: 'object', properties: {} } }).then(() => 'sent', (err: unknown) => err);
        return 'answered';
      });
      diagnostics.subscribe('erlmcp:server:error', onError);
      http = await startHttp(server, { responseMode });
      session = await initializeHttp(http.client, { capabilities: { elicitation: {} } });
    });
    after(async () => {
      diagnostics.unsubscribe('erlmcp:server:error', onError);
      await http?.close();
    });

    async function callAndWait(work: (ctx: HandlerContext) => Promise<unknown>): Promise<unknown> {
      reported.length = 0;
      leftBehind = work;
      const reply = await session.post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'leaves-work-behind', _meta: { progressToken: 'p' } } });
      assert.equal(reply.status, 200);
      assert.match(reply.body, /"text":"answered"/);
      assert.doesNotMatch(reply.body, /notifications\//, 'nothing but the answer on its response');
      return within(afterAnswer as Promise<unknown>, 'the left-behind work');
    }

    /** The server still answers; in `sse` mode the answer is one SSE body. */
    async function pingAnswered(id: number): Promise<void> {
      const reply = await session.post({ jsonrpc: '2.0', id, method: 'ping' });
      assert.equal(reply.status, 200);
      assert.ok(reply.body.includes(`{"jsonrpc":"2.0","id":${id},"result":{}}`), reply.body);
    }

    it('drops progress sent after the answer and reports it; a late log goes to the GET stream; serving goes on', async () => {
      const stream = await session.get();
      assert.equal(stream.status, 200);
      await callAndWait(async (ctx) => {
        ctx.progress(1, 2);
        ctx.log('info', 'too late for the request');
        ctx.notify('notifications/custom');
      });
      assert.deepEqual(reported.map((r) => r.method), ['notifications/progress']);
      const { error } = reported[0] as { error: unknown };
      assert.ok(error instanceof ErlmcpError && error.code === 'ERLMCP_ERR_STREAM_ENDED', String(error));
      assert.match((error as Error).message, /already answered/);
      const methods: string[] = [];
      while (methods.length < 2) {
        const event = await within(stream.sse.next(), 'a late notification on the GET stream');
        assert.ok(event, 'the GET stream ended');
        if (event.data !== '') methods.push((JSON.parse(event.data) as { method: string }).method);
      }
      assert.deepEqual(methods, ['notifications/message', 'notifications/custom']);
      await pingAnswered(2);
      assert.equal(http.transport.inFlight, 0);
    });

    it('rejects a server request made after the answer, without sending it', async () => {
      const outcome = await callAndWait((ctx) => ctx.elicit({ message: 'late?', requestedSchema: { type: 'object', properties: {} } }).then(
        () => 'sent',
        (err: unknown) => err,
      ));
      assert.ok(outcome instanceof ErlmcpError, `expected a rejection, got ${String(outcome)}`);
      assert.equal(outcome.code, 'ERLMCP_ERR_STREAM_ENDED');
      assert.match(outcome.message, /elicitation\/create cannot be sent/);
      await pingAnswered(3);
    });

    it('lets ctx.closeStream() after the answer do nothing, as it does where there is no stream', async () => {
      const outcome = await callAndWait(async (ctx) => {
        ctx.closeStream();
        return 'closed';
      });
      assert.equal(outcome, 'closed');
      await pingAnswered(4);
      assert.equal(http.transport.inFlight, 0);
    });

    it('rejects a server request asked before the answer but due out after it (its routing was pending)', async () => {
      // A fresh session: its first server request waits for the bus to route answers here, and the answer wins.
      const fresh = await initializeHttp(http.client, { capabilities: { elicitation: {} } });
      const reply = await fresh.post({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'asks-then-answers' } });
      assert.equal(reply.status, 200);
      assert.match(reply.body, /"text":"answered"/);
      const outcome = await within(askedBeforeAnswer as Promise<unknown>, 'the elicitation\'s outcome');
      assert.ok(outcome instanceof ErlmcpError, `expected an ErlmcpError, got ${String(outcome)}`);
      assert.equal(outcome.code, 'ERLMCP_ERR_STREAM_ENDED');
      await pingAnswered(6);
    });
  });
}
