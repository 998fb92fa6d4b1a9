import { randomInt } from 'node:crypto';
import { sheets, type sheets_v4 } from '@googleapis/sheets';
import { columnLetter, parseUpdatedRows, quoteTab, rowRange } from './a1.js';
import { ServiceAccountTokenSource } from './service-account-auth.js';
import { CALL_ID_COLUMN_INDEX, SHEET_COLUMN_COUNT, SHEET_HEADER, type SheetCell } from './sheet-row.js';
import type { SheetsTarget } from './sheets.settings.js';

export type SheetsRequestKind = 'read' | 'write';

/** Runs before every request: the drain renews its lease there, and takes a write from the shared budget. */
export type SheetsRequestGate = (kind: SheetsRequestKind, signal: AbortSignal) => Promise<void>;

/** Called after every request with its outcome, for metrics. */
export type SheetsRequestObserver = (method: string, kind: SheetsRequestKind, error?: unknown) => void;

const LAST_COLUMN = columnLetter(SHEET_COLUMN_COUNT);

/**
 * The Sheets v4 calls the drain makes, on the generated client. The client's own retries are off (it would
 * silently retry PUTs and GETs three times, without jitter or Retry-After, and never the POSTs that matter):
 * every failure comes back to the drain, which owns the one retry policy. Every value is sent RAW, so text such
 * as `=HYPERLINK(…)` or `+15551234567` is stored as typed, never parsed into a formula or a number.
 */
export class SheetsGateway {
  private readonly api: sheets_v4.Sheets;
  private readonly tabRange: string;

  constructor(
    private readonly target: SheetsTarget,
    requestTimeoutMs: number,
    private readonly gate: SheetsRequestGate,
    private readonly observe: SheetsRequestObserver = () => undefined,
  ) {
    this.api = sheets({
      version: 'v4',
      auth: new ServiceAccountTokenSource(target.serviceAccount, requestTimeoutMs).createClient(),
      rootUrl: target.apiRootUrl,
      retry: false,
      timeout: requestTimeoutMs,
    });
    this.tabRange = quoteTab(target.tab);
  }

  /** Makes sure the log tab exists with our header row. Returns true when the tab had to be created. */
  async ensureTab(signal: AbortSignal): Promise<boolean> {
    const spreadsheet = await this.call('spreadsheets.get', 'read', signal, () =>
      this.api.spreadsheets.get(
        { spreadsheetId: this.target.spreadsheetId, fields: 'sheets.properties(sheetId,title)' },
        { signal },
      ),
    );
    const exists = (spreadsheet.sheets ?? []).some((s) => s.properties?.title === this.target.tab);
    if (!exists) {
      await this.createTab(signal);
      return true;
    }
    const header = await this.call('values.get', 'read', signal, () =>
      this.api.spreadsheets.values.get(
        { spreadsheetId: this.target.spreadsheetId, range: `${this.tabRange}!1:1` },
        { signal },
      ),
    );
    const current = header.values?.[0] ?? [];
    if (SHEET_HEADER.some((title, i) => current[i] !== title)) await this.writeHeader(signal);
    return false;
  }

  /** Appends rows after the last one in the tab, in one request. Returns the row number of the first. */
  async append(rows: SheetCell[][], signal: AbortSignal): Promise<number> {
    const response = await this.call('values.append', 'write', signal, () =>
      this.api.spreadsheets.values.append(
        {
          spreadsheetId: this.target.spreadsheetId,
          range: `${this.tabRange}!A:${LAST_COLUMN}`,
          valueInputOption: 'RAW',
          insertDataOption: 'OVERWRITE',
          includeValuesInResponse: false,
          requestBody: { majorDimension: 'ROWS', values: rows },
        },
        { signal },
      ),
    );
    const updatedRange = response.updates?.updatedRange;
    if (!updatedRange) throw new Error('values.append answered without updates.updatedRange');
    const { first, last } = parseUpdatedRows(updatedRange);
    if (last - first + 1 !== rows.length) {
      throw new Error(`values.append wrote rows ${first}-${last} for ${rows.length} rows (${updatedRange})`);
    }
    return first;
  }

  /** Overwrites whole rows in place, in one request. */
  async update(rows: { row: number; values: SheetCell[] }[], signal: AbortSignal): Promise<void> {
    await this.call('values.batchUpdate', 'write', signal, () =>
      this.api.spreadsheets.values.batchUpdate(
        {
          spreadsheetId: this.target.spreadsheetId,
          requestBody: {
            valueInputOption: 'RAW',
            data: rows.map((r) => ({
              range: rowRange(this.target.tab, r.row, SHEET_COLUMN_COUNT),
              majorDimension: 'ROWS',
              values: [r.values],
            })),
          },
        },
        { signal },
      ),
    );
  }

  /** The Call ID column: where each call's row is (first occurrence wins). */
  async readCallIdRows(signal: AbortSignal): Promise<Map<string, number>> {
    const response = await this.call('values.get', 'read', signal, () =>
      this.api.spreadsheets.values.get(
        { spreadsheetId: this.target.spreadsheetId, range: `${this.tabRange}!A:A`, majorDimension: 'ROWS' },
        { signal },
      ),
    );
    const rows = new Map<string, number>();
    (response.values ?? []).forEach((cells, index) => {
      const id = cells[CALL_ID_COLUMN_INDEX];
      if (index > 0 && typeof id === 'string' && id !== '' && !rows.has(id)) rows.set(id, index + 1);
    });
    return rows;
  }

  /**
   * One request: the tab (with its own id, so the same request can fill it), the header row as literal
   * strings, a frozen header, and a warning-only protection — anyone editing is warned that sorting or
   * inserting rows breaks the in-place updates keyed by row number.
   */
  private async createTab(signal: AbortSignal): Promise<void> {
    const sheetId = randomInt(1, 2 ** 31 - 1);
    await this.call('spreadsheets.batchUpdate', 'write', signal, () =>
      this.api.spreadsheets.batchUpdate(
        {
          spreadsheetId: this.target.spreadsheetId,
          requestBody: {
            requests: [
              {
                addSheet: {
                  properties: {
                    sheetId,
                    title: this.target.tab,
                    gridProperties: { rowCount: 1_000, columnCount: SHEET_COLUMN_COUNT, frozenRowCount: 1 },
                  },
                },
              },
              {
                updateCells: {
                  start: { sheetId, rowIndex: 0, columnIndex: 0 },
                  rows: [
                    { values: SHEET_HEADER.map((title) => ({ userEnteredValue: { stringValue: title } })) },
                  ],
                  fields: 'userEnteredValue',
                },
              },
              {
                addProtectedRange: {
                  protectedRange: {
                    range: { sheetId },
                    description:
                      'Written by bland-mcp: rows are updated in place by row number. Do not sort or insert rows.',
                    warningOnly: true,
                  },
                },
              },
            ],
          },
        },
        { signal },
      ),
    );
  }

  private async writeHeader(signal: AbortSignal): Promise<void> {
    await this.call('values.update', 'write', signal, () =>
      this.api.spreadsheets.values.update(
        {
          spreadsheetId: this.target.spreadsheetId,
          range: `${this.tabRange}!A1:${LAST_COLUMN}1`,
          valueInputOption: 'RAW',
          requestBody: { majorDimension: 'ROWS', values: [[...SHEET_HEADER]] },
        },
        { signal },
      ),
    );
  }

  private async call<T>(
    method: string,
    kind: SheetsRequestKind,
    signal: AbortSignal,
    send: () => Promise<{ data: T }>,
  ): Promise<T> {
    await this.gate(kind, signal);
    try {
      const { data } = await send();
      this.observe(method, kind);
      return data;
    } catch (err) {
      this.observe(method, kind, err);
      throw err;
    }
  }
}
