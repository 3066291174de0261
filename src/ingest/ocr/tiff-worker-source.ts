/**
 * Decodes TIFF pages to PNG in a worker thread: utif2 unpacks pixels synchronously (hundreds of
 * milliseconds for a 300 dpi page), which must not happen on the application's event loop. Plain
 * source run with `eval: true` like the PDF worker; the module paths come in workerData.
 * Messages: { index } asks for a page, answered by { index, png } or { index, error }.
 */
export const TIFF_WORKER_SOURCE = `
const threads = typeof require === 'function' ? require('node:worker_threads') : process.getBuiltinModule('node:worker_threads');
const moduleApi = typeof require === 'function' ? require('node:module') : process.getBuiltinModule('node:module');
const { parentPort, workerData } = threads;
const load = moduleApi.createRequire(workerData.utifPath);
const UTIF = load(workerData.utifPath);
const canvasLib = load(workerData.canvasPath);
const data = workerData.bytes.buffer.slice(workerData.bytes.byteOffset, workerData.bytes.byteOffset + workerData.bytes.byteLength);
const pages = workerData.pages;
const directories = UTIF.decode(data);

async function render(index) {
  const ifd = directories[pages[index]];
  UTIF.decodeImage(data, ifd);
  const rgba = UTIF.toRGBA8(ifd);
  const canvas = canvasLib.createCanvas(ifd.width, ifd.height);
  const pixels = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, ifd.width * ifd.height * 4);
  canvas.getContext('2d').putImageData(new canvasLib.ImageData(pixels, ifd.width, ifd.height), 0, 0);
  // Free the decoded pixels before the next page.
  ifd.data = undefined;
  return new Uint8Array(await canvas.encode('png'));
}

parentPort.on('message', ({ index }) => {
  render(index).then(
    (png) => parentPort.postMessage({ index, png }, [png.buffer]),
    (error) => parentPort.postMessage({ index, error: String((error && error.message) || error) }),
  );
});
`;
