/**
 * Keep-alive comments on the session era's SSE streams that stay open: the GET stream and the stream of a handler
 * still running. Quiet, such a stream is cut by a proxy's idle timeout (nginx: 60 s), and a client that vanished is
 * never found out, so its session is held for ever. The comments carry no id, so resumption is unaffected.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { McpServer } from '../../src/server/mcp-server.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { initializeHttp, type HttpStream } from '../helpers/raw-http-client.js';

const KEEP_ALIVE_MS = 25;

/** Everything the stream's response carries from now on, as text. */
function recordRaw(stream: HttpStream): { text: () => string } {
  let text = '';
  stream.sse.response.on('data', (chunk: string) => {
    text += chunk;
  });
  return { text: () => text };
}

const comments = (text: string): number => text.split('\n\n').filter((frame) => frame.replace(/^\n+/, '') === ':').length;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `raw` holds at least `count` comments, or fails after 5 s (a loaded machine delays timers). */
async function commentsAtLeast(raw: { text: () => string }, count: number): Promise<void> {
  for (const end = Date.now() + 5_000; comments(raw.text()) < count; await sleep(10)) {
    if (Date.now() > end) assert.fail(`expected ${count} keep-alive comments, got ${JSON.stringify(raw.text())}`);
  }
}

describe('keep-alive comments on session-era SSE streams', () => {
  let http: HttpHarness;
  let release: () => void = () => {};

  before(async () => {
    const server = new McpServer({ info: { name: 'keep-alive', version: '1.0.0' } });
    server.tool('wait', { description: 'Answers once the test releases it.' }, async (_args, ctx) => {
      ctx.progress(1, 2);
      await new Promise<void>((resolve) => (release = resolve));
      return 'released';
    });
    http = await startHttp(server, { sseKeepAliveMs: KEEP_ALIVE_MS });
  });

  after(async () => {
    release();
    await http.close();
  });

  it('are written on a quiet GET stream, and leave the event ids as they were', async () => {
    const session = await initializeHttp(http.client);
    const get = await session.get({ accept: 'text/event-stream' });
    assert.equal(get.status, 200);
    const raw = recordRaw(get);
    const priming = await get.sse.next();
    await commentsAtLeast(raw, 2);
    http.server.tool('added', { description: 'Makes the list change.' }, () => 'x');
    const note = await get.sse.next();
    assert.match(note?.data ?? '', /list_changed/);
    const [streamId, seq] = (priming?.id ?? '').split('/');
    assert.equal(note?.id, `${streamId}/${Number(seq) + 1}`, 'the comments took no event number');
    get.sse.response.destroy();
  });

  it('are written while a handler runs, and stop with its answer', async () => {
    const session = await initializeHttp(http.client);
    const post = await session.postStream({ jsonrpc: '2.0', id: 'w1', method: 'tools/call', params: { name: 'wait', arguments: {}, _meta: { progressToken: 't' } } });
    const raw = recordRaw(post);
    assert.equal((await post.sse.nextMessage())?.method, 'notifications/progress');
    await commentsAtLeast(raw, 2);
    release();
    const answer = await post.sse.nextMessage();
    assert.equal((answer?.result as { content: { text: string }[] }).content[0]?.text, 'released');
    assert.equal(await post.sse.next(), undefined, 'the stream ends with the answer');
    const text = raw.text();
    assert.ok(text.endsWith('"released"}]}}\n\n'), `the answer is the last thing written: ${JSON.stringify(text.slice(-80))}`);
    await sleep(KEEP_ALIVE_MS * 3);
    assert.equal(raw.text(), text, 'nothing after the answer');
  });
});
