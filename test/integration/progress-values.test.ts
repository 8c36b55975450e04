/**
 * basic/utilities/progress: "The progress value MUST increase with each notification", and the schema types it as a
 * number. A handler that reports a value not above the last one, or NaN or Infinity (NaN went out as null), has it
 * dropped and reported on `erlmcp:server:error`; the values that increase still go out, and the call completes.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { describe, it } from 'node:test';
import { McpServer } from '../../src/server/mcp-server.js';
import { connectInitialized, type Json } from '../helpers/memory-client.js';

describe('progress values', () => {
  it('sends only finite values above the last one, and reports the rest', async () => {
    const server = new McpServer({ info: { name: 'progress', version: '1' } });
    server.tool('regress', { description: 'reports progress badly' }, (_a, ctx) => {
      ctx.progress(0, 10);
      ctx.progress(5, 10);
      ctx.progress(3, 10);
      ctx.progress(5, 10);
      ctx.progress(Number.NaN);
      ctx.progress(Number.POSITIVE_INFINITY);
      ctx.progress(6, Number.NaN);
      ctx.progress(7, 10, 'almost');
      return 'done';
    });
    const reported: string[] = [];
    const onError = (event: unknown): void => void reported.push(String((event as { error: Error }).error.message));
    diagnostics.subscribe('erlmcp:server:error', onError);
    try {
      const { client } = await connectInitialized(server);
      const sent: Json[] = [];
      const reply = await client.request('tools/call', { name: 'regress', arguments: {}, _meta: { progressToken: 'p1' } });
      assert.deepEqual((reply.result as { content: unknown }).content, [{ type: 'text', text: 'done' }]);
      for (;;) {
        const note = await Promise.race([client.next((m) => m.method === 'notifications/progress'), new Promise<undefined>((r) => setTimeout(() => r(undefined), 50))]);
        if (note === undefined) break;
        sent.push(note.params as Json);
      }
      assert.deepEqual(sent.map((p) => [p.progress, p.total]), [[0, 10], [5, 10], [7, 10]]);
      assert.equal(reported.length, 5, reported.join('\n'));
      assert.match(reported[0] ?? '', /Progress 3 of 10 was not sent: progress must be a finite number above the last value sent \(5\)/);
    } finally {
      diagnostics.unsubscribe('erlmcp:server:error', onError);
      await server.close();
    }
  });
});
