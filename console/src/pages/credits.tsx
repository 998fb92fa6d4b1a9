import { useState } from 'preact/hooks';
import type { LedgerEntry } from '../api/types.js';
import { useApp } from '../components/app-context.js';
import { LedgerTable } from '../components/ledger-table.js';
import { ErrorNotice, PageTitle } from '../components/ui.js';
import { useResource } from '../components/use-resource.js';
import { ApiError } from '../api/client.js';
import { formatCredits } from '../format.js';

export default function Credits() {
  const { api } = useApp();
  const credits = useResource(() => api.credits(), 'credits');
  const first = useResource(() => api.ledger(), 'ledger');
  const [more, setMore] = useState<{ entries: LedgerEntry[]; next: string | null } | null>(null);
  const [moreError, setMoreError] = useState<ApiError>();
  const entries = [...(first.data?.entries ?? []), ...(more?.entries ?? [])];
  const next = more ? more.next : (first.data?.next_cursor ?? null);

  const loadMore = async () => {
    if (!next) return;
    try {
      const page = await api.ledger(next);
      setMore({ entries: [...(more?.entries ?? []), ...page.entries], next: page.next_cursor });
    } catch (err) {
      setMoreError(err as ApiError);
    }
  };

  const c = credits.data;
  return (
    <>
      <PageTitle title="Credits">Credits</PageTitle>
      <ErrorNotice error={credits.error} onRetry={credits.reload} />
      <dl class="cards">
        <div>
          <dt>Balance</dt>
          <dd data-testid="balance">{formatCredits(c?.balance)}</dd>
        </div>
        <div>
          <dt>Held by live calls</dt>
          <dd data-testid="held">{formatCredits(c?.held)}</dd>
        </div>
        <div>
          <dt>Available</dt>
          <dd data-testid="available">{formatCredits(c?.available)}</dd>
        </div>
      </dl>
      {c && (
        <p class="hint">
          A call holds enough credits for its maximum duration when it is placed; when it ends it is charged{' '}
          {formatCredits(c.pricing.credits_per_minute)} credits per minute (at least{' '}
          {formatCredits(c.pricing.minimum_charge)}) and the rest of the hold is released.
        </p>
      )}
      <section aria-labelledby="history">
        <h2 id="history">History</h2>
        <ErrorNotice error={first.error ?? moreError} onRetry={first.reload} />
        {first.data ? (
          <LedgerTable entries={entries} caption="Credit history, newest first" showCall />
        ) : (
          !first.error && (
            <p role="status" class="placeholder-block">
              Loading the history…
            </p>
          )
        )}
        {next && (
          <div class="pager">
            <button type="button" class="button-secondary" onClick={loadMore}>
              Show older entries
            </button>
          </div>
        )}
      </section>
    </>
  );
}
