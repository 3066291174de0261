import { childElements, firstChild, type XmlNode } from '../docx/xml.js';
import { textBodyText } from './text.js';

export interface SlideTable {
  rows: string[][];
  hasHeader: boolean;
}

/**
 * An a:tbl as rows of cell text. Cells covered by a merge (hMerge/vMerge continuations, which
 * PowerPoint writes as empty cells) repeat the merged cell's text, so every row reads whole on its own.
 */
export function readTable(table: XmlNode): SlideTable {
  const rows: string[][] = [];
  for (const row of childElements(table, 'a:tr')) {
    const above = rows[rows.length - 1];
    const cells: string[] = [];
    for (const cell of childElements(row, 'a:tc')) {
      const column = cells.length;
      const attribs = cell.attribs ?? {};
      if (isOn(attribs.hMerge) && column > 0) cells.push(cells[column - 1] ?? '');
      else if (isOn(attribs.vMerge) && above) cells.push(above[column] ?? '');
      else cells.push(textBodyText(firstChild(cell, 'a:txBody')));
    }
    rows.push(cells);
  }
  // The spec's default for firstRow is off, and PowerPoint omits it when the header row is turned
  // off; but the first row of a slide table is nearly always its header (and generators such as
  // pptxgenjs write no table properties at all), so only an explicit firstRow="0" says otherwise.
  const properties = firstChild(table, 'a:tblPr')?.attribs ?? {};
  return { rows, hasHeader: properties.firstRow === undefined || isOn(properties.firstRow) };
}

function isOn(value: string | undefined): boolean {
  return value === '1' || value === 'true';
}
