import type { LedgerEntry } from '../api/types.js';
import { LEDGER_LABELS, describeChange, formatCredits, formatDateTime } from '../format.js';

export function LedgerTable({
  entries,
  caption,
  showCall,
}: {
  entries: LedgerEntry[];
  caption: string;
  showCall: boolean;
}) {
  if (entries.length === 0) return <p>No ledger entries.</p>;
  return (
    <div class="table-wrap">
      <table class="ledger">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col" class="num">
              Change
            </th>
            <th scope="col" class="num">
              Balance after
            </th>
            <th scope="col" class="num">
              Held after
            </th>
            {showCall && <th scope="col">Call</th>}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td data-label="When">{formatDateTime(e.created_at)}</td>
              <td data-label="What">
                {LEDGER_LABELS[e.kind] ?? e.kind}
                {e.reason && <span class="hint"> · {e.reason}</span>}
              </td>
              <td data-label="Change" class="num">
                {describeChange(e.kind, e.amount)}
              </td>
              <td data-label="Balance after" class="num">
                {formatCredits(e.balance_after)}
              </td>
              <td data-label="Held after" class="num">
                {formatCredits(e.held_after)}
              </td>
              {showCall && (
                <td data-label="Call">
                  {e.call_id ? (
                    <a href={`/console/calls/${e.call_id}`}>
                      View call<span class="visually-hidden"> for entry {e.id}</span>
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
