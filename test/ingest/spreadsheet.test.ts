import { describe, it, expect } from 'vitest';
import ExcelJS from 'exceljs';
import * as XLSX from '@e965/xlsx';
import { spreadsheetParser } from '../../src/ingest/parsers/spreadsheet.js';
import { IngestError, type Section } from '../../src/ingest/types.js';

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
}

describe('spreadsheet parser', () => {
  it('reads every non-empty sheet in order with typed cells and true row numbers', async () => {
    const [prices, people, ...rest] = await parseTables(await xlsxBytes(typedWorkbook));
    expect(rest).toEqual([]);
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
    expect(people?.rows).toEqual([['who', 'age'], ['Ada', '36']]);
    expect(people?.rowNumbers).toEqual([3, 4]);
  });
});
