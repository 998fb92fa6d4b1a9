/**
 * The in-memory spreadsheet behind the fake Sheets server: tabs of typed cells, A1 ranges, and the v4 value
 * semantics the drain depends on (RAW vs USER_ENTERED, null skips a cell, grid limits, append after the table).
 */

export type Cell =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'formula'; value: string };

export interface Tab {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
  frozenRowCount: number;
  protectedRanges: { description?: string; warningOnly?: boolean }[];
  /** rows[r][c], 0-based; missing means empty. */
  rows: (Cell | undefined)[][];
}

/** A parsed A1 range; bounds are 1-based and inclusive, undefined means open-ended. */
export interface A1Range {
  tab: string;
  startRow?: number;
  endRow?: number;
  startCol?: number;
  endCol?: number;
}

/** Google's answer to a bad request: HTTP status, canonical status and message. */
export class GridError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

const CELL_LIMIT = 50_000;

export function parseA1(range: string): A1Range {
  let tab: string;
  let rest: string;
  if (range.startsWith("'")) {
    let i = 1;
    let name = '';
    for (; i < range.length; i++) {
      if (range[i] === "'" && range[i + 1] === "'") {
        name += "'";
        i++;
      } else if (range[i] === "'") break;
      else name += range[i];
    }
    tab = name;
    rest = range.slice(i + 1);
  } else {
    const bang = range.lastIndexOf('!');
    tab = bang === -1 ? range : range.slice(0, bang);
    rest = bang === -1 ? '' : range.slice(bang);
  }
  if (rest === '') return { tab };
  const match = /^!([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?$/.exec(rest);
  if (!match) throw new GridError(400, 'INVALID_ARGUMENT', `Unable to parse range: ${range}`);
  const [, c1 = '', r1 = '', c2, r2] = match;
  const col = (letters: string | undefined) => (letters ? columnNumber(letters) : undefined);
  const row = (digits: string | undefined) => (digits ? Number(digits) : undefined);
  const single = c2 === undefined && r2 === undefined;
  return {
    tab,
    startCol: col(c1),
    startRow: row(r1),
    endCol: single ? col(c1) : col(c2),
    endRow: single ? row(r1) : row(r2),
  };
}

function columnNumber(letters: string): number {
  return [...letters].reduce((n, ch) => n * 26 + (ch.charCodeAt(0) - 64), 0);
}

function columnLetters(column: number): string {
  let s = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function formatRange(
  tab: string,
  startCol: number,
  startRow: number,
  endCol: number,
  endRow: number,
): string {
  const name = /^[A-Za-z0-9_]+$/.test(tab) ? tab : `'${tab.replace(/'/g, "''")}'`;
  return `${name}!${columnLetters(startCol)}${startRow}:${columnLetters(endCol)}${endRow}`;
}

export type InputOption = 'RAW' | 'USER_ENTERED';

export class Spreadsheet {
  readonly tabs = new Map<string, Tab>();

  constructor(readonly spreadsheetId: string) {}

  tab(title: string): Tab {
    const tab = this.tabs.get(title);
    if (!tab) throw new GridError(400, 'INVALID_ARGUMENT', `Unable to parse range: ${title}`);
    return tab;
  }

  addTab(props: {
    sheetId?: number;
    title: string;
    rowCount?: number;
    columnCount?: number;
    frozenRowCount?: number;
  }) {
    if (this.tabs.has(props.title)) {
      throw new GridError(400, 'INVALID_ARGUMENT', `A sheet with the name "${props.title}" already exists.`);
    }
    if (props.sheetId !== undefined && [...this.tabs.values()].some((t) => t.sheetId === props.sheetId)) {
      throw new GridError(400, 'INVALID_ARGUMENT', `A sheet with the id ${props.sheetId} already exists.`);
    }
    const tab: Tab = {
      sheetId: props.sheetId ?? Math.floor(Math.random() * 2 ** 30),
      title: props.title,
      rowCount: props.rowCount ?? 1_000,
      columnCount: props.columnCount ?? 26,
      frozenRowCount: props.frozenRowCount ?? 0,
      protectedRanges: [],
      rows: [],
    };
    this.tabs.set(tab.title, tab);
    return tab;
  }

  tabById(sheetId: number): Tab {
    const tab = [...this.tabs.values()].find((t) => t.sheetId === sheetId);
    if (!tab) throw new GridError(400, 'INVALID_ARGUMENT', `No grid with id: ${sheetId}`);
    return tab;
  }

  /** Runs `change`; if it throws, the spreadsheet is as it was before (cells are never mutated, only replaced). */
  atomically<T>(change: () => T): T {
    const before = [...this.tabs.values()].map((tab) => ({
      tab,
      copy: { ...tab, rows: tab.rows.map((r) => r?.slice()), protectedRanges: [...tab.protectedRanges] },
    }));
    try {
      return change();
    } catch (err) {
      this.tabs.clear();
      for (const { tab, copy } of before) this.tabs.set(tab.title, Object.assign(tab, copy));
      throw err;
    }
  }

  /** values.get with FORMATTED_VALUE: trailing empty rows and cells are left out, as Google does. */
  get(range: string): string[][] {
    const r = parseA1(range);
    const tab = this.tab(r.tab);
    const startRow = r.startRow ?? 1;
    const endRow = Math.min(r.endRow ?? tab.rowCount, tab.rowCount);
    const startCol = r.startCol ?? 1;
    const endCol = Math.min(r.endCol ?? tab.columnCount, tab.columnCount);
    const out: string[][] = [];
    for (let row = startRow; row <= endRow; row++) {
      const cells: string[] = [];
      for (let col = startCol; col <= endCol; col++) cells.push(format(tab.rows[row - 1]?.[col - 1]));
      while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
      out.push(cells);
    }
    while (out.length > 0 && out[out.length - 1]!.length === 0) out.pop();
    return out;
  }

  /** values.update: writes from the range's top-left; refuses to write outside the grid. */
  update(range: string, values: unknown[][], input: InputOption): string {
    const r = parseA1(range);
    const tab = this.tab(r.tab);
    return this.write(tab, r.startRow ?? 1, r.startCol ?? 1, values, input, false);
  }

  /** values.append: after the last row holding data in the range's columns; grows the grid as needed. */
  append(range: string, values: unknown[][], input: InputOption): string {
    const r = parseA1(range);
    const tab = this.tab(r.tab);
    const startCol = r.startCol ?? 1;
    const endCol = r.endCol ?? tab.columnCount;
    let last = 0;
    tab.rows.forEach((cells, index) => {
      if (cells.slice(startCol - 1, endCol).some((c) => c !== undefined)) last = index + 1;
    });
    return this.write(tab, Math.max(last + 1, r.startRow ?? 1), startCol, values, input, true);
  }

  private write(
    tab: Tab,
    startRow: number,
    startCol: number,
    values: unknown[][],
    input: InputOption,
    grow: boolean,
  ) {
    const width = Math.max(1, ...values.map((v) => v.length));
    const endRow = startRow + values.length - 1;
    const endCol = startCol + width - 1;
    if (endCol > tab.columnCount || (!grow && endRow > tab.rowCount)) {
      throw new GridError(
        400,
        'INVALID_ARGUMENT',
        `Range (${formatRange(tab.title, startCol, startRow, endCol, endRow)}) exceeds grid limits. Max rows: ${tab.rowCount}, max columns: ${tab.columnCount}`,
      );
    }
    const converted = values.map((row) => row.map((v) => toCell(v, input)));
    converted.forEach((cells, i) => {
      const target = (tab.rows[startRow - 1 + i] ??= []);
      cells.forEach((cell, j) => {
        if (cell !== 'skip') target[startCol - 1 + j] = cell;
      });
    });
    tab.rowCount = Math.max(tab.rowCount, endRow);
    return formatRange(tab.title, startCol, startRow, endCol, endRow);
  }
}

/** Input value → cell. null skips the cell; '' clears it. */
function toCell(value: unknown, input: InputOption): Cell | undefined | 'skip' {
  if (value === null || value === undefined) return 'skip';
  if (typeof value === 'boolean') return { kind: 'bool', value };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value !== 'string')
    throw new GridError(400, 'INVALID_ARGUMENT', `Invalid value: ${JSON.stringify(value)}`);
  if (value.length > CELL_LIMIT) {
    throw new GridError(
      400,
      'INVALID_ARGUMENT',
      `Your input contains more than the maximum of ${CELL_LIMIT} characters in a single cell.`,
    );
  }
  if (value === '') return undefined;
  if (input === 'USER_ENTERED') {
    if (value.startsWith('=')) return { kind: 'formula', value };
    if (/^[+-]?\d+(\.\d+)?$/.test(value)) return { kind: 'number', value: Number(value) };
    if (/^(true|false)$/i.test(value)) return { kind: 'bool', value: value.toLowerCase() === 'true' };
  }
  return { kind: 'string', value };
}

function format(cell: Cell | undefined): string {
  if (!cell) return '';
  if (cell.kind === 'bool') return cell.value ? 'TRUE' : 'FALSE';
  if (cell.kind === 'formula') return '#FORMULA';
  return String(cell.value);
}
