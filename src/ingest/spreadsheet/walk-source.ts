/**
 * The SheetJS side of spreadsheet reading, as plain JavaScript source: it runs inside the worker
 * thread (SPREADSHEET_WORKER_SOURCE) and, when no worker can start, on the calling thread through
 * `new Function`, so both paths share one implementation and the published package needs no
 * separate worker file. It defines `openWorkbook(XLSX, data, batchRows)`, which reads the workbook
 * and returns `next()`: each call gives the next event (`sheet`, `rows`, `sheet-end`) or null at
 * the end. Cells are turned into what a user sees (display strings) and typed values here, so the
 * thread that receives the rows only has to collect them.
 */
export const WALK_SOURCE = String.raw`
var ERROR_TEXT = { 0: '#NULL!', 7: '#DIV/0!', 15: '#VALUE!', 23: '#REF!', 29: '#NAME?', 36: '#NUM!', 42: '#N/A', 43: '#GETTING_DATA' };
var EMPTY = ['', null];

function pad(n, width) {
  var s = String(n);
  while (s.length < width) s = '0' + s;
  return s;
}

// Binary floating point leaves noise such as 0.30000000000000004 that no spreadsheet shows.
function plainNumber(v) {
  return Number(v.toPrecision(15));
}

// Excel serial day numbers as ISO 8601: a date, a date with time, or a bare time of day.
function isoDate(XLSX, serial, date1904) {
  var p = XLSX.SSF.parse_date_code(serial, { date1904: date1904 });
  if (!p) return null;
  var time = pad(p.H, 2) + ':' + pad(p.M, 2) + ':' + pad(p.S, 2);
  if (serial < 1 && !date1904) return time;
  var day = pad(p.y, 4) + '-' + pad(p.m, 2) + '-' + pad(p.d, 2);
  return p.H || p.M || p.S ? day + 'T' + time : day;
}

function isoFromDate(d) {
  var day = pad(d.getUTCFullYear(), 4) + '-' + pad(d.getUTCMonth() + 1, 2) + '-' + pad(d.getUTCDate(), 2);
  var h = d.getUTCHours(), m = d.getUTCMinutes(), s = d.getUTCSeconds();
  return h || m || s ? day + 'T' + pad(h, 2) + ':' + pad(m, 2) + ':' + pad(s, 2) : day;
}

// [display text, typed value]. Formulas arrive as their cached result (cell.v).
function cellValue(XLSX, cell, date1904) {
  if (!cell || cell.v === undefined || cell.v === null) return EMPTY;
  switch (cell.t) {
    case 's': {
      var text = String(cell.v).trim();
      return text ? [text, text] : EMPTY;
    }
    case 'b':
      return [cell.v ? 'TRUE' : 'FALSE', !!cell.v];
    case 'n': {
      var v = cell.v;
      if (typeof v !== 'number' || !isFinite(v)) return [String(v), String(v)];
      if (cell.z && cell.z !== 'General' && XLSX.SSF.is_date(cell.z)) {
        var iso = isoDate(XLSX, v, date1904);
        if (iso) return [iso, iso];
      }
      var n = plainNumber(v);
      // A percentage is shown as one; the typed value stays the fraction a formula would use.
      if (cell.z && String(cell.z).replace(/"[^"]*"/g, '').indexOf('%') >= 0) return [plainNumber(v * 100) + '%', n];
      return [String(n), n];
    }
    // Date cells, for readers that keep them as dates rather than serial numbers.
    case 'd': {
      var date = cell.v instanceof Date ? cell.v : new Date(cell.v);
      if (isNaN(date.getTime())) return EMPTY;
      var s = isoFromDate(date);
      return [s, s];
    }
    case 'e': {
      var err = cell.w || ERROR_TEXT[cell.v] || '#ERROR';
      return [err, err];
    }
    default:
      return EMPTY;
  }
}

function openWorkbook(XLSX, data, batchRows) {
  // Formulas are not needed (their cached results are), nor SheetJS's own formatted text: skipping
  // both makes reading a large sheet markedly faster. Number formats are kept to recognise dates.
  var book = XLSX.read(data, { type: 'array', dense: true, cellNF: true, cellText: false, cellFormula: false, cellHTML: false, cellStyles: false });
  var date1904 = !!(book.Workbook && book.Workbook.WBProps && book.Workbook.WBProps.date1904);
  var names = book.SheetNames.slice();
  var sheetIndex = -1;
  var grid = null, first = 0, last = -1, row = 0, end = 0;

  function startSheet() {
    var sheet = book.Sheets[names[sheetIndex]];
    grid = (sheet && sheet['!data']) || [];
    // The table spans the columns that hold something, whatever the sheet's declared range says.
    first = Infinity;
    last = -1;
    for (var r = 0; r < grid.length; r++) {
      var cells = grid[r];
      if (!cells) continue;
      for (var c = 0; c < cells.length; c++) {
        var cell = cells[c];
        if (!cell || cell.v === undefined || cell.v === null || cell.v === '') continue;
        if (c < first) first = c;
        if (c > last) last = c;
      }
    }
    row = 0;
    end = last < 0 ? 0 : grid.length;
  }

  function next() {
    for (;;) {
      if (grid === null) {
        sheetIndex++;
        if (sheetIndex >= names.length) return null;
        startSheet();
        return { type: 'sheet', index: sheetIndex, count: names.length, name: names[sheetIndex], rowCount: end };
      }
      if (row >= end) {
        grid = null;
        // Let the sheet's cells be collected while the next one is read.
        book.Sheets[names[sheetIndex]] = undefined;
        return { type: 'sheet-end', index: sheetIndex };
      }
      var rows = [], typed = [], numbers = [];
      while (row < end && rows.length < batchRows) {
        var cells = grid[row];
        row++;
        if (!cells) continue;
        var shown = [], values = [], any = false;
        for (var c = first; c <= last; c++) {
          var pair = cellValue(XLSX, cells[c], date1904);
          shown.push(pair[0]);
          values.push(pair[1]);
          if (pair[0]) any = true;
        }
        if (!any) continue;
        rows.push(shown);
        typed.push(values);
        numbers.push(row);
      }
      if (rows.length > 0) return { type: 'rows', index: sheetIndex, rows: rows, typed: typed, numbers: numbers, done: row };
    }
  }

  return { next: next };
}
`;
