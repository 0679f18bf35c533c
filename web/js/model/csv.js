// Data the user pastes or drops: CSV text with two numeric columns (x, y:
// regression) or three (x1, x2, label: classification), header optional.
// The page reads it itself so that a mistake is named at once under the
// field, in the server's own words (internal/data's ParseCSV), and so that
// small data can travel in the link as points.

/** CSV_MIN_ROWS and CSV_MAX_ROWS bound the data rows, as the server's data.MinRows and data.MaxRows. */
export const CSV_MIN_ROWS = 2;
export const CSV_MAX_ROWS = 10000;

/** CSVError is a problem at a row (the text's line, from 1, header included) and column (from 1; 0 for the whole row). */
export class CSVError extends Error {
  constructor(row, column, message) {
    super(row ? (column ? `row ${row}, column ${column}: ${message}` : `row ${row}: ${message}`) : message);
    this.row = row;
    this.column = column;
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function number(field) {
  const t = field.trim();
  if (!NUMBER.test(t)) return null;
  return Number(t);
}

/**
 * parseCSV reads the text into {task, columns, points}: points are rows
 * [x, y] or [x1, x2, label]. It throws CSVError naming the row and column.
 * Quoted fields are not needed for numbers and are refused as not numbers.
 */
export function parseCSV(text) {
  const lines = text.split(/\r\n|\n|\r/);
  let cols = 0, columns = null;
  const points = [];
  for (let k = 0; k < lines.length; k++) {
    const line = k + 1;
    if (lines[k].trim() === "") continue;
    const rec = lines[k].split(",");
    if (!cols) {
      cols = rec.length;
      if (cols !== 2 && cols !== 3) {
        throw new CSVError(line, 0, `found ${cols} columns, want 2 (x, y: regression) or 3 (x1, x2, label: classification)`);
      }
      if (rec.some((f) => number(f) === null)) {
        columns = rec.map((f) => f.trim());
        continue;
      }
    }
    if (rec.length !== cols) throw new CSVError(line, 0, `found ${rec.length} columns, want ${cols} as in the first row`);
    if (points.length === CSV_MAX_ROWS) throw new CSVError(line, 0, `more than ${CSV_MAX_ROWS} data rows`);
    const row = rec.map((f, i) => {
      const v = number(f);
      if (v === null) throw new CSVError(line, i + 1, `${JSON.stringify(f.trim())} is not a number`);
      if (!Number.isFinite(v)) throw new CSVError(line, i + 1, `${JSON.stringify(f.trim())} is out of range`);
      return v;
    });
    if (cols === 3 && row[2] !== 0 && row[2] !== 1) throw new CSVError(line, 3, `label must be 0 or 1, got ${row[2]}`);
    points.push(row);
  }
  if (points.length < CSV_MIN_ROWS) throw new CSVError(0, 0, `found ${points.length} data rows, want at least ${CSV_MIN_ROWS}`);
  return { task: cols === 3 ? "classification" : "regression", columns, points };
}
