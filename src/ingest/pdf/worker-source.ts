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
let canvasLib;
const cancelled = new Set();
// Rendered scans waiting to be OCR'd, per job: rendering stops this far ahead of the reader so a
// long scanned document is not held in memory as PNGs.
const SCANS_AHEAD = 2;
const scansAhead = new Map();
// A poster-sized page at the requested resolution would need a huge canvas; beyond this it is
// rendered at a lower one.
const MAX_SCAN_PIXELS = 40e6;

function textChars(items) {
  let n = 0;
  for (const it of items) n += it.str.replace(/\s+/g, '').length;
  return n;
}

function loadCanvas() {
  if (canvasLib === undefined) {
    const mod = typeof require === 'function' ? require('node:module') : process.getBuiltinModule('node:module');
    // pdf.js draws with @napi-rs/canvas (its optional dependency), so resolve it from there.
    try { canvasLib = mod.createRequire(workerData.pdfjsUrl)('@napi-rs/canvas'); } catch (error) { canvasLib = String(error && error.message); }
  }
  return canvasLib;
}

function waitForRoom(id) {
  const state = scansAhead.get(id);
  if (!state || state.count < SCANS_AHEAD || cancelled.has(id)) return undefined;
  return new Promise((resolve) => { state.wake = resolve; });
}

function scanConsumed(id) {
  const state = scansAhead.get(id);
  if (!state) return;
  state.count--;
  if (state.wake) { state.wake(); state.wake = undefined; }
}

async function hasImage(proxy) {
  const OPS = pdfjs.OPS;
  const painters = new Set([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageXObjectRepeat,
    OPS.paintInlineImageXObjectGroup, OPS.paintImageMaskXObject, OPS.paintImageMaskXObjectGroup, OPS.paintImageMaskXObjectRepeat]);
  const list = await proxy.getOperatorList();
  return list.fnArray.some((fn) => painters.has(fn));
}

/** A page without a text layer but with an image: flagged, and rendered to PNG when asked. */
async function scanOf(id, proxy, items, scan, transfer) {
  if (!scan || textChars(items) >= scan.maxChars || !(await hasImage(proxy))) return undefined;
  const base = proxy.getViewport({ scale: 1 });
  let scale = scan.dpi / 72;
  const pixels = base.width * base.height * scale * scale;
  if (pixels > MAX_SCAN_PIXELS) scale *= Math.sqrt(MAX_SCAN_PIXELS / pixels);
  if (!scan.render) return { pointsPerPixel: 1 / scale };
  const lib = loadCanvas();
  if (typeof lib === 'string') return { pointsPerPixel: 1 / scale, renderError: 'the page could not be rendered (@napi-rs/canvas: ' + lib + ')' };
  await waitForRoom(id);
  if (cancelled.has(id)) return { pointsPerPixel: 1 / scale };
  const viewport = proxy.getViewport({ scale });
  const canvas = lib.createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  await proxy.render({ canvasContext: context, viewport }).promise;
  const png = new Uint8Array(await canvas.encode('png'));
  const state = scansAhead.get(id) || { count: 0 };
  state.count++;
  scansAhead.set(id, state);
  transfer.push(png.buffer);
  return { png, pointsPerPixel: 1 / scale };
}

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

async function run(id, data, options, scan) {
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
      const items = plainItems(content.items);
      const transfer = [];
      const scanned = await scanOf(id, proxy, items, scan, transfer);
      if (cancelled.has(id)) return;
      parentPort.postMessage({
        id, type: 'page', page,
        items, styles: plainStyles(content.styles),
        transform: viewport.transform, height: viewport.height,
        ...(scanned && { scan: scanned }),
      }, transfer);
      proxy.cleanup();
    }
    parentPort.postMessage({ id, type: 'done' });
  } catch (error) {
    const name = error && error.name ? String(error.name) : 'Error';
    const message = error && error.message ? String(error.message) : String(error);
    parentPort.postMessage({ id, type: 'error', name, message, page: page || undefined });
  } finally {
    cancelled.delete(id);
    scansAhead.delete(id);
    if (task) await task.destroy().catch(() => {});
  }
}

parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (msg) => {
  if (msg.type === 'cancel') {
    cancelled.add(msg.id);
    const state = scansAhead.get(msg.id);
    if (state && state.wake) state.wake();
  } else if (msg.type === 'scan-consumed') scanConsumed(msg.id);
  else if (msg.type === 'extract') run(msg.id, msg.data, msg.options, msg.scan);
});
`;
