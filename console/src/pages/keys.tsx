import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import type { ApiKey } from '../api/types.js';
import { useApp } from '../components/app-context.js';
import { CodeBlock, ErrorNotice, PageTitle, SkeletonRows } from '../components/ui.js';
import { useResource } from '../components/use-resource.js';
import { formatDateTime } from '../format.js';

const EXPIRY_DAYS: Record<string, number | null> = { never: null, '30': 30, '90': 90, '365': 365 };

export default function Keys() {
  const { api } = useApp();
  const keys = useResource(() => api.keys(), 'keys');
  const [created, setCreated] = useState<{ key: string; name: string | null } | null>(null);
  return (
    <>
      <PageTitle title="API keys">API keys</PageTitle>
      <p class="lede">
        Keys let MCP clients (Claude Code, Cursor, the Inspector) act as you: place calls that spend your
        credits and read your calls. Give each client its own key, and revoke a key you no longer use.
      </p>
      {created ? (
        <NewKey created={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateKeyForm
          onCreated={(key, name) => {
            setCreated({ key, name });
            keys.reload();
          }}
        />
      )}
      <ErrorNotice error={keys.error} onRetry={keys.reload} />
      <KeyTable keys={keys.data?.keys} onChanged={keys.reload} />
    </>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (key: string, name: string | null) => void }) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('never');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const days = EXPIRY_DAYS[expiry] ?? null;
    try {
      const result = await api.createKey({
        name: name.trim() || undefined,
        expires_at: days ? new Date(Date.now() + days * 86_400_000).toISOString() : undefined,
      });
      setName('');
      onCreated(result.key, result.api_key.name);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inline-form" onSubmit={submit} aria-labelledby="create-key">
      <h2 id="create-key">Create a key</h2>
      <label>
        Name
        <input
          name="name"
          maxLength={100}
          placeholder="e.g. Claude Code on my laptop"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </label>
      <label>
        Expires
        <select name="expires" value={expiry} onChange={(e) => setExpiry(e.currentTarget.value)}>
          <option value="never">Never</option>
          <option value="30">In 30 days</option>
          <option value="90">In 90 days</option>
          <option value="365">In a year</option>
        </select>
      </label>
      <div class="actions">
        <button type="submit" disabled={busy}>
          Create key
        </button>
      </div>
      <ErrorNotice error={error} />
    </form>
  );
}

/** The only time the secret is ever visible: the server keeps a hash. */
function NewKey({ created, onDone }: { created: { key: string; name: string | null }; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []); // announce it, and put the copy button one Tab away
  return (
    <section class="new-key" aria-labelledby="new-key-title" role="region">
      <h2 id="new-key-title" ref={heading} tabIndex={-1}>
        Your new key{created.name ? `: ${created.name}` : ''}
      </h2>
      <p>
        <strong>Copy it now.</strong> It is shown only once; if you lose it, create another and revoke this
        one.
      </p>
      <CodeBlock code={created.key} label="new API key" />
      <div class="actions">
        <a href="/console/connect">Use it to connect a client</a>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}

function keyState(k: ApiKey): 'Revoked' | 'Expired' | 'Active' {
  if (k.revoked_at) return 'Revoked';
  if (k.expires_at && new Date(k.expires_at).getTime() <= Date.now()) return 'Expired';
  return 'Active';
}

function KeyTable({ keys, onChanged }: { keys: ApiKey[] | undefined; onChanged: () => void }) {
  return (
    <div class="table-wrap">
      <table class="keys">
        <caption>Your keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">State</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {!keys && <SkeletonRows rows={2} columns={7} />}
          {keys?.map((k) => (
            <KeyRow key={k.id} apiKey={k} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function KeyRow({ apiKey: k, onChanged }: { apiKey: ApiKey; onChanged: () => void }) {
  const { api, signOut } = useApp();
  const [confirming, setConfirming] = useState<boolean | null>(null);
  const [error, setError] = useState<string>();
  // Keyboard users stay in place: focus moves to the confirmation and back when it is cancelled.
  const confirmButton = useRef<HTMLButtonElement>(null);
  const revokeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (confirming === false) revokeButton.current?.focus();
  }, [confirming]);
  const state = keyState(k);
  const label = k.name ?? `${k.prefix}…${k.last4}`;
  const revoke = async () => {
    try {
      await api.revokeKey(k.id);
      if (k.current) signOut('you revoked the API key this tab was signed in with.');
      else onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <tr>
      <td data-label="Name">
        {k.name ?? <span class="hint">Unnamed</span>}
        {k.current && <span class="tag">this tab</span>}
      </td>
      <td data-label="Key" class="mono">
        {k.prefix}…{k.last4}
      </td>
      <td data-label="Created">{formatDateTime(k.created_at)}</td>
      <td data-label="Last used">{k.last_used_at ? formatDateTime(k.last_used_at) : 'Never'}</td>
      <td data-label="Expires">{k.expires_at ? formatDateTime(k.expires_at) : 'Never'}</td>
      <td data-label="State">
        <span class={`chip chip-${state === 'Active' ? 'good' : 'neutral'}`}>{state}</span>
      </td>
      <td data-label="Actions" class="row-actions">
        {state === 'Active' &&
          (confirming ? (
            <span class="confirm" role="group" aria-label={`Confirm revoking ${label}`}>
              {k.current && <span class="hint">You are signed in with this key. </span>}
              <button ref={confirmButton} type="button" class="button-danger" onClick={revoke}>
                Revoke {label}
              </button>
              <button type="button" class="button-secondary" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button
              ref={revokeButton}
              type="button"
              class="button-secondary"
              aria-label={`Revoke ${label}`}
              onClick={() => setConfirming(true)}
            >
              Revoke…
            </button>
          ))}
        {error && (
          <span role="alert" class="notice-error">
            {error}
          </span>
        )}
      </td>
    </tr>
  );
}
