/**
 * The demo's tools: `echo` (the leanest possible tool, so that benchmarks of it measure the server, not the tool),
 * `add` (structured output checked against an outputSchema), and `file_search` (real I/O, bounded).
 */
import type { McpServer, Registration } from '../server/mcp-server.js';
import type { CallToolResult } from '../server/types.js';
import { searchFileNames } from './file-search.js';

/** `file_search`'s result count when the caller gives none. */
export const FILE_SEARCH_DEFAULT_RESULTS = 10;
/** `file_search`'s largest accepted `max_results`. */
export const FILE_SEARCH_MAX_RESULTS = 100;

const ECHO_INPUT = Object.freeze({
  type: 'object',
  properties: { text: { type: 'string', description: 'The text to send back.' } },
  required: ['text'],
});

const ADD_INPUT = Object.freeze({
  type: 'object',
  properties: { a: { type: 'number' }, b: { type: 'number' } },
  required: ['a', 'b'],
});

const ADD_OUTPUT = Object.freeze({
  type: 'object',
  properties: { sum: { type: 'number' } },
  required: ['sum'],
});

const SEARCH_INPUT = Object.freeze({
  type: 'object',
  properties: {
    query: { type: 'string', minLength: 1, description: 'A substring of the file names to find (case-insensitive).' },
    max_results: {
      type: 'integer',
      minimum: 1,
      maximum: FILE_SEARCH_MAX_RESULTS,
      default: FILE_SEARCH_DEFAULT_RESULTS,
      description: `How many paths to return at most (1-${FILE_SEARCH_MAX_RESULTS}).`,
    },
  },
  required: ['query'],
});

const SEARCH_OUTPUT = Object.freeze({
  type: 'object',
  properties: {
    matches: { type: 'array', items: { type: 'string' } },
    truncated: { type: 'boolean' },
  },
  required: ['matches', 'truncated'],
});

/** Registers echo, add and file_search; `root` is the absolute directory file_search searches. */
export function registerDemoTools(server: McpServer, root: string): Registration[] {
  return [
    server.tool<{ text: string }>(
      'echo',
      { title: 'Echo', description: 'Returns the given text unchanged.', inputSchema: ECHO_INPUT, annotations: { readOnlyHint: true, openWorldHint: false } },
      (args) => args.text,
    ),
    server.tool<{ a: number; b: number }>(
      'add',
      { title: 'Add', description: 'Adds two numbers.', inputSchema: ADD_INPUT, outputSchema: ADD_OUTPUT, annotations: { readOnlyHint: true, openWorldHint: false } },
      (args): CallToolResult => {
        const sum = args.a + args.b;
        return { content: [{ type: 'text', text: String(sum) }], structuredContent: { sum } };
      },
    ),
    server.tool<{ query: string; max_results?: number }>(
      'file_search',
      {
        title: 'File search',
        description: 'Finds files whose names contain a substring, under the server\'s demo root (skips node_modules and .git). Returns relative paths, one per line.',
        inputSchema: SEARCH_INPUT,
        outputSchema: SEARCH_OUTPUT,
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      async (args, ctx): Promise<CallToolResult> => {
        const found = await searchFileNames(root, args.query, {
          maxResults: args.max_results ?? FILE_SEARCH_DEFAULT_RESULTS,
          signal: ctx.signal,
        });
        const text = found.matches.length > 0
          ? found.matches.join('\n')
          : `No file names under the search root contain ${JSON.stringify(args.query)}.`;
        return { content: [{ type: 'text', text }], structuredContent: { matches: found.matches, truncated: found.truncated } };
      },
    ),
  ];
}
