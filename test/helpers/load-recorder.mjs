// Records every module this process loads, for tests that check what a configuration never loads (STYLE rule 8):
// ES modules through a resolve hook (module.register), CommonJS ones from require's cache. Use with
// `node --import ./test/helpers/load-recorder.mjs`; read the set with `globalThis.loadedModules()`.
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const esm = new Set();
let flushed;
port1.on('message', (url) => {
  if (url === 'data:text/javascript,export%20default%201') flushed?.();
  else esm.add(url);
});
port1.unref();
register('./load-recorder-hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });

const cjsCache = createRequire(import.meta.url).cache;

/** Every module URL or path loaded so far. */
globalThis.loadedModules = async () => {
  // Hook messages arrive in order: once this import's own message is back, every earlier one is too.
  const done = new Promise((resolve) => (flushed = resolve));
  await import('data:text/javascript,export%20default%201');
  await done;
  return [...esm, ...Object.keys(cjsCache)];
};
