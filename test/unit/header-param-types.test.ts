/**
 * Which property types may carry `x-mcp-header` (2026-07-28 server/tools, "x-mcp-header": "MUST only be applied
 * to parameters with primitive types (integer, string, boolean). Parameters with type `number` are not
 * permitted."). A nullable one (`["string", "null"]`) is still a string parameter: the transport's table says what
 * a null value means ("Parameter value is `null`: Client MUST omit the header; Server MUST NOT expect the
 * header"), which only a schema that admits null can produce. It was refused at registration. A type that is not
 * one primitive (`number`, `null` alone, `["string", "integer"]`) stays refused: its header cannot be compared.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { headerParamsOf } from '../../src/server/header-params.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { validateParamHeaders } from '../../src/transport/http/mcp-headers.js';
import { codeOf } from '../helpers/wire-code.js';

describe('x-mcp-header: the property types it may annotate', () => {
  it('accepts a nullable string, integer or boolean, and compares it as that type', () => {
    const server = new McpServer({ info: { name: 't', version: '1' } });
    server.tool('nullable', {
      inputSchema: {
        type: 'object',
        properties: {
          region: { type: ['string', 'null'], 'x-mcp-header': 'Region' },
          count: { type: ['null', 'integer'], 'x-mcp-header': 'Count' },
          flag: { type: ['boolean', 'null'], 'x-mcp-header': 'Flag' },
          only: { type: ['string'], 'x-mcp-header': 'Only' },
        },
      },
    }, () => 'ok');
    const tool = server.tools.get('nullable');
    assert.ok(tool);
    assert.deepEqual(headerParamsOf(tool).map((p) => [p.header, p.type]), [
      ['mcp-param-region', 'string'], ['mcp-param-count', 'integer'], ['mcp-param-flag', 'boolean'], ['mcp-param-only', 'string'],
    ]);
    const check = (headers: Record<string, string>, args: Record<string, unknown>): number | undefined => codeOf(() => validateParamHeaders(headers, tool, args));
    assert.equal(check({}, { region: null, count: null, flag: null }), undefined, 'null values expect no header');
    assert.equal(check({ 'mcp-param-region': 'eu', 'mcp-param-count': '4.0', 'mcp-param-flag': 'false', 'mcp-param-only': 'x' }, { region: 'eu', count: 4, flag: false, only: 'x' }), undefined);
    assert.equal(check({ 'mcp-param-region': 'us' }, { region: 'eu' }), ErrorCode.HeaderMismatch);
    assert.equal(check({ 'mcp-param-count': '4' }, { count: null }), ErrorCode.HeaderMismatch, 'a header for a null argument');
  });

  it('refuses types that are not one primitive, nullable or not', () => {
    const server = new McpServer({ info: { name: 't', version: '1' } });
    let n = 0;
    for (const type of ['number', 'null', 'object', 'array', ['null'], ['number', 'null'], ['string', 'integer'], ['object', 'null'], undefined]) {
      const property: Record<string, unknown> = { 'x-mcp-header': 'H' };
      if (type !== undefined) property.type = type;
      assert.throws(() => server.tool(`bad${n++}`, { inputSchema: { type: 'object', properties: { p: property } } }, () => 'x'), /string, integer or boolean/, JSON.stringify(type));
    }
  });
});
