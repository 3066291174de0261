import { WALK_SOURCE } from './walk-source.js';

/**
 * The worker thread that reads one workbook: SheetJS parses the whole file synchronously (seconds
 * for a 50k-row sheet), which must not happen on the application's event loop. Started with
 * `eval: true`, as CommonJS or as a module when the host forces ES modules for eval code (hence
 * `require` only after a check). It loads SheetJS from the path the main thread resolved, posts
 * `ready`, then answers one `read` message with the walker's events and `done` or `error`.
 */
export const SPREADSHEET_WORKER_SOURCE = `
const threads = typeof require === 'function' ? require('node:worker_threads') : process.getBuiltinModule('node:worker_threads');
const { parentPort, workerData } = threads;
${WALK_SOURCE}

async function loadXlsx() {
  if (typeof require === 'function') return require(workerData.xlsxPath);
  const mod = await import(workerData.xlsxUrl);
  return mod.default || mod;
}

let XLSX;
loadXlsx().then(
  (lib) => {
    XLSX = lib;
    parentPort.postMessage({ type: 'ready' });
  },
  (error) => parentPort.postMessage({ type: 'setup-error', message: String(error && error.message) }),
);

parentPort.on('message', (msg) => {
  if (msg.type !== 'read') return;
  try {
    const walker = openWorkbook(XLSX, msg.data, msg.batchRows);
    for (let event = walker.next(); event !== null; event = walker.next()) parentPort.postMessage(event);
    parentPort.postMessage({ type: 'done' });
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: error && error.message ? String(error.message) : String(error) });
  }
});
`;
