import { describe, it, expect } from 'vitest';
import ExcelJS from 'exceljs';
import * as XLSX from '@e965/xlsx';
import { spreadsheetParser } from '../../src/ingest/parsers/spreadsheet.js';
import { IngestError, type Section } from '../../src/ingest/types.js';
import { readInline } from '../../src/ingest/spreadsheet/read-inline.js';
import type { SheetEvent } from '../../src/ingest/spreadsheet/events.js';

type TableSection = Extract<Section, { kind: 'table' }>;

async function xlsxBytes(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function parseTables(bytes: Uint8Array, fileName = 'book.xlsx'): Promise<TableSection[]> {
  const parsed = await spreadsheetParser.parse(bytes, { fileName });
  return parsed.sections.filter((s): s is TableSection => s.kind === 'table');
}

/** A workbook with typed cells, a blank row, a merged cell, an empty sheet and a second sheet. */
function typedWorkbook(wb: ExcelJS.Workbook): void {
  const prices = wb.addWorksheet('Prices');
  prices.addRow(['name', 'price', 'bought', 'in stock', 'double', 'discount', 'at']);
  prices.addRow(['tea', 0.1 + 0.2, new Date(Date.UTC(2024, 2, 1)), true, { formula: 'B2*2', result: 0.6000000000000001 }, 0.25, new Date(Date.UTC(2024, 2, 1, 14, 30))]);
  prices.getCell('F2').numFmt = '0%';
  prices.addRow([]);
  prices.addRow(['coffee', 3, new Date(Date.UTC(2023, 11, 31)), false, { formula: 'B4*2', result: 6 }]);
  prices.mergeCells('A5:B5');
  prices.getCell('A5').value = 'merged';
  wb.addWorksheet('Empty');
  const people = wb.addWorksheet('People');
  people.getCell('B3').value = 'who';
  people.getCell('C3').value = 'age';
  people.getCell('B4').value = 'Ada';
  people.getCell('C4').value = 36;
  people.getCell('D4').value = { error: '#N/A' };
}

describe('spreadsheet parser', () => {
  it('reads every non-empty sheet in order with typed cells and true row numbers', async () => {
    const progress: string[] = [];
    const parsed = await spreadsheetParser.parse(await xlsxBytes(typedWorkbook), { fileName: 'book.xlsx', onProgress: (_f, message) => message && progress.push(message) });
    const [prices, people, ...rest] = parsed.sections as TableSection[];
    expect(rest).toEqual([]);
    expect(progress).toEqual(['Sheet 1/3: 4 rows', 'Sheet 3/3: 2 rows']);
    expect(prices?.source).toEqual({ sheet: 'Prices' });
    expect(prices?.hasHeader).toBe(true);
    expect(prices?.rows).toEqual([
      ['name', 'price', 'bought', 'in stock', 'double', 'discount', 'at'],
      ['tea', '0.3', '2024-03-01', 'TRUE', '0.6', '25%', '2024-03-01T14:30:00'],
      ['coffee', '3', '2023-12-31', 'FALSE', '6', '', ''],
      ['merged', '', '', '', '', '', ''],
    ]);
    expect(prices?.rowNumbers).toEqual([1, 2, 4, 5]);
    expect(prices?.typedRows?.[1]).toEqual(['tea', 0.3, '2024-03-01', true, 0.6, 0.25, '2024-03-01T14:30:00']);
    expect(prices?.typedRows?.[2]).toEqual(['coffee', 3, '2023-12-31', false, 6, null, null]);
    expect(people?.source).toEqual({ sheet: 'People' });
    expect(people?.rows).toEqual([['who', 'age', ''], ['Ada', '36', '#N/A']]);
    expect(people?.rowNumbers).toEqual([3, 4]);
  });

  it('reads the same on the calling thread when no worker thread can start', async () => {
    const bytes = await xlsxBytes(typedWorkbook);
    const inWorker = await parseTables(bytes);
    const events: SheetEvent[] = [];
    for await (const event of readInline(bytes)) events.push(event);
    const rows = events.flatMap((e) => (e.type === 'rows' ? e.rows : []));
    expect(rows).toEqual(inWorker.flatMap((t) => t.rows));
    expect(events.filter((e) => e.type === 'sheet').map((e) => e.type === 'sheet' && e.name)).toEqual(['Prices', 'Empty', 'People']);
  });

  it('reads a legacy .xls (BIFF8) and an OpenDocument .ods with their dates', async () => {
    const wb = XLSX.utils.book_new();
    const sheet = XLSX.utils.aoa_to_sheet([['item', 'count', 'due', 'paid'], ['bolts', 12, 0, false]]);
    // Dates as Excel serial numbers with a date format, so the fixture does not depend on the time zone.
    sheet['C2'] = { t: 'n', v: 45296, z: 'm/d/yy' };
    XLSX.utils.book_append_sheet(wb, sheet, 'Stock');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['note'], ['hidden lookup']]), 'Lookup');
    wb.Workbook = { Sheets: [{ Hidden: 0 }, { Hidden: 1 }] };
    for (const bookType of ['biff8', 'ods'] as const) {
      const bytes = new Uint8Array(XLSX.write(wb, { bookType, type: 'buffer' }) as Buffer);
      const tables = await parseTables(bytes, bookType === 'ods' ? 'book.ods' : 'book.xls');
      expect(tables.map((t) => t.source?.sheet), bookType).toEqual(['Stock', 'Lookup']);
      expect(tables[0]?.rows, bookType).toEqual([['item', 'count', 'due', 'paid'], ['bolts', '12', '2024-01-05', 'FALSE']]);
      expect(tables[0]?.typedRows?.[1], bookType).toEqual(['bolts', 12, '2024-01-05', false]);
      expect(tables[1]?.rows, bookType).toEqual([['note'], ['hidden lookup']]);
    }
  });

  it('fails with a clear IngestError on a corrupt, encrypted or mislabelled file', async () => {
    const good = await xlsxBytes(typedWorkbook);
    const truncated = good.slice(0, Math.floor(good.length / 2));
    await expect(spreadsheetParser.parse(truncated, { fileName: 'cut.xlsx' })).rejects.toThrow(IngestError);
    await expect(spreadsheetParser.parse(truncated, { fileName: 'cut.xlsx' })).rejects.toThrow(/spreadsheet is corrupt or not a workbook/);

    const text = new TextEncoder().encode('name,price\ntea,3\n');
    await expect(spreadsheetParser.parse(text, { fileName: 'renamed.xlsx' })).rejects.toThrow(/not a spreadsheet/);

    // A ZIP package that is no workbook: a Word document renamed .xlsx.
    const { Document, Packer, Paragraph } = await import('docx');
    const docx = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('hello')] }] })));
    await expect(spreadsheetParser.parse(docx, { fileName: 'letter.xlsx' })).rejects.toThrow(/spreadsheet is corrupt or not a workbook/);

    // What Office writes for a password-protected workbook: an OLE file holding EncryptionInfo and EncryptedPackage.
    const cfb = XLSX.CFB.utils.cfb_new();
    const agile = '<?xml version="1.0"?><encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>';
    XLSX.CFB.utils.cfb_add(cfb, '/EncryptionInfo', Buffer.concat([Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]), Buffer.from(agile)]));
    XLSX.CFB.utils.cfb_add(cfb, '/EncryptedPackage', Buffer.alloc(64, 1));
    const encrypted = new Uint8Array(XLSX.CFB.write(cfb, { type: 'buffer' }) as Buffer);
    await expect(spreadsheetParser.parse(encrypted, { fileName: 'secret.xlsx' })).rejects.toThrow(/encrypted \(password protected\)/);
  });

  it('stops at once when aborted', async () => {
    const bytes = await xlsxBytes(typedWorkbook);
    const controller = new AbortController();
    const reason = new DOMException('stopped by the test', 'AbortError');
    const parsing = spreadsheetParser.parse(bytes, { fileName: 'book.xlsx', signal: controller.signal });
    controller.abort(reason);
    await expect(parsing).rejects.toBe(reason);
    const aborted = AbortSignal.abort(reason);
    await expect(spreadsheetParser.parse(bytes, { fileName: 'book.xlsx', signal: aborted })).rejects.toBe(reason);
  });

  it('reads a 50,000-row workbook without holding the event loop', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Orders');
    sheet.addRow(['order', 'customer', 'city', 'product', 'quantity', 'price', 'date', 'paid']);
    for (let i = 1; i <= 50_000; i++) {
      sheet.addRow([i, `customer ${i % 977}`, `city ${i % 53}`, `product ${i % 211}`, i % 17, (i % 1000) / 8, new Date(Date.UTC(2024, 0, 1 + (i % 365))), i % 3 === 0]);
    }
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());

    const progress: string[] = [];
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const parseMeasured = async (): Promise<{ tables: TableSection[]; worst: number }> => {
      let worst = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 5);
      try {
        const parsed = await spreadsheetParser.parse(bytes, { fileName: 'orders.xlsx', onProgress: (_f, message) => message && progress.push(message) });
        return { tables: parsed.sections as TableSection[], worst };
      } finally {
        clearInterval(timer);
      }
    };
    const started = performance.now();
    const first = await parseMeasured();
    const elapsed = performance.now() - started;
    const { tables } = first;
    // The machine is shared: the better of two runs keeps other processes' load out of the measure.
    const maxGap = Math.min(first.worst, (await parseMeasured()).worst);
    const mib = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MiB`;
    console.log(`50k x 8 workbook: ${elapsed.toFixed(0)} ms, max event-loop gap ${maxGap.toFixed(1)} ms, RSS ${mib(baseRss)} before, ${mib(peakRss)} peak`);
    expect(tables).toHaveLength(1);
    expect(tables[0]?.rows).toHaveLength(50_001);
    expect(tables[0]?.rowNumbers?.at(-1)).toBe(50_001);
    expect(tables[0]?.rows[50_000]).toEqual(['50000', 'customer 173', 'city 21', 'product 204', '3', '0', '2024-12-26', 'FALSE']);
    expect(progress.at(-1)).toBe('Sheet 1/1: 50001 rows');
    expect(maxGap).toBeLessThan(150);
  }, 60_000);
});
