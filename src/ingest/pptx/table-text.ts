import type { TableLike } from '../table.js';

/**
 * A table as lines of "Header: value; Header: value", one per body row, the way RAGFlow's slide
 * reader writes slide tables: each line reads on its own inside a slide's text, with no markup to
 * mix into it. Empty cells are left out; a table without a header row lists its cells.
 */
export function tableAsLines(table: TableLike): string {
  const [first, ...rest] = table.rows;
  if (!first) return '';
  const header = table.hasHeader && rest.length > 0 ? first : undefined;
  const body = header ? rest : table.rows;
  return body
    .map((row) =>
      row
        .map((cell, column) => {
          const value = cell.replace(/\s+/g, ' ').trim();
          const name = header?.[column]?.replace(/\s+/g, ' ').trim();
          if (!value) return '';
          return name ? `${name}: ${value}` : value;
        })
        .filter((cell) => cell !== '')
        .join('; '),
    )
    .filter((line) => line !== '')
    .join('\n');
}
