/**
 * The two error families stay tidy (STYLE.md rule 4): every wire code in `ErrorCode` is unique and inside
 * JSON-RPC's reserved range or MCP's, every platform code is unique and named `ERLMCP_ERR_*`, and no source file
 * outside `src/protocol/error-codes.ts` writes a JSON-RPC code as a numeric literal (comments may cite them).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { ErlmcpError, PlatformErrorCode } from '../../src/errors.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');
const CODES_FILE = join(SRC, 'protocol', 'error-codes.ts');

/** The numeric members of a TypeScript numeric enum (its reverse mapping excluded). */
function enumValues(e: Record<string, string | number>): [string, number][] {
  return Object.entries(e).filter((entry): entry is [string, number] => typeof entry[1] === 'number');
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(c|m)?ts$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/**
 * The JSON-RPC-range negative numeric literals in `text` (-32768..-32000), found in the parsed syntax tree so
 * comments and strings never count; each as `line: literal`.
 */
function codeLiterals(text: string): string[] {
  const file = ts.createSourceFile('scan.ts', text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken
      && ts.isNumericLiteral(node.operand)
    ) {
      const value = Number(node.operand.text);
      if (value >= 32000 && value <= 32768) {
        const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
        found.push(`${line + 1}: -${node.operand.text}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('wire error codes (ErrorCode)', () => {
  const values = enumValues(ErrorCode as unknown as Record<string, string | number>);

  it('has the JSON-RPC 2.0 codes at their standard values', () => {
    assert.equal(ErrorCode.ParseError, -32700);
    assert.equal(ErrorCode.InvalidRequest, -32600);
    assert.equal(ErrorCode.MethodNotFound, -32601);
    assert.equal(ErrorCode.InvalidParams, -32602);
    assert.equal(ErrorCode.InternalError, -32603);
    assert.equal(ErrorCode.ResourceNotFound, -32002);
  });

  it('gives every member a distinct value', () => {
    assert.ok(values.length >= 6);
    const seen = new Map<number, string>();
    for (const [name, value] of values) {
      assert.equal(seen.get(value), undefined, `${name} reuses ${value}, already the value of ${seen.get(value)}`);
      seen.set(value, name);
    }
  });

  it('keeps every value an integer in the reserved range -32768..-32000', () => {
    for (const [name, value] of values) {
      assert.ok(Number.isInteger(value) && value >= -32768 && value <= -32000, `${name} = ${value}`);
    }
  });
});

describe('platform error codes (PlatformErrorCode)', () => {
  const keys = Object.keys(PlatformErrorCode);

  it('names every code ERLMCP_ERR_* in upper snake case', () => {
    assert.ok(keys.length > 0);
    for (const key of keys) assert.match(key, /^ERLMCP_ERR_[A-Z0-9]+(_[A-Z0-9]+)*$/);
  });

  it('declares each code once in src/errors.ts (a repeated key would silently overwrite the first)', () => {
    const file = ts.createSourceFile('errors.ts', readFileSync(join(SRC, 'errors.ts'), 'utf8'), ts.ScriptTarget.Latest, true);
    const declared: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && node.name.getText(file) === 'PlatformErrorCode') {
        const collect = (n: ts.Node): void => {
          if (ts.isPropertyAssignment(n)) declared.push(n.name.getText(file));
          else ts.forEachChild(n, collect);
        };
        if (node.initializer) collect(node.initializer);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    const repeated = declared.filter((key, i) => declared.indexOf(key) !== i);
    assert.deepEqual(repeated, []);
    assert.deepEqual([...declared].sort(), [...keys].sort());
  });

  it('maps each code to 0 or an HTTP error status, and is frozen', () => {
    for (const [key, status] of Object.entries(PlatformErrorCode)) {
      assert.ok(status === 0 || (Number.isInteger(status) && status >= 400 && status <= 599), `${key} -> ${status}`);
    }
    assert.ok(Object.isFrozen(PlatformErrorCode));
  });

  it('builds ErlmcpError with its code, status and cause', () => {
    const cause = new Error('root');
    const err = new ErlmcpError('ERLMCP_ERR_SESSION_NOT_FOUND', 'gone', { cause });
    assert.equal(err.code, 'ERLMCP_ERR_SESSION_NOT_FOUND');
    assert.equal(err.status, 404);
    assert.equal(err.cause, cause);
    assert.equal(err.name, 'ErlmcpError');
    assert.ok(err instanceof Error);
  });
});

describe('no JSON-RPC code literals outside error-codes.ts', () => {
  it('finds literals where they are, and not in comments or strings (scanner self-check)', () => {
    const sample = [
      '// a comment citing -32602',
      '/* and -32700 in a block */',
      "const s = 'text -32601';",
      'const code = -32603;',
      'const spaced = - 32002;',
      'const fine = 32768 + -1;',
      'const t = `${x} failed with -32602`;',
      'enum E { A = -32001 }',
    ].join('\n');
    assert.deepEqual(codeLiterals(sample), ['4: -32603', '5: -32002', '8: -32001']);
  });

  it('every file under src/ uses ErrorCode instead', () => {
    const files = sourceFiles(SRC).filter((f) => f !== CODES_FILE);
    assert.ok(files.length > 10, `expected the source tree under ${SRC}`);
    const offenders: string[] = [];
    for (const file of files) {
      for (const hit of codeLiterals(readFileSync(file, 'utf8'))) offenders.push(`${relative(ROOT, file)}:${hit}`);
    }
    assert.deepEqual(offenders, [], `write these as ErrorCode members:\n${offenders.join('\n')}`);
  });

  it('error-codes.ts itself is where the literals live', () => {
    assert.ok(codeLiterals(readFileSync(CODES_FILE, 'utf8')).length >= 6);
  });
});
