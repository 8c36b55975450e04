/**
 * An integer argument mirrored into an `Mcp-Param-*` header must lie within ±(2^53−1) (2026-07-28
 * basic/transports/streamable-http, "Schema Extension": "Integer values MUST be within the safe range for JavaScript
 * (−2^53+1 to 2^53−1)"). Beyond it a double cannot tell neighbouring integers apart, so a header of
 * 9007199254740993 compared equal to a body of 9007199254740992: a proxy routing on the header text and the server
 * running the body value would disagree, which is what the header check exists to prevent ("Server Validation").
 * A request whose header or body value is outside the range is refused: 400 with -32020 (HeaderMismatch), the
 * error the spec gives for a header that is malformed or does not match its body value.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { EraError } from '../../src/protocol/era.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { validateParamHeaders } from '../../src/transport/http/mcp-headers.js';
import { modernHeaders, modernMeta } from '../helpers/dual-era-server.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { jsonOf } from '../helpers/raw-http-client.js';

const MAX = Number.MAX_SAFE_INTEGER; // 2^53 − 1

function createServer(): McpServer {
  const server = new McpServer({ info: { name: 'int-headers', version: '1' } });
  server.tool('shard', {
    inputSchema: { type: 'object', properties: { n: { type: 'integer', 'x-mcp-header': 'N' } } },
  }, (args) => `n=${String(args.n)}`);
  return server;
}

/** The EraError a check throws (its code and HTTP status), or undefined when it passes. */
function refusalOf(fn: () => void): { code: number; status: number } | undefined {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof EraError, String(err));
    return { code: err.code, status: err.httpStatus };
  }
  return undefined;
}

describe('x-mcp-header integers stay within ±(2^53−1)', () => {
  const server = createServer();
  const tool = server.tools.get('shard');
  assert.ok(tool);
  const check = (header: string, n: unknown): { code: number; status: number } | undefined =>
    refusalOf(() => validateParamHeaders({ 'mcp-param-n': header }, tool, { n }));
  const mismatch = { code: ErrorCode.HeaderMismatch, status: 400 };

  it('accepts the bounds themselves', () => {
    assert.equal(check(String(MAX), MAX), undefined);
    assert.equal(check(String(-MAX), -MAX), undefined);
    assert.equal(check('0', 0), undefined);
  });

  it('refuses a body value beyond the range, even with a header that reads the same', () => {
    assert.deepEqual(check('9007199254740992', 2 ** 53), mismatch);
    assert.deepEqual(check('-9007199254740992', -(2 ** 53)), mismatch);
    assert.deepEqual(check('1e20', 1e20), mismatch);
  });

  it('refuses a header beyond the range that a double rounds onto the body value', () => {
    // Number('9007199254740993') is 9007199254740992; Number('9007199254740992') is 2^53 itself.
    assert.deepEqual(check('9007199254740993', 2 ** 53), mismatch);
    assert.deepEqual(check('9007199254740992', MAX + 1), mismatch);
  });

  it('compares exactly, not through a double: a fraction a double rounds away still differs', () => {
    assert.deepEqual(check('9007199254740990.9', MAX), mismatch);
    assert.deepEqual(check('7.0000000000000001', 7), mismatch);
    assert.deepEqual(check('1e999999999', 1), mismatch);
    assert.deepEqual(check('1e-999999999', 0), mismatch);
    // Equal spellings stay equal (the spec's SHOULD: 42.0 equals 42).
    for (const [text, n] of [['42.0', 42], ['4.2e1', 42], ['420e-1', 42], ['0010.00', 10], ['-0', 0], ['-7', -7], ['9.007199254740991e15', MAX]] as const) {
      assert.equal(check(text, n), undefined, `${text} spells ${n}`);
    }
  });
});

describe('x-mcp-header integers beyond ±(2^53−1), over HTTP', () => {
  let http: HttpHarness;
  before(async () => {
    http = await startHttp(createServer());
  });
  after(() => http.close());

  async function call(n: string, header: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const body = { method: 'tools/call', params: { name: 'shard', arguments: {}, _meta: modernMeta({}) } };
    // The body's text is written by hand: JSON.stringify could not spell an integer a double cannot hold.
    const text = `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":${JSON.stringify(body.params).replace('"arguments":{}', `"arguments":{"n":${n}}`)}}`;
    const reply = await http.client.send({ body: text, headers: { ...modernHeaders(body), 'mcp-param-n': header } });
    return { status: reply.status, body: jsonOf(reply) };
  }

  it('runs the tool for a value at the bound', async () => {
    const { status, body } = await call(String(MAX), String(MAX));
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal((body.result as { content: { text: string }[] }).content[0]?.text, `n=${MAX}`);
  });

  it('answers 400 and -32020, with the request id, for a value beyond it', async () => {
    const { status, body } = await call('9007199254740993', '9007199254740993');
    assert.equal(status, 400, JSON.stringify(body));
    assert.equal(body.id, 7);
    assert.equal((body.error as { code: number }).code, ErrorCode.HeaderMismatch);
  });
});
