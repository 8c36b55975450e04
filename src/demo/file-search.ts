/**
 * The search behind the demo's `file_search` tool: file names under one root that contain a substring.
 *
 * It is bounded twice, by matches and by directory entries visited, so a query against a huge tree answers in
 * bounded time and memory. The walk is breadth-first with entries sorted, so shallow files come first and a given
 * tree always gives the same answer. It skips `node_modules` and `.git`, never follows symbolic links (a link
 * cannot lead it outside the root or into a cycle), and the query only ever filters names, so it cannot name a
 * path outside the root either.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Limits of a search. */
export interface FileSearchOptions {
  /** Stop after this many matches. */
  maxResults: number;
  /** Stop after visiting this many directory entries. Default `FILE_SEARCH_DEFAULTS.maxEntriesVisited`. */
  maxEntriesVisited?: number;
  /** Aborts the walk between directories (the tool passes its request's signal, so cancellation stops it). */
  signal?: AbortSignal;
}

/** What a search found. */
export interface FileSearchResult {
  /** Paths relative to the root, `/`-separated, shallowest first. */
  matches: string[];
  /** True when the search stopped at a limit, so more files may match. */
  truncated: boolean;
}

/** Default limits. */
export const FILE_SEARCH_DEFAULTS = Object.freeze({
  maxEntriesVisited: 20_000,
});

/** Directories never descended into. */
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git']);

const byName = (a: Dirent, b: Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Finds files under `root` whose names contain `query`, ignoring case. Rejects when `root` cannot be read;
 * unreadable directories below it are skipped.
 */
export async function searchFileNames(root: string, query: string, options: FileSearchOptions): Promise<FileSearchResult> {
  const needle = query.toLowerCase();
  const maxEntries = options.maxEntriesVisited ?? FILE_SEARCH_DEFAULTS.maxEntriesVisited;
  const matches: string[] = [];
  // A queue read by index, not shifted: shift() on a large array copies it every time.
  const queue: string[] = [''];
  let visited = 0;
  for (let i = 0; i < queue.length; i++) {
    options.signal?.throwIfAborted();
    const dir = queue[i] as string;
    let entries: Dirent[];
    try {
      entries = await readdir(dir === '' ? root : join(root, dir), { withFileTypes: true });
    } catch (err) {
      if (dir === '') throw new Error(`cannot read the search root ${root}: ${(err as Error).message}`, { cause: err });
      continue;
    }
    entries.sort(byName);
    for (const entry of entries) {
      if (++visited > maxEntries) return { matches, truncated: true };
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) queue.push(path);
      } else if (entry.isFile() && entry.name.toLowerCase().includes(needle)) {
        matches.push(path);
        if (matches.length >= options.maxResults) return { matches, truncated: true };
      }
    }
  }
  return { matches, truncated: false };
}
