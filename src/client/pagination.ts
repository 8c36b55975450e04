/**
 * Following pagination cursors (MCP 2025-11-25 server/utilities/pagination): request pages until one comes without
 * `nextCursor`. A server that repeats a cursor would loop forever, so a repeated cursor ends the walk with an error.
 */
import { ErlmcpError } from '../errors.js';
import type { PageParams } from './client-types.js';

/** Collects the items of every page that `fetchPage` returns, in order. */
export async function collectPages<P extends { nextCursor?: string }, T>(
  fetchPage: (params: PageParams | undefined) => Promise<P>,
  itemsOf: (page: P) => T[] | undefined,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor === undefined ? undefined : { cursor });
    const pageItems = itemsOf(page);
    if (pageItems !== undefined) for (const item of pageItems) items.push(item);
    cursor = typeof page.nextCursor === 'string' ? page.nextCursor : undefined;
    if (cursor !== undefined) {
      if (seen.has(cursor)) throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `the server repeated the cursor ${JSON.stringify(cursor)}`);
      seen.add(cursor);
    }
  } while (cursor !== undefined);
  return items;
}
