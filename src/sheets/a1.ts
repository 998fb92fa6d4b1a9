/** A1 notation helpers for the few ranges the drain uses. */

/** Always quoted, so any tab name works ('' escapes a quote inside the name). */
export function quoteTab(tab: string): string {
  return `'${tab.replace(/'/g, "''")}'`;
}

/** 1 → A, 20 → T, 27 → AA. */
export function columnLetter(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** `'Calls'!A7:T7`: one whole row of the log. */
export function rowRange(tab: string, row: number, columns: number): string {
  return `${quoteTab(tab)}!A${row}:${columnLetter(columns)}${row}`;
}

/**
 * The rows an append wrote, from its `updates.updatedRange` (`Calls!A42:T45`, `'Call log'!A42:T42`, `Calls!A42`).
 * Appended rows are contiguous and in request order, so row i of the request is `first + i`.
 */
export function parseUpdatedRows(updatedRange: string): { first: number; last: number } {
  const match = /!\$?[A-Z]+\$?(\d+)(?::\$?[A-Z]+\$?(\d+))?$/.exec(updatedRange);
  if (!match) throw new Error(`unexpected updatedRange from values.append: ${JSON.stringify(updatedRange)}`);
  const first = Number(match[1]);
  return { first, last: match[2] === undefined ? first : Number(match[2]) };
}
