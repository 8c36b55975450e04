/**
 * What a -32022 offers: UnsupportedProtocolVersionError's `supported` is the list "the client should choose a
 * mutually supported version from ... and retry" (schema.json, 2026-07-28). A dual-era server that refuses a
 * stateless request naming 2025-11-25 (a session-era revision it serves, but only after initialize) used to list
 * 2025-11-25 as supported in the same breath: a client that took the list at its word retried with the version
 * just refused. Such a refusal names the stateless revisions alone; an unknown version still gets the whole list,
 * legacy revisions included, as the spec's own example shows (basic/versioning, "Protocol Version Negotiation").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EraError } from '../../src/protocol/era.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { modernMeta } from '../helpers/dual-era-server.js';
import { connectMemory, type Json } from '../helpers/memory-client.js';
import { SpecSchemaValidator } from '../helpers/schema-validator.js';

const validator = SpecSchemaValidator.forRevision('2026-07-28', { closed: true });

function refusalOf(server: McpServer, revision: string): EraError {
  const era = server.modern;
  assert.ok(era);
  try {
    era.admit({ _meta: modernMeta({}, { 'io.modelcontextprotocol/protocolVersion': revision }) }, revision);
  } catch (err) {
    assert.ok(err instanceof EraError);
    return err;
  }
  assert.fail(`${revision} was admitted`);
}

describe('2026-07-28: -32022 lists only versions the refused request could retry with', () => {
  it('refuses a session-era revision sent the stateless way without naming it supported', async () => {
    const server = new McpServer({ info: { name: 'versions', version: '1' } });
    try {
      const err = refusalOf(server, '2025-11-25');
      assert.equal(err.code, ErrorCode.UnsupportedProtocolVersion);
      assert.deepEqual(err.data, { supported: ['2026-07-28'], requested: '2025-11-25' });
      // The same over a transport, and valid against the schema's definition of the error.
      const { client } = await connectMemory(server);
      const answer = await client.request('tools/list', { _meta: modernMeta({}, { 'io.modelcontextprotocol/protocolVersion': '2025-06-18' }) });
      assert.deepEqual((answer.error as Json).data, { supported: ['2026-07-28'], requested: '2025-06-18' });
      assert.equal(validator.check('UnsupportedProtocolVersionError', answer), undefined);
    } finally {
      await server.close();
    }
  });

  it('still names every offered revision, of both eras, when the requested one is unknown', () => {
    const server = new McpServer({ info: { name: 'versions', version: '1' } });
    assert.deepEqual(refusalOf(server, '2027-01-01').data, { supported: ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26'], requested: '2027-01-01' });
  });
});
