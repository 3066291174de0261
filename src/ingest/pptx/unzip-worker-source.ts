/**
 * The worker thread that unpacks one large deck: jszip reads the whole archive directory
 * synchronously (tens of milliseconds for a deck of tens of megabytes, more on a busy machine),
 * which must not happen on the application's event loop. Started with `eval: true`, as CommonJS or
 * as a module when the host forces ES modules for eval code (hence `require` only after a check).
 * It loads jszip from the path the main thread resolved, posts `ready`, then answers one `unzip`
 * message with a `part` message per wanted entry and `done`, or with `error`.
 */
export const UNZIP_WORKER_SOURCE = `
const threads = typeof require === 'function' ? require('node:worker_threads') : process.getBuiltinModule('node:worker_threads');
const { parentPort, workerData } = threads;

async function loadJsZip() {
  const mod = typeof require === 'function' ? require(workerData.modulePath) : await import(workerData.moduleUrl);
  return mod.default || mod;
}

const describe = (error) => (error && error.message ? String(error.message) : String(error));

let JSZip;
loadJsZip().then(
  (lib) => {
    JSZip = lib;
    parentPort.postMessage({ type: 'ready' });
  },
  (error) => parentPort.postMessage({ type: 'setup-error', message: describe(error) }),
);

parentPort.on('message', async (msg) => {
  if (msg.type !== 'unzip') return;
  let zip;
  try {
    zip = await JSZip.loadAsync(msg.data);
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: describe(error) });
    return;
  }
  const wanted = new RegExp(msg.pattern);
  for (const file of Object.values(zip.files)) {
    if (file.dir || !wanted.test(file.name)) continue;
    try {
      parentPort.postMessage({ type: 'part', name: file.name, text: await file.async('string') });
    } catch (error) {
      parentPort.postMessage({ type: 'error', part: file.name, message: describe(error) });
      return;
    }
  }
  parentPort.postMessage({ type: 'done' });
});
`;
