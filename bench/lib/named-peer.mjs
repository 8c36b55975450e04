/**
 * Starts one peer by name for the paired tools (`macro/pair.mjs`, `macro/pair-perf.mjs`): a PEERS name of
 * `macro/scenarios.mjs` brings its script, flags and request form (erlmcp-2026 speaks 2026-07-28); any other name
 * is a script of `peers/` (a scratch variant, say; one named `raw*` gets no session). Sessions are opened where the peer has them, and the wrk
 * environment for the scenario's request is built, so both tools drive a peer exactly as `run.mjs` does.
 */
import { join } from 'node:path';
import { PEERS, checkMessage, requestOf } from '../macro/scenarios.mjs';
import { openSession, post } from './mcp-http.mjs';
import { BENCH_DIR, freePort, startPeer, wrkEnv } from './proc.mjs';

/**
 * `dist` points the erlmcp peers at another build (ERLMCP_DIST); `flags` are added to the peer's own; `nodeFlags`
 * go to node (such as --perf-basic-prof).
 */
export async function startNamedPeer(name, scenario, { flags = [], dist, nodeFlags = [] } = {}) {
  // A script of peers/ whose name starts with `raw` is a variant of the ceiling, which has no sessions.
  const peer = PEERS[name] ?? { script: `peers/${name}.mjs`, flags: [], session: !name.startsWith('raw') };
  const allFlags = [...peer.flags, ...flags];
  if (dist) process.env.ERLMCP_DIST = dist;
  else delete process.env.ERLMCP_DIST;
  const port = await freePort();
  const child = await startPeer(join(BENCH_DIR, peer.script), port, allFlags, nodeFlags);
  delete process.env.ERLMCP_DIST;
  const url = `http://127.0.0.1:${port}/mcp`;
  const stateful = peer.session && !allFlags.includes('--stateless') && !scenario.noSession;
  const sessionId = stateful ? await openSession(url) : undefined;
  const request = requestOf(scenario, peer);
  const label = `${name}${allFlags.length ? ` ${allFlags.join(' ')}` : ''}${dist ? ` (${dist})` : ''}`;
  return { name, label, child, url, sessionId, request, env: wrkEnv(request, sessionId) };
}

/** Sends a started peer one check request and verifies its answer, so a peer that answers wrongly is never timed. */
export async function checkPeer(p) {
  const answer = await post(p.url, checkMessage(p.request), p.sessionId, p.request.version, p.request.headers);
  if (answer.status !== 200) throw new Error(`${p.label}: check request gave HTTP ${answer.status}`);
  p.request.check(answer.messages, answer);
}
