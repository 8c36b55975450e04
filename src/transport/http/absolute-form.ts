/**
 * The path a request is routed by: its target without the query, in origin form (`/mcp`) or in absolute form
 * (`POST http://host/mcp`), which RFC 9112 3.2.2 says a server MUST accept and some proxies pass on. Its own module
 * because both servers of a transport route on it: the one that serves, and the one that answers connections beyond
 * the bound (connection-limit.ts), whose health routes must match the same targets.
 */

/** The path of a request target (`req.url`), without its query; an absolute-form target's path. */
export function targetPath(url: string | undefined): string {
  const target = url ?? '/';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  return path.startsWith('/') ? path : absoluteFormPath(path);
}

/** The path of an absolute-form target (`http://host:port/path`), `/` when it has none; any other target as is. */
function absoluteFormPath(target: string): string {
  const scheme = /^https?:\/\//i.exec(target);
  if (scheme === null) return target;
  const slash = target.indexOf('/', scheme[0].length);
  return slash < 0 ? '/' : target.slice(slash);
}
