import { backoffDelayMs } from './backoff.js';
import { toSheetRow, type SheetCell } from './sheet-row.js';
import { classifySheetsError, type SheetsFailure } from './sheets-errors.js';
import type { SheetsGateway } from './sheets-gateway.js';
import type { PendingChange, SheetRef, SheetsOutboxRepository } from './sheets-outbox.repository.js';
import type { SheetsThrottle } from './sheets-throttle.js';
import type { SheetsBackoffSettings, SheetsDrainSettings } from './sheets.settings.js';

/** The drain no longer holds its lease: stop before sending anything else. */
export class LeaseLostError extends Error {
  constructor() {
    super('the sheets-drain lease was lost');
    this.name = 'LeaseLostError';
  }
}

export type SheetsOperation = 'append' | 'update' | 'read';

/** What the writer reports as it goes (the drain turns it into metrics and logs). */
export interface SheetsWriterEvents {
  written(operation: 'append' | 'update', rows: number): void;
  failed(operation: SheetsOperation, failure: SheetsFailure, changes: number): void;
  parked(callIds: string[], reason: string): void;
}

export interface BatchOutcome {
  appended: number;
  updated: number;
  parked: number;
  /** A failure stopped the batch; what is left stays queued (the shared pause says when to try again). */
  interrupted: boolean;
}

/**
 * Turns one batch of pending changes into as few Sheets writes as possible: calls without a row in ONE
 * values.append, calls with a row in ONE values.batchUpdate at their stored row numbers (split only to keep each
 * request under the size limit). A change leaves the outbox only once Google has confirmed it.
 */
export class SheetsBatchWriter {
  private tabReady = false;

  constructor(
    private readonly gateway: SheetsGateway,
    private readonly outbox: SheetsOutboxRepository,
    private readonly throttle: SheetsThrottle,
    private readonly sheet: SheetRef,
    private readonly settings: { drain: SheetsDrainSettings; backoff: SheetsBackoffSettings },
    private readonly events: SheetsWriterEvents,
  ) {}

  /** Creates the tab (with its header) if needed; once per process, and again after Google lost the range. */
  async prepare(signal: AbortSignal): Promise<boolean> {
    if (this.tabReady) return true;
    try {
      if (await this.gateway.ensureTab(signal)) await this.outbox.forgetRows(this.sheet);
      this.tabReady = true;
      return true;
    } catch (err) {
      await this.onFailure(err, [], 'read', signal);
      return false;
    }
  }

  async write(batch: PendingChange[], signal: AbortSignal): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { appended: 0, updated: 0, parked: 0, interrupted: false };
    if (!(await this.reconcileUnconfirmedAppends(batch, signal, outcome))) return outcome;
    const rows = batch.map((change) => ({ change, cells: toSheetRow(change.call) }));
    const groups = [
      ['append', rows.filter((r) => r.change.row === null)],
      ['update', rows.filter((r) => r.change.row !== null)],
    ] as const;
    for (const [operation, group] of groups) {
      for (const chunk of this.chunks(group)) {
        if (!(await this.send(operation, chunk, signal, outcome))) {
          outcome.interrupted = true;
          return outcome;
        }
      }
    }
    return outcome;
  }

  /**
   * An append whose outcome was never recorded may have landed. Read the Call ID column (once the request can
   * no longer be in progress) and adopt the rows that are there; only the rest is appended again.
   */
  private async reconcileUnconfirmedAppends(
    batch: PendingChange[],
    signal: AbortSignal,
    outcome: BatchOutcome,
  ): Promise<boolean> {
    const unconfirmed = batch.filter((c) => c.row === null && c.appendUnconfirmed);
    if (unconfirmed.length === 0) return true;
    let rowsById: Map<string, number>;
    try {
      rowsById = await this.gateway.readCallIdRows(signal);
    } catch (err) {
      outcome.parked += (await this.onFailure(err, unconfirmed, 'read', signal)).parked;
      outcome.interrupted = true;
      return false;
    }
    const landed = unconfirmed.flatMap((c) => {
      const row = rowsById.get(c.callId);
      return row === undefined ? [] : [{ callId: c.callId, row }];
    });
    if (landed.length > 0) await this.outbox.recordRows(this.sheet, landed);
    const missing = unconfirmed.filter((c) => !rowsById.has(c.callId)).map((c) => c.callId);
    if (missing.length > 0) await this.outbox.clearAppendMarker(missing);
    for (const change of unconfirmed) {
      change.row = rowsById.get(change.callId) ?? null;
      change.appendUnconfirmed = false;
    }
    return true;
  }

  /** Sends one request for `rows`. False when the batch must stop here (the shared pause is running). */
  private async send(
    operation: 'append' | 'update',
    rows: readonly PreparedRow[],
    signal: AbortSignal,
    outcome: BatchOutcome,
  ): Promise<boolean> {
    const sending = operation === 'append' ? await this.markForAppend(rows) : rows;
    if (sending.length === 0) return true;
    const changes = sending.map((r) => r.change);
    try {
      if (operation === 'append') {
        const first = await this.gateway.append(
          sending.map((r) => r.cells),
          signal,
        );
        await this.outbox.completeAppend(
          this.sheet,
          changes.map((change, i) => ({ change, row: first + i })),
        );
        outcome.appended += changes.length;
      } else {
        await this.gateway.update(
          sending.map((r) => ({ row: r.change.row!, values: r.cells })),
          signal,
        );
        await this.outbox.complete(changes);
        outcome.updated += changes.length;
      }
    } catch (err) {
      if (sending.length > 1 && isRejection(err, signal)) {
        // Google refuses a whole request for one bad row ("requests are applied atomically"): halve it until
        // the offending row is alone, so only it is parked and the others go through.
        if (operation === 'append') await this.outbox.clearAppendMarker(changes.map((c) => c.callId));
        this.events.failed(operation, classifySheetsError(err), sending.length);
        const middle = Math.ceil(sending.length / 2);
        return (
          (await this.send(operation, sending.slice(0, middle), signal, outcome)) &&
          this.send(operation, sending.slice(middle), signal, outcome)
        );
      }
      const { parked, carryOn } = await this.onFailure(err, changes, operation, signal);
      outcome.parked += parked;
      return carryOn;
    }
    this.events.written(operation, changes.length);
    await this.throttle.recordSuccess();
    return true;
  }

  /**
   * Sets the append marker and keeps the rows it was set on. A call whose outbox row is locked by a write in
   * progress is left for the next batch (which will carry its new state anyway).
   */
  private async markForAppend(rows: readonly PreparedRow[]): Promise<PreparedRow[]> {
    const marked = await this.outbox.markAppendSent(rows.map((r) => r.change.callId));
    return rows.filter((r) => marked.has(r.change.callId));
  }

  /**
   * The one retry policy. Quota, outages and auth problems pause every instance (Google's back-off, Retry-After
   * honoured); only what Google refuses, or what keeps failing, is parked. `carryOn` is true when the rest of
   * the batch may still be sent (a refused row was set aside).
   */
  private async onFailure(
    err: unknown,
    changes: PendingChange[],
    operation: SheetsOperation,
    signal: AbortSignal,
  ): Promise<{ parked: number; carryOn: boolean }> {
    // Shutting down or lease lost: nothing is known about the request; append markers stay for the next drain.
    if (signal.aborted || err instanceof LeaseLostError) return { parked: 0, carryOn: false };
    const failure = classifySheetsError(err);
    this.events.failed(operation, failure, changes.length);
    const ids = changes.map((c) => c.callId);
    if (operation === 'append' && !failure.maybeApplied) await this.outbox.clearAppendMarker(ids);

    if (operation !== 'read' && (failure.kind === 'rejected' || failure.kind === 'denied')) {
      await this.outbox.park(ids, failure.reason);
      this.events.parked(ids, failure.reason);
      // Lost access is not about these rows: check the spreadsheet again before sending anything else, so one
      // request's worth of changes is parked, not the whole queue.
      if (failure.kind === 'denied') this.tabReady = false;
      return { parked: ids.length, carryOn: failure.kind === 'rejected' };
    }
    // The tab was deleted or renamed: recreate it on the next pass (after a pause, in case it is not that).
    if (failure.kind === 'missing-tab') this.tabReady = false;
    const delayMs = backoffDelayMs(
      await this.throttle.recordFailure(),
      this.settings.backoff,
      failure.retryAfterMs,
    );
    await this.throttle.pauseFor(delayMs);
    if (failure.kind !== 'unavailable' || ids.length === 0) return { parked: 0, carryOn: false };
    // A lost append may still be running at Google: let it finish before the sheet is read back.
    const retryInMs =
      operation === 'append' && !failure.answered
        ? Math.max(delayMs, this.settings.drain.appendSettleMs)
        : delayMs;
    const { maxAttempts } = this.settings.drain;
    const parked = await this.outbox.recordFailure(ids, failure.reason, maxAttempts, retryInMs);
    if (parked.length > 0)
      this.events.parked(parked, `gave up after ${maxAttempts} attempts: ${failure.reason}`);
    return { parked: parked.length, carryOn: false };
  }

  /** Groups rows so that no request body exceeds the size limit. */
  private *chunks(rows: readonly PreparedRow[]): Generator<PreparedRow[]> {
    let chunk: PreparedRow[] = [];
    let bytes = 0;
    for (const row of rows) {
      const size = estimateBytes(row.cells);
      if (chunk.length > 0 && bytes + size > this.settings.drain.maxRequestBytes) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(row);
      bytes += size;
    }
    if (chunk.length > 0) yield chunk;
  }
}

interface PreparedRow {
  change: PendingChange;
  cells: SheetCell[];
}

function isRejection(err: unknown, signal: AbortSignal): boolean {
  return !signal.aborted && !(err instanceof LeaseLostError) && classifySheetsError(err).kind === 'rejected';
}

/** JSON size of a row plus its range in a batchUpdate entry. */
function estimateBytes(row: SheetCell[]): number {
  return Buffer.byteLength(JSON.stringify(row)) + 80;
}
