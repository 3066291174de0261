/**
 * The pdf.js side of PDF extraction, run in a worker thread: pdf.js parses fonts and content
 * streams synchronously, for hundreds of milliseconds on a page with large embedded (e.g. CJK)
 * fonts, which must not happen on the application's event loop. It is plain source started with
 * `eval: true`, so it needs no separate file in the published package; it runs as CommonJS, or as a
 * module when the host forces ES modules for eval code (hence `require` only after a check).
 * Several documents can be in flight; each message carries its job id.
 */
export const PDF_WORKER_SOURCE = `
const threads = typeof require === 'function' ? require('node:worker_threads') : process.getBuiltinModule('node:worker_threads');
const { parentPort, workerData } = threads;
let pdfjs;
const cancelled = new Set();

function plainItems(items) {
  const out = [];
  for (const it of items) {
    if (typeof it.str !== 'string') continue;
    out.push({ str: it.str, dir: it.dir, transform: it.transform, width: it.width, height: it.height, fontName: it.fontName });
  }
  return out;
}

function plainStyles(styles) {
  const out = {};
  for (const key of Object.keys(styles)) out[key] = { ascent: styles[key].ascent, descent: styles[key].descent };
  return out;
}

async function run(id, data, options) {
  let task;
  let page = 0;
  try {
    pdfjs = pdfjs || (await import(workerData.pdfjsUrl));
  } catch (error) {
    parentPort.postMessage({ id, type: 'error', name: 'PdfWorkerSetupError', message: String(error && error.message) });
    return;
  }
  try {
    task = pdfjs.getDocument(Object.assign({ data }, options));
    const doc = await task.promise;
    parentPort.postMessage({ id, type: 'document', numPages: doc.numPages });
    for (page = 1; page <= doc.numPages; page++) {
      if (cancelled.has(id)) return;
      const proxy = await doc.getPage(page);
      const viewport = proxy.getViewport({ scale: 1 });
      // Normalisation off: pdf.js would expand ligatures before reversing right-to-left text and so
      // scramble them; the parser folds them afterwards.
      const content = await proxy.getTextContent({ disableNormalization: true });
      parentPort.postMessage({
        id, type: 'page', page,
        items: plainItems(content.items), styles: plainStyles(content.styles),
        transform: viewport.transform, height: viewport.height,
      });
      proxy.cleanup();
    }
    parentPort.postMessage({ id, type: 'done' });
  } catch (error) {
    const name = error && error.name ? String(error.name) : 'Error';
    const message = error && error.message ? String(error.message) : String(error);
    parentPort.postMessage({ id, type: 'error', name, message, page: page || undefined });
  } finally {
    cancelled.delete(id);
    if (task) await task.destroy().catch(() => {});
  }
}

parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (msg) => {
  if (msg.type === 'cancel') cancelled.add(msg.id);
  else if (msg.type === 'extract') run(msg.id, msg.data, msg.options);
});
`;
