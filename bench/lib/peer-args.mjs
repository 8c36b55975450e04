/**
 * The command line every peer server shares: `--port N [--stateless] [--sse] [--many-tools] [--idle-ttl-ms N]`, and
 * erlmcp's `--no-server-info` (no serverInfo in 2026-07-28 results' `_meta`, to measure what it costs), and the raw
 * ceiling's `--modern` (answers in the 2026-07-28 result shape).
 */
import { parseArgs } from 'node:util';

/** Parses a peer's flags; `ready` lines on stdout tell the driver it listens. */
export function peerArgs() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      stateless: { type: 'boolean', default: false },
      sse: { type: 'boolean', default: false },
      'many-tools': { type: 'boolean', default: false },
      'idle-ttl-ms': { type: 'string' },
      'no-server-info': { type: 'boolean', default: false },
      modern: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0) throw new Error('--port must be a positive integer');
  return {
    port,
    stateless: values.stateless,
    sse: values.sse,
    manyTools: values['many-tools'],
    idleTtlMs: values['idle-ttl-ms'] === undefined ? undefined : Number(values['idle-ttl-ms']),
    noServerInfo: values['no-server-info'],
    modern: values.modern,
  };
}

/** Reads a request body into a string, the way express.json() would before handing it to the SDK. */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

/** Memory and GC figures for the driver, over IPC when the peer runs as a forked child. */
export function answerIpc(extra = () => ({})) {
  if (!process.send) return;
  let profiler;
  process.on('message', async (msg) => {
    // A CPU profile of exactly the measured window (bench/macro/profile.mjs), not of start-up or shutdown.
    if (msg?.type === 'profile-start') {
      const { Session } = await import('node:inspector/promises');
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.post('Profiler.start');
      process.send({ type: 'profile-started' });
      return;
    }
    if (msg?.type === 'profile-stop') {
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      const { writeFileSync } = await import('node:fs');
      writeFileSync(msg.file, JSON.stringify(profile));
      process.send({ type: 'profile-stopped' });
      return;
    }
    if (msg?.type !== 'measure') return;
    if (msg.gc && typeof globalThis.gc === 'function') {
      globalThis.gc();
      globalThis.gc();
    }
    const m = process.memoryUsage();
    process.send({ type: 'measured', rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, ...extra() });
  });
}
