import { columnLetter, parseUpdatedRows, quoteTab, rowRange } from '../../../src/sheets/a1.js';

describe('A1 notation', () => {
  it('quotes every tab name, doubling quotes inside it', () => {
    expect(quoteTab('Calls')).toBe("'Calls'");
    expect(quoteTab("Bob's calls")).toBe("'Bob''s calls'");
  });

  it('names columns like Sheets does', () => {
    expect([1, 20, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'T', 'Z', 'AA', 'AZ', 'AAA']);
  });

  it('builds a whole-row range', () => {
    expect(rowRange('Calls', 7, 20)).toBe("'Calls'!A7:T7");
  });

  it.each([
    ['Calls!A42:T45', 42, 45],
    ["'Call log'!A2:T2", 2, 2],
    ["'Bob''s!calls'!A10:T12", 10, 12],
    ['Calls!A42', 42, 42],
    ['Calls!$A$3:$T$9', 3, 9],
  ])('reads the appended rows from updatedRange %s', (range, first, last) => {
    expect(parseUpdatedRows(range)).toEqual({ first, last });
  });

  it('refuses a range it cannot read rather than guessing row numbers', () => {
    expect(() => parseUpdatedRows('Calls!A:T')).toThrow(/unexpected updatedRange/);
  });
});
