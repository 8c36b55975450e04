-- wrk script for the erlmcp bench: POSTs one JSON-RPC message per request, with the MCP headers.
--
-- The body is BENCH_BODY_PREFIX .. <id> .. BENCH_BODY_SUFFIX. Ids cycle through 10,000 values so that no two
-- requests in flight share one (the SDK maps responses to streams by request id); the requests are formatted once,
-- in init(), so wrk spends nothing per request on Lua string work. done() prints one line, WRK_JSON {...}, with the
-- counts and the latency percentiles (p99.9 included, which --latency does not print).
--
-- BENCH_MCP_METHOD and BENCH_MCP_NAME, when set, become the Mcp-Method and Mcp-Name headers that every MCP
-- 2026-07-28 request carries (the stateless era's routing headers; the server refuses a request without them).
-- They go into the precomputed pool like the rest, so they cost nothing per request either.

local prefix = os.getenv("BENCH_BODY_PREFIX") or ""
local suffix = os.getenv("BENCH_BODY_SUFFIX") or ""
local session = os.getenv("BENCH_SESSION_ID") or ""
local version = os.getenv("BENCH_PROTOCOL_VERSION") or ""
local mcp_method = os.getenv("BENCH_MCP_METHOD") or ""
local mcp_name = os.getenv("BENCH_MCP_NAME") or ""
local pool = {}
local size = 10000
local n = 0

function init(args)
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["Accept"] = "application/json, text/event-stream"
  if session ~= "" then headers["Mcp-Session-Id"] = session end
  if version ~= "" then headers["MCP-Protocol-Version"] = version end
  if mcp_method ~= "" then headers["Mcp-Method"] = mcp_method end
  if mcp_name ~= "" then headers["Mcp-Name"] = mcp_name end
  for i = 1, size do
    pool[i] = wrk.format("POST", nil, headers, prefix .. i .. suffix)
  end
end

function request()
  n = n + 1
  if n > size then n = 1 end
  return pool[n]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"max":%d,"p50":%d,"p90":%d,"p95":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency:percentile(99.9)))
end
