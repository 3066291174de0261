import { IngestError, type OcrSettings } from '../types.js';
import { createTesseractWorker, type TesseractBlock, type TesseractWorker } from './tesseract.js';

/** One recognised line of text, in the image's pixels (top-left origin). */
export interface OcrLine {
  text: string;
  /** Tesseract's confidence, 0..100. */
  confidence: number;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  /** Lines with the same number are in one text block (a column or region) of Tesseract's layout. */
  block: number;
}

/** A worker that has been idle this long is terminated; the next image starts a new one (~0.2–0.4 s). */
const IDLE_MS = 30_000;
/** Lines read with less confidence than this are noise (speckles, photos), not text. */
const MIN_LINE_CONFIDENCE = 40;

/**
 * One tesseract.js worker per language setup, shared by every parse: images and scanned pages queue
 * on it one at a time, because recognition is CPU-bound and a second worker would only compete
 * for the same cores. The worker thread holds the process open only while a page is being read.
 */
class SharedOcrWorker {
  private worker: Promise<RunningWorker> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly settings: OcrSettings) {}

  recognise(image: Uint8Array, signal?: AbortSignal): Promise<OcrLine[]> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.pending++;
    clearTimeout(this.idleTimer);
    const job = this.queue.then(async () => {
      // A parse aborted while waiting for its turn does not cost a recognition.
      signal?.throwIfAborted();
      const { tesseract, died } = await this.start();
      tesseract.worker?.ref?.();
      try {
        const reading = tesseract.recognize(image, {}, { text: true, blocks: true });
        reading.catch(() => {});
        const { data } = await Promise.race([reading, died]);
        return toLines(data.blocks ?? []);
      } catch (error) {
        if (error instanceof IngestError) throw error;
        // tesseract.js rejects with plain strings ("Error: Error attempting to read image.").
        const detail = String(error instanceof Error ? error.message : error).replace(/^Error: /, '');
        throw new IngestError(`OCR could not read the image: ${detail}`, { cause: error });
      } finally {
        tesseract.worker?.unref?.();
      }
    });
    const settled = job.finally(() => {
      this.pending--;
      if (this.pending === 0) this.scheduleIdleStop();
    });
    this.queue = settled.catch(() => {});
    return signal ? abortable(settled, signal) : settled;
  }

  private start(): Promise<RunningWorker> {
    if (!this.worker) {
      const started = createTesseractWorker(this.settings).then((tesseract) => this.watch(tesseract));
      this.worker = started;
      // A failed start must not stick: the user may install the data and try again.
      started.catch(() => {
        if (this.worker === started) this.worker = null;
      });
    }
    return this.worker;
  }

  /**
   * tesseract.js does not listen for its thread dying (out of memory in the WebAssembly heap): the
   * page being read would wait for ever and the thread's error would be uncaught. Listening here
   * fails that page and lets the next one start a fresh worker.
   */
  private watch(tesseract: TesseractWorker): RunningWorker {
    const thread = tesseract.worker;
    thread?.unref?.();
    let fail: (error: Error) => void = () => {};
    const died = new Promise<never>((_, reject) => (fail = reject));
    died.catch(() => {});
    const running: RunningWorker = { tesseract, died, stopping: false };
    const onDeath = (reason: string): void => {
      if (running.stopping) return;
      running.stopping = true;
      const current = this.worker;
      void current?.then((w) => {
        if (w === running && this.worker === current) this.worker = null;
      }, () => {});
      fail(new IngestError(`OCR stopped unexpectedly: ${reason}`));
    };
    thread?.on?.('error', (error) => onDeath(error instanceof Error ? error.message : String(error)));
    thread?.on?.('exit', (code) => onDeath(`its thread exited with code ${String(code)}`));
    return running;
  }

  private scheduleIdleStop(): void {
    this.idleTimer = setTimeout(() => void this.stop(), IDLE_MS);
    this.idleTimer.unref();
  }

  /** Terminates the worker once the queued pages are done. */
  async stop(): Promise<void> {
    clearTimeout(this.idleTimer);
    await this.queue;
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const started = await worker.catch(() => null);
    if (!started) return;
    started.stopping = true;
    await started.tesseract.terminate().catch(() => {});
  }
}

interface RunningWorker {
  tesseract: TesseractWorker;
  /** Rejects if the worker thread dies while in use. */
  died: Promise<never>;
  /** Set while we terminate it ourselves, when its exit is expected. */
  stopping: boolean;
}

/** The abort wins the race at once; the page already being read finishes in the background. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function toLines(blocks: readonly TesseractBlock[]): OcrLine[] {
  const lines: OcrLine[] = [];
  blocks.forEach((block, index) => {
    for (const para of block.paragraphs) {
      for (const line of para.lines) {
        const text = line.text.replace(/\s+/g, ' ').trim();
        if (line.confidence < MIN_LINE_CONFIDENCE || !/[\p{L}\p{N}]/u.test(text)) continue;
        const { x0, y0, x1, y1 } = line.bbox;
        lines.push({ text, confidence: line.confidence, x0, x1, top: y0, bottom: y1, block: index + 1 });
      }
    }
  });
  return lines;
}

const workers = new Map<string, SharedOcrWorker>();

function keyOf(settings: OcrSettings): string {
  return JSON.stringify([settings.langPath, settings.languages]);
}

/** Text lines of one image (PNG, JPEG, TIFF, BMP, WebP bytes), read by the shared worker. */
export function recogniseImage(image: Uint8Array, settings: OcrSettings, signal?: AbortSignal): Promise<OcrLine[]> {
  const key = keyOf(settings);
  let worker = workers.get(key);
  if (!worker) {
    worker = new SharedOcrWorker(settings);
    workers.set(key, worker);
  }
  return worker.recognise(image, signal);
}

/** Terminates every OCR worker (after the pages already queued); later OCR starts new ones. */
export async function shutdownOcr(): Promise<void> {
  const stopping = [...workers.values()];
  workers.clear();
  await Promise.all(stopping.map((w) => w.stop()));
}
