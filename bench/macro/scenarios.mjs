/**
 * The macro scenarios: which peers each runs, the request wrk sends, the check made before every timed run, and
 * the ratios and targets (issues 3 and 4) computed from the medians of per-round ratios.
 */
import {
  BIG_TEXT, BIG_URI, ECHO_TEXT, MANY_TOOLS, PROGRESS_REPLY, PROGRESS_STEPS, WIDE_ARGS, WIDE_REPLY,
} from '../lib/fixtures.mjs';
import { PROTOCOL_VERSION, initializeRequest, modernRequest } from '../lib/mcp-http.mjs';

/**
 * A stateless-era result always says how it ended (`resultType`); a session-era answer never does. Checking it
 * proves the 2026 peer's requests took the stateless path and were not quietly served some other way.
 */
function expectComplete(messages) {
  const type = messages.at(-1)?.result?.resultType;
  if (type !== 'complete') throw new Error(`expected resultType "complete" (2026-07-28), got ${JSON.stringify(type)}`);
}

/**
 * The peer servers; `session` peers get an initialized session before the run. A peer with `request` is sent its
 * own form of each scenario's message (body, protocol version, extra headers) and gets an extra check first.
 * `erlmcp-2026` is the very server `erlmcp` is (default, dual-era: no --stateless), spoken to in MCP 2026-07-28,
 * so its ratio to `erlmcp` prices the stateless era against sessions on one endpoint.
 */
export const PEERS = {
  raw: { label: 'raw node:http ceiling', script: 'peers/raw.mjs', flags: [], session: false },
  erlmcp: { label: 'erlmcp stateful JSON', script: 'peers/erlmcp.mjs', flags: [], session: true },
  'erlmcp-2026': {
    label: 'erlmcp 2026-07-28 (stateless era)', script: 'peers/erlmcp.mjs', flags: [], session: false,
    request: (message) => ({ ...modernRequest(message), check: expectComplete }),
  },
  // The ceiling sent the 2026-07-28 request and answering in that era's shape: what the era's bytes cost alone.
  'raw-2026': {
    label: 'raw node:http ceiling, 2026-07-28 messages', script: 'peers/raw.mjs', flags: ['--modern'], session: false,
    request: (message) => ({ ...modernRequest(message), check: expectComplete }),
  },
  'erlmcp-sse': { label: 'erlmcp stateful SSE', script: 'peers/erlmcp.mjs', flags: ['--sse'], session: true },
  'erlmcp-stateless': { label: 'erlmcp stateless', script: 'peers/erlmcp.mjs', flags: ['--stateless'], session: false },
  // `warmsSlowly`: the long warm-up of run.mjs (its CPU per request falls for some 17 s under load).
  sdk: { label: 'SDK 1.32.2 stateful JSON', script: 'peers/sdk.mjs', flags: [], session: true, warmsSlowly: true },
  'sdk-stateless': { label: 'SDK 1.32.2 stateless', script: 'peers/sdk.mjs', flags: ['--stateless'], session: false, warmsSlowly: true },
  fastmcp: { label: 'fastmcp 4.20.16 stateful JSON', script: 'peers/fastmcp.mjs', flags: [], session: true, warmsSlowly: true },
  // Not in any scenario's run: a reference for `macro/pair.mjs` (what a server with only the essential checks costs).
  lean: { label: 'lean probe of issue 3', script: 'peers/lean.mjs', flags: [], session: true },
};

// `message` is kept so that a peer with its own `request` can rewrite it.
function body(message) {
  const text = JSON.stringify({ ...message, id: '@@ID@@' });
  const [prefix, suffix] = text.split('"@@ID@@"');
  return { prefix, suffix, message };
}

const callEcho = body({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'echo', arguments: { text: ECHO_TEXT } } });

function lastResult(messages) {
  const last = messages.at(-1);
  if (!last || last.result === undefined) throw new Error(`no result: ${JSON.stringify(last)?.slice(0, 300)}`);
  return last.result;
}

function expectText(messages, text) {
  const result = lastResult(messages);
  const got = result.content?.[0]?.text;
  if (got !== text || result.isError) throw new Error(`expected text ${JSON.stringify(text)}, got ${JSON.stringify(result).slice(0, 300)}`);
}

/**
 * The scenarios. `peers` name PEERS entries, optionally with extra flags; `pairs` are the ratios reported
 * (numerator/denominator of req/s within one round); `targets` are checked by bench:check.
 */
export const SCENARIOS = {
  echo: {
    title: 'tools/call echo',
    // erlmcp-2026 right after erlmcp: the two share a ratio target, so their runs sit next to each other in time.
    peers: [['raw'], ['erlmcp'], ['erlmcp-2026'], ['raw-2026'], ['erlmcp-sse'], ['erlmcp-stateless'], ['sdk'], ['sdk-stateless'], ['fastmcp']],
    body: callEcho,
    check: (messages) => expectText(messages, ECHO_TEXT),
    pairs: [
      ['erlmcp', 'raw'], ['erlmcp', 'sdk'], ['erlmcp-sse', 'raw'], ['erlmcp-stateless', 'raw'],
      ['erlmcp-stateless', 'sdk-stateless'], ['erlmcp', 'fastmcp'], ['sdk', 'raw'],
      // The ceiling's own lead over the SDK: no MCP server can beat the SDK by more than this in the same round.
      ['raw', 'sdk'], ['raw', 'sdk-stateless'],
      ['erlmcp-2026', 'raw'], ['erlmcp-2026', 'erlmcp'],
      // What the 2026-07-28 messages cost the ceiling itself, and erlmcp's 2026 path against that era's ceiling.
      ['raw-2026', 'raw'], ['erlmcp-2026', 'raw-2026'],
    ],
    targets: [
      { name: 'stateful JSON ≥ 0.85x raw ceiling', ratio: ['erlmcp', 'raw'], min: 0.85 },
      { name: 'stateful JSON ≥ 10x SDK stateful', ratio: ['erlmcp', 'sdk'], min: 10 },
      { name: 'stateful JSON p95 ≤ 5 ms', metric: ['erlmcp', 'p95Ms'], max: 5 },
      { name: 'stateful JSON p99.9 < 50 ms', metric: ['erlmcp', 'p999Ms'], max: 50, strict: true },
      { name: 'stateful JSON ≤ 35 µs server CPU/request', metric: ['erlmcp', 'cpuUsPerReq'], max: 35 },
      { name: 'SSE answers ≥ 0.75x raw ceiling', ratio: ['erlmcp-sse', 'raw'], min: 0.75 },
      { name: 'stateless ≥ 0.85x raw ceiling', ratio: ['erlmcp-stateless', 'raw'], min: 0.85 },
      { name: 'stateless ≥ 30x SDK stateless', ratio: ['erlmcp-stateless', 'sdk-stateless'], min: 30 },
      // Issue 4: the stateless era needs no session lookup, so it should cost no more than the session era.
      { name: '2026-07-28 stateless era ≥ 0.85x raw ceiling', ratio: ['erlmcp-2026', 'raw'], min: 0.85 },
      { name: '2026-07-28 stateless era ≥ 1.0x 2025-11-25 stateful', ratio: ['erlmcp-2026', 'erlmcp'], min: 1 },
    ],
  },
  initialize: {
    title: 'initialize, a new session per request',
    // Sessions pile up at ~20k/s: a short idle TTL keeps ours bounded. The SDK has no expiry and keeps them all.
    peers: [['erlmcp', ['--idle-ttl-ms', '5000']], ['sdk']],
    body: body(initializeRequest()),
    noSession: true,
    // erlmcp's CPU is read once the sessions its window made have expired (run.mjs settledCpu): the 5 s TTL, plus
    // the 1 s sweep, plus a margin. The SDK leaves nothing behind its window (it never expires a session).
    settle: { peers: ['erlmcp'], ms: 6_500 },
    check: (messages, answer) => {
      if (lastResult(messages).protocolVersion === undefined) throw new Error('initialize result without protocolVersion');
      // Each request must open a session: a server that answered without one would skip the scenario's work.
      if (answer !== undefined && !answer.sessionId) throw new Error('initialize answered without an Mcp-Session-Id');
    },
    pairs: [['erlmcp', 'sdk']],
    targets: [{ name: 'initialize ≥ 20x SDK', ratio: ['erlmcp', 'sdk'], min: 20 }],
  },
  progress: {
    title: `tools/call streaming ${PROGRESS_STEPS} progress notifications over SSE`,
    peers: [['erlmcp'], ['sdk', ['--sse']]],
    labels: { erlmcp: 'erlmcp stateful (auto: SSE once the tool streams)' },
    body: body({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'progress', arguments: {}, _meta: { progressToken: 'p1' } } }),
    check: (messages) => {
      const notes = messages.filter((m) => m.method === 'notifications/progress').length;
      if (notes !== PROGRESS_STEPS) throw new Error(`expected ${PROGRESS_STEPS} progress notifications, got ${notes}`);
      expectText(messages, PROGRESS_REPLY);
    },
    pairs: [['erlmcp', 'sdk']],
    targets: [{ name: 'SSE progress stream ahead of the SDK', ratio: ['erlmcp', 'sdk'], min: 1, strict: true }],
  },
  read1mb: {
    title: 'resources/read of a 1 MB resource',
    connections: 10,
    peers: [['erlmcp'], ['sdk']],
    body: body({ jsonrpc: '2.0', method: 'resources/read', params: { uri: BIG_URI } }),
    check: (messages) => {
      const text = lastResult(messages).contents?.[0]?.text;
      if (text !== BIG_TEXT) throw new Error(`1 MB resource: got ${text?.length} characters`);
    },
    pairs: [['erlmcp', 'sdk']],
    targets: [{ name: '1 MB read ahead of the SDK', ratio: ['erlmcp', 'sdk'], min: 1, strict: true }],
  },
  list500: {
    title: `tools/list with ${MANY_TOOLS} registered tools`,
    peers: [['erlmcp', ['--many-tools']], ['sdk', ['--many-tools']]],
    body: body({ jsonrpc: '2.0', method: 'tools/list', params: {} }),
    check: (messages) => {
      const n = lastResult(messages).tools?.length;
      if (n !== MANY_TOOLS + 3) throw new Error(`tools/list: expected ${MANY_TOOLS + 3} tools, got ${n}`);
    },
    pairs: [['erlmcp', 'sdk']],
    targets: [],
  },
  wide: {
    title: 'tools/call with a 20-property input schema',
    peers: [['erlmcp'], ['sdk']],
    body: body({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'wide', arguments: WIDE_ARGS } }),
    check: (messages) => expectText(messages, WIDE_REPLY),
    pairs: [['erlmcp', 'sdk']],
    targets: [],
  },
};

/** The JSON-RPC message a scenario's (or a `requestOf`'s) wrk body carries, with one id, for the check request. */
export function checkMessage(scenario, id = 1) {
  return JSON.parse(`${scenario.body.prefix}${id}${scenario.body.suffix}`);
}

/**
 * What one peer is sent in a scenario, for wrk and for the check request alike: the body, the
 * MCP-Protocol-Version (undefined where the scenario opens no session), the extra headers (lower-case names) and
 * the check. Peers without `request` get the scenario's own.
 */
export function requestOf(scenario, peer) {
  if (!peer.request) {
    return { body: scenario.body, version: scenario.noSession ? undefined : PROTOCOL_VERSION, headers: {}, check: scenario.check };
  }
  const own = peer.request(scenario.body.message);
  return {
    body: body(own.message),
    version: own.version,
    headers: own.headers,
    check: (messages) => {
      own.check?.(messages);
      scenario.check(messages);
    },
  };
}
