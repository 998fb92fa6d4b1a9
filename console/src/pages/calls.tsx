import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Call, CallPage } from '../api/types.js';
import { useApp } from '../components/app-context.js';
import { ErrorNotice, PageTitle, SkeletonRows, StatusChip } from '../components/ui.js';
import { useResource } from '../components/use-resource.js';
import { STATUS_LABELS, formatCredits, formatDateTime, formatDuration } from '../format.js';

const PAGE_SIZE = 20;
const COLUMNS = 5;

/** Calls, newest first. Filters and the page cursor live in the URL, so Back and shared links work. */
export default function Calls() {
  const { api, refreshMe } = useApp();
  const { query, route } = useLocation();
  const filter = { phone_number: query.phone, status: query.status, cursor: query.cursor };
  const calls = useResource<CallPage>(
    () => api.calls({ ...filter, limit: PAGE_SIZE }),
    JSON.stringify(filter),
    // Live calls change by the second; otherwise look for new ones now and then (first page only).
    (page) => (page?.calls.some((c) => !c.terminal) ? 3000 : filter.cursor ? null : 15000),
  );
  // A new call holds credits and an ended one is charged: keep the balance in the header in step.
  const statuses = calls.data?.calls.map((c) => `${c.call_id}:${c.status}`).join() ?? '';
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (!calls.data) return;
    if (seen.current !== null && statuses !== seen.current) refreshMe();
    seen.current = statuses;
  }, [statuses, calls.data]);

  const go = (next: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v) params.set(k, v);
    const qs = params.toString();
    route(`/console/calls${qs ? `?${qs}` : ''}`);
  };

  return (
    <>
      <PageTitle title="Calls">Calls</PageTitle>
      <Filters
        key={`${query.phone ?? ''}|${query.status ?? ''}`}
        phone={query.phone ?? ''}
        status={query.status ?? ''}
        onApply={(phone, status) => go({ phone, status })}
      />
      <ErrorNotice error={calls.error} onRetry={calls.reload} />
      <div class="table-wrap">
        <table class="calls">
          <caption class="visually-hidden">Your calls, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Number</th>
              <th scope="col">Placed</th>
              <th scope="col" class="num">
                Duration
              </th>
              <th scope="col" class="num">
                Credits
              </th>
            </tr>
          </thead>
          <tbody aria-busy={calls.loading}>
            {!calls.data && !calls.error && <SkeletonRows rows={5} columns={COLUMNS} />}
            {calls.data?.calls.map((call) => (
              <CallRow key={call.call_id} call={call} />
            ))}
          </tbody>
        </table>
      </div>
      {calls.data?.calls.length === 0 && (
        <p class="empty">
          {query.phone || query.status
            ? 'No calls match these filters.'
            : 'No calls yet. Connect an MCP client and ask it to place one.'}{' '}
          {!query.phone && !query.status && <a href="/console/connect">How to connect a client</a>}
        </p>
      )}
      <nav class="pager" aria-label="Pages">
        <button type="button" class="button-secondary" onClick={calls.reload} disabled={calls.loading}>
          Refresh
        </button>
        {query.cursor && (
          <button
            type="button"
            class="button-secondary"
            onClick={() => go({ phone: query.phone, status: query.status })}
          >
            Newest
          </button>
        )}
        {calls.data?.next_cursor && (
          <button
            type="button"
            class="button-secondary"
            onClick={() => go({ phone: query.phone, status: query.status, cursor: calls.data!.next_cursor! })}
          >
            Older
          </button>
        )}
      </nav>
    </>
  );
}

function CallRow({ call }: { call: Call }) {
  const credits =
    call.charged_credits !== null
      ? formatCredits(call.charged_credits)
      : `${formatCredits(call.held_credits)} held`;
  return (
    <tr>
      <td data-label="Status">
        <StatusChip status={call.status} />
      </td>
      <td data-label="Number">
        <a href={`/console/calls/${call.call_id}`} class="mono">
          {call.phone_number}
        </a>
      </td>
      <td data-label="Placed">{formatDateTime(call.created_at)}</td>
      <td data-label="Duration" class="num">
        {formatDuration(call.duration_seconds)}
      </td>
      <td data-label="Credits" class="num">
        {credits}
      </td>
    </tr>
  );
}

function Filters({
  phone,
  status,
  onApply,
}: {
  phone: string;
  status: string;
  onApply: (phone: string, status: string) => void;
}) {
  const [number, setNumber] = useState(phone);
  const [state, setState] = useState(status);
  return (
    <form
      class="filters"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(number.trim(), state);
      }}
    >
      <label>
        Phone number
        <input
          type="search"
          name="phone"
          inputMode="tel"
          placeholder="+14155550123"
          value={number}
          onInput={(e) => setNumber(e.currentTarget.value)}
        />
      </label>
      <label>
        Status
        <select name="status" value={state} onChange={(e) => setState(e.currentTarget.value)}>
          <option value="">Any</option>
          {Object.entries(STATUS_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <div class="actions">
        <button type="submit">Search</button>
        {(phone || status) && (
          <button
            type="button"
            class="button-secondary"
            onClick={() => {
              setNumber('');
              setState('');
              onApply('', '');
            }}
          >
            Clear
          </button>
        )}
      </div>
    </form>
  );
}
