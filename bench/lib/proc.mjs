/**
 * Processes of a bench run: peers pinned to CPU 0, wrk pinned to CPU 1 (BENCHMARKING.md, "Pin"), and the /proc
 * readings (utime + stime, VmRSS) that give server CPU per request and memory.
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const LUA_SCRIPT = join(BENCH_DIR, 'macro', 'wrk-post.lua');
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** A port free on 127.0.0.1 now (the OS picks it), for a peer to listen on. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Fails with a message naming wrk when it is missing. */
export function requireWrk() {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new Error('wrk is not installed; the bench drives load with it. Install it: apt-get update && apt-get install -y wrk');
  }
  const probeTaskset = spawnSync('taskset', ['--version'], { encoding: 'utf8' });
  if (probeTaskset.error) throw new Error('taskset is not installed (util-linux); the bench pins processes with it');
}

const live = new Set();

/**
 * Starts a peer on CPU 0 and resolves once it prints `ready`. `nodeFlags` go before the script (e.g.
 * --expose-gc, --cpu-prof). The child has an IPC channel for memory readings.
 */
export function startPeer(script, port, flags = [], nodeFlags = [], cwd = BENCH_DIR) {
  const child = spawn('taskset', ['-c', '0', process.execPath, ...nodeFlags, script, '--port', String(port), ...flags], {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} ${flags.join(' ')} did not start within 20 s`)), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready`));
    });
  });
}

/** Stops a peer (SIGTERM, then SIGKILL after 3 s) and resolves once it has exited. */
export function stopPeer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Kills every peer still running: for exits and failures, so no server outlives the run. */
export function killAllPeers() {
  for (const child of live) child.kill('SIGKILL');
}
process.on('exit', killAllPeers);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAllPeers();
    process.exit(130);
  });
}

/** The process's user + system CPU time so far, in microseconds. */
export function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of proc(5) are utime and stime; after the comm field, they are at index 11 and 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

/** The process's resident set, in bytes. */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Asks a peer over IPC for its memory, after two full GCs when it runs with --expose-gc and `gc` is set. */
export function measurePeer(child, gc = true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the peer did not answer a measure request')), 60_000);
    const onMessage = (msg) => {
      if (msg?.type !== 'measured') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(msg);
    };
    child.on('message', onMessage);
    child.send({ type: 'measure', gc });
  });
}

/**
 * The environment `macro/wrk-post.lua` reads for one peer: `request` is a `requestOf` (body, protocol version,
 * extra headers), `sessionId` the session the requests belong to, if any.
 */
export function wrkEnv(request, sessionId) {
  return {
    BENCH_BODY_PREFIX: request.body.prefix,
    BENCH_BODY_SUFFIX: request.body.suffix,
    BENCH_SESSION_ID: sessionId ?? '',
    BENCH_PROTOCOL_VERSION: request.version ?? '',
    BENCH_MCP_METHOD: request.headers['mcp-method'] ?? '',
    BENCH_MCP_NAME: request.headers['mcp-name'] ?? '',
  };
}

/**
 * Runs wrk on CPU 1 for `seconds` against `url` with the Lua script; resolves with its WRK_JSON summary.
 * `env` carries BENCH_BODY_PREFIX/SUFFIX, BENCH_SESSION_ID and BENCH_PROTOCOL_VERSION, and for a 2026-07-28
 * request BENCH_MCP_METHOD and BENCH_MCP_NAME (`wrkEnv` builds it).
 */
export function runWrk(url, env, seconds, connections = 50) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '--latency', '-s', LUA_SCRIPT, url], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', (code) => {
      live.delete(child);
      const line = out.split('\n').find((l) => l.startsWith('WRK_JSON '));
      if (code !== 0 || !line) return reject(new Error(`wrk failed (${code}): ${err || out}`));
      resolve(JSON.parse(line.slice('WRK_JSON '.length)));
    });
  });
}

/** The median of numbers (NaN for none). */
export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
