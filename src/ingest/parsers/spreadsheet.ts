import type { ChunkFieldValue } from '../../types.js';
import type { ParsedFile, ParseContext, Parser, Section } from '../types.js';
import { IngestError } from '../types.js';
import { isOleCompoundFile, isZip } from '../detect.js';
import { WorkbookReadError, WorkerSetupError, type SheetEvent } from '../spreadsheet/events.js';
import { readInWorker } from '../spreadsheet/read-worker.js';
import { readInline } from '../spreadsheet/read-inline.js';
import { xlsxModule } from '../spreadsheet/xlsx-module.js';
import { Yielder } from '../../util/yield.js';

const ENCRYPTED_MESSAGE = 'The spreadsheet is encrypted (password protected); remove the password and upload it again.';
const NOT_A_WORKBOOK = 'The file is not a spreadsheet (neither an Excel/OpenDocument ZIP package nor a legacy .xls file); it may be corrupt or have the wrong extension.';

let workerUsable = true;

/** Sheet events from a worker thread when one can start, otherwise from this thread. */
async function* readWorkbook(bytes: Uint8Array, signal?: AbortSignal): AsyncGenerator<SheetEvent> {
  const module = xlsxModule();
  if (workerUsable && module) {
    try {
      yield* readInWorker(bytes, module, signal);
      return;
    } catch (error) {
      if (!(error instanceof WorkerSetupError)) throw error;
      workerUsable = false;
    }
  }
  yield* readInline(bytes, signal);
}

function toIngestError(error: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted || error instanceof IngestError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof WorkbookReadError) {
    // SheetJS's words for Office and OpenDocument password protection. ("Unsupported ZIP
    // encryption" is not among them: Office never encrypts the ZIP itself, so it means garbage.)
    if (/password|ODS Encryption|EncryptionInfo|Encrypted file/i.test(detail)) return new IngestError(ENCRYPTED_MESSAGE, { cause: error });
    return new IngestError(`The spreadsheet is corrupt or not a workbook: ${detail}`, { cause: error });
  }
  return new IngestError(`The spreadsheet could not be read: ${detail}`, { cause: error });
}

interface SheetTable {
  name: string;
  rows: string[][];
  typedRows: (ChunkFieldValue | null)[][];
  rowNumbers: number[];
}

/**
 * .xlsx, .xlsm, .xls and .ods through SheetJS: every sheet, in workbook order, becomes one table
 * section whose first row is its header (RAGFlow reads sheets that way). Hidden sheets are read
 * too: their rows are data the workbook holds, and a hidden lookup sheet is often what answers a
 * question. Blank rows are left out but every row keeps the number the sheet gives it; merged
 * cells keep their value in the top-left cell only; empty sheets are skipped.
 */
async function parseSpreadsheet(bytes: Uint8Array, context: ParseContext): Promise<ParsedFile> {
  const { signal } = context;
  signal?.throwIfAborted();
  // SheetJS would read any text as CSV; a workbook is a ZIP package or an OLE compound file.
  if (!isZip(bytes) && !isOleCompoundFile(bytes)) throw new IngestError(NOT_A_WORKBOOK);
  const yielder = new Yielder(signal);
  const sections: Section[] = [];
  let table: SheetTable | undefined;
  let sheetCount = 0;
  let rowCount = 0;
  try {
    for await (const event of readWorkbook(bytes, signal)) {
      if (event.type === 'sheet') {
        table = { name: event.name, rows: [], typedRows: [], rowNumbers: [] };
        sheetCount = event.count;
        rowCount = event.rowCount;
      } else if (event.type === 'rows' && table) {
        for (let i = 0; i < event.rows.length; i++) {
          table.rows.push(event.rows[i] as string[]);
          table.typedRows.push(event.typed[i] as (ChunkFieldValue | null)[]);
          table.rowNumbers.push(event.numbers[i] as number);
        }
        const fraction = (event.index + event.done / Math.max(rowCount, 1)) / sheetCount;
        context.onProgress?.(Math.min(fraction, 1), `Sheet ${event.index + 1}/${sheetCount}: ${table.rows.length} rows`);
        await yielder.tick();
      } else if (event.type === 'sheet-end' && table) {
        if (table.rows.length > 0) {
          const { name, rows, typedRows, rowNumbers } = table;
          sections.push({ kind: 'table', rows, hasHeader: true, rowNumbers, typedRows, source: { sheet: name } });
        }
        table = undefined;
        context.onProgress?.((event.index + 1) / sheetCount);
      }
    }
  } catch (error) {
    throw toIngestError(error, signal);
  }
  return { sections };
}

export const spreadsheetParser: Parser = {
  type: 'spreadsheet',
  parse: parseSpreadsheet,
};
