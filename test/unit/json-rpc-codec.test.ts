/**
 * The JSON-RPC 2.0 envelope check and decoder: which shapes are requests, notifications, responses or invalid
 * (MCP never uses by-position params, a request id is a string or an integer, never null), and how a parse failure
 * becomes the -32700 response without a request id (JSON-RPC's null, or none as MCP 2025-11-25's schema has it).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MessageKind, classify, decode, errorResponseOf, isRequest, isResponse, preserialize, readableId, resultResponse,
  stringifyMessage,
  type JsonRpcMessage,
} from '../../src/protocol/json-rpc.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { hasNoRequestId } from '../helpers/json-path.js';

const kindName = (kind: MessageKind): string => ({
  [MessageKind.Request]: 'request',
  [MessageKind.Notification]: 'notification',
  [MessageKind.Response]: 'response',
  [MessageKind.Invalid]: 'invalid',
})[kind];

function expectKind(value: unknown, expected: string): void {
  assert.equal(kindName(classify(value)), expected, `classify(${JSON.stringify(value)})`);
}

describe('classify', () => {
  it('accepts requests with string or integer ids, with or without object params', () => {
    expectKind({ jsonrpc: '2.0', id: 1, method: 'ping' }, 'request');
    expectKind({ jsonrpc: '2.0', id: 0, method: 'ping' }, 'request');
    expectKind({ jsonrpc: '2.0', id: -7, method: 'ping' }, 'request');
    expectKind({ jsonrpc: '2.0', id: 'abc', method: 'tools/call', params: { name: 'x' } }, 'request');
    expectKind({ jsonrpc: '2.0', id: '', method: 'ping', params: {} }, 'request');
  });

  it('accepts notifications: a method and no id member at all', () => {
    expectKind({ jsonrpc: '2.0', method: 'notifications/initialized' }, 'notification');
    expectKind({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } }, 'notification');
  });

  it('accepts result and error responses', () => {
    expectKind({ jsonrpc: '2.0', id: 1, result: {} }, 'response');
    expectKind({ jsonrpc: '2.0', id: 'x', result: { content: [] } }, 'response');
    expectKind({ jsonrpc: '2.0', id: 1, error: { code: -1, message: 'no' } }, 'response');
    expectKind({ jsonrpc: '2.0', id: null, error: { code: ErrorCode.ParseError, message: 'bad' } }, 'response');
  });

  it('refuses params that are an array (by-position params), or any non-object', () => {
    expectKind({ jsonrpc: '2.0', id: 1, method: 'ping', params: [] }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: 1, method: 'ping', params: [1, 2] }, 'invalid');
    expectKind({ jsonrpc: '2.0', method: 'notifications/x', params: ['a'] }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: 1, method: 'ping', params: null }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: 1, method: 'ping', params: 'x' }, 'invalid');
  });

  it('refuses a request whose id is null, a float, a boolean or an object', () => {
    expectKind({ jsonrpc: '2.0', id: null, method: 'ping' }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: 1.5, method: 'ping' }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: Number.NaN, method: 'ping' }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: true, method: 'ping' }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: { n: 1 }, method: 'ping' }, 'invalid');
    // An explicit undefined id is still an id member: not a notification.
    expectKind({ jsonrpc: '2.0', id: undefined, method: 'ping' }, 'invalid');
  });

  it('accepts an error response without an id (MCP 2025-11-25 JSONRPCErrorResponse: the id is optional)', () => {
    expectKind({ jsonrpc: '2.0', error: { code: ErrorCode.ParseError, message: 'could not parse your request' } }, 'response');
    // Only an error may lack its id: a result always answers a known request.
    expectKind({ jsonrpc: '2.0', error: 'no' }, 'invalid');
  });

  it('refuses the wrong or a missing jsonrpc version, and non-objects', () => {
    expectKind({ jsonrpc: '1.0', id: 1, method: 'ping' }, 'invalid');
    expectKind({ id: 1, method: 'ping' }, 'invalid');
    expectKind({ jsonrpc: 2, id: 1, method: 'ping' }, 'invalid');
    expectKind(null, 'invalid');
    expectKind('ping', 'invalid');
    expectKind(42, 'invalid');
    expectKind([{ jsonrpc: '2.0', id: 1, method: 'ping' }], 'invalid');
  });

  it('refuses a method that is not a string', () => {
    expectKind({ jsonrpc: '2.0', id: 1, method: 5 }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: 1, method: null, result: {} }, 'invalid');
  });

  it('refuses malformed responses', () => {
    expectKind({ jsonrpc: '2.0', id: 1 }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: 1, result: 'text' }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: 1, result: [1] }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: 1, error: 'boom' }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: 1, error: { code: '1', message: 'no' } }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: 1, error: { code: 1 } }, 'invalid');
    expectKind({ jsonrpc: '2.0', id: true, result: {} }, 'invalid');
    expectKind({ jsonrpc: '2.0', result: {} }, 'invalid');
  });
});

describe('decode', () => {
  it('parses valid JSON text into a value', () => {
    assert.deepEqual(decode('{"jsonrpc":"2.0","id":1,"method":"ping"}'), {
      ok: true, value: { jsonrpc: '2.0', id: 1, method: 'ping' },
    });
    assert.deepEqual(decode('[1,2]'), { ok: true, value: [1, 2] });
  });

  it('turns a parse failure into a -32700 response without a request id', () => {
    for (const text of ['{"jsonrpc":"2.0","id":1,', '', 'not json', '{"a":1}}']) {
      const decoded = decode(text);
      assert.equal(decoded.ok, false, `decode(${JSON.stringify(text)})`);
      if (decoded.ok) continue;
      assert.equal(decoded.response.jsonrpc, '2.0');
      assert.ok(hasNoRequestId(decoded.response), JSON.stringify(decoded.response));
      assert.equal(decoded.response.error.code, ErrorCode.ParseError);
      assert.equal(decoded.response.error.code, -32700);
      assert.match(decoded.response.error.message, /parse error/i);
    }
  });
});

describe('response builders and guards', () => {
  it('readableId recovers a string or integer id from an invalid message, else null', () => {
    assert.equal(readableId({ jsonrpc: '1.0', id: 7 }), 7);
    assert.equal(readableId({ id: 'a' }), 'a');
    assert.equal(readableId({ id: null }), null);
    assert.equal(readableId({ id: 1.5 }), null, 'not a RequestId');
    assert.equal(readableId({ id: { x: 1 } }), null);
    assert.equal(readableId([1]), null);
    assert.equal(readableId('x'), null);
  });

  it('errorResponseOf includes data only when given', () => {
    assert.deepEqual(errorResponseOf(3, ErrorCode.InvalidParams, 'bad'), {
      jsonrpc: '2.0', id: 3, error: { code: ErrorCode.InvalidParams, message: 'bad' },
    });
    const unreadable = errorResponseOf(null, ErrorCode.InvalidRequest, 'bad', { why: 1 });
    assert.deepEqual(unreadable.error, { code: ErrorCode.InvalidRequest, message: 'bad', data: { why: 1 } });
    assert.ok(hasNoRequestId(unreadable));
  });

  it('isRequest and isResponse tell the shapes apart', () => {
    const request: JsonRpcMessage = { jsonrpc: '2.0', id: 1, method: 'ping' };
    const note: JsonRpcMessage = { jsonrpc: '2.0', method: 'notifications/initialized' };
    const result: JsonRpcMessage = resultResponse(1, {});
    const error: JsonRpcMessage = errorResponseOf(1, ErrorCode.InternalError, 'x');
    assert.equal(isRequest(request), true);
    assert.equal(isRequest(note), false);
    assert.equal(isRequest(result), false);
    assert.equal(isResponse(result), true);
    assert.equal(isResponse(error), true);
    assert.equal(isResponse(request), false);
  });
});

describe('stringifyMessage', () => {
  it('writes a response carrying a preserialized result byte for byte as JSON.stringify does', () => {
    const icons = [{ src: 'https://example.com/a.png' }];
    const result = preserialize({ protocolVersion: '2025-11-25', capabilities: { tools: { listChanged: true } }, icons, note: 'é "quoted"' });
    assert.ok(Object.isFrozen(result) && Object.isFrozen(result.capabilities) && Object.isFrozen(result.icons));
    // What the caller still holds is a separate object: changing it cannot make the text and the result disagree.
    icons.push({ src: 'https://example.com/b.png' });
    assert.equal((result.icons as unknown[]).length, 1);
    for (const id of [1, 'a"b', 0]) {
      const response = resultResponse(id, result);
      assert.equal(stringifyMessage(response), JSON.stringify(response));
    }
  });

  it('serialises anything else as JSON.stringify does, batches and errors included', () => {
    const plain = resultResponse(3, { content: [] });
    const error = errorResponseOf(4, ErrorCode.InvalidParams, 'bad');
    assert.equal(stringifyMessage(plain), JSON.stringify(plain));
    assert.equal(stringifyMessage([plain, error]), JSON.stringify([plain, error]));
  });
});
