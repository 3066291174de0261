/**
 * The worker thread that decodes one large mail: postal-mime works through the message in one
 * synchronous pass (about half a second for a 20 MB mail), which must not happen on the
 * application's event loop. Started with `eval: true`, as CommonJS or as a module when the host
 * forces ES modules for eval code (hence `require` only after a check). It loads postal-mime from
 * the path the main thread resolved, posts `ready`, then answers one `parse` message with `email`
 * (the attachments' buffers transferred) and `done`, or `error`.
 */
export const MIME_WORKER_SOURCE = `
const threads = typeof require === 'function' ? require('node:worker_threads') : process.getBuiltinModule('node:worker_threads');
const { parentPort, workerData } = threads;

async function loadPostalMime() {
  const mod = typeof require === 'function' ? require(workerData.modulePath) : await import(workerData.moduleUrl);
  return mod.default || mod;
}

let PostalMime;
loadPostalMime().then(
  (lib) => {
    PostalMime = lib;
    parentPort.postMessage({ type: 'ready' });
  },
  (error) => parentPort.postMessage({ type: 'setup-error', message: String(error && error.message) }),
);

parentPort.on('message', async (msg) => {
  if (msg.type !== 'parse') return;
  try {
    const email = await PostalMime.parse(msg.data, msg.options);
    const transfer = [];
    for (const a of email.attachments) {
      const buffer = a.content && a.content.buffer ? a.content.buffer : a.content;
      if (buffer instanceof ArrayBuffer && !transfer.includes(buffer)) transfer.push(buffer);
    }
    parentPort.postMessage({ type: 'email', email }, transfer);
    parentPort.postMessage({ type: 'done' });
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: error && error.message ? String(error.message) : String(error) });
  }
});
`;
