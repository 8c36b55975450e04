/**
 * A request the HTTP client gives up on (its timeout, or its AbortSignal) must give its pooled connection back. The
 * official SDK server honours `notifications/cancelled` as basic/utilities/cancellation asks: it never answers the
 * cancelled request, so the POST carrying it never ends. The client used to keep such a POST, one connection each,
 * and after `connections` of them nothing more got out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { listenSdkTourHttp } from '../interop/sdk-tour-server.js';

describe('HTTP client requests given up against a server that never answers them', () => {
  let sdk: Awaited<ReturnType<typeof listenSdkTourHttp>>;

  before(async () => {
    sdk = await listenSdkTourHttp();
  });
  after(() => sdk?.close());

  it('free their connections: with 2 connections, a ping still gets out after 1 aborted and 2 timed-out calls', async () => {
    const client = new McpClient({ name: 'cancel-client', version: '1' });
    client.on('error', () => undefined);
    await client.connect(new StreamableHttpClientTransport(sdk.url, { connections: 2, standaloneStream: false }));
    try {
      // Aborted once the tool runs (its progress says so), so the POST is under way.
      const controller = new AbortController();
      const call = client.callTool({ name: 'wait_for_cancel', arguments: {} }, {
        signal: controller.signal, timeoutMs: 5_000, onProgress: () => controller.abort(new Error('the user gave up')),
      });
      await assert.rejects(call, /the user gave up/);
      for (let i = 0; i < 2; i++) {
        await assert.rejects(client.callTool({ name: 'wait_for_cancel', arguments: {} }, { timeoutMs: 100 }), /timed out/);
      }
      await within(client.ping({ timeoutMs: 2_000 }), 'the ping after the cancelled calls');
    } finally {
      await client.close();
    }
  });
});
