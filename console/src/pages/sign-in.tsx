import { useState } from 'preact/hooks';
import type { ConsoleConfig } from '../api/types.js';
import { apiKeySession, type Session } from '../auth/session.js';
import { SupabaseSignInForm } from '../components/supabase-sign-in.js';
import { PageTitle } from '../components/ui.js';

const API_KEY_FORMAT = /^bmcp_live_[0-9A-Za-z]{43}$/;

export default function SignIn({
  config,
  notice,
  onSession,
}: {
  config: ConsoleConfig;
  notice?: string;
  onSession: (session: Session) => Promise<void>;
}) {
  const supabase = config.supabase;
  return (
    <main id="main" class="signin">
      <PageTitle title="Sign in">Sign in to bland-mcp</PageTitle>
      {notice && (
        <p class="notice notice-error" role="alert">
          {notice}
        </p>
      )}
      {supabase && (
        <section aria-labelledby="signin-email">
          <h2 id="signin-email">With your account</h2>
          <SupabaseSignInForm
            settings={supabase}
            onSignedIn={async () => {
              const { supabaseSession } = await import('../auth/supabase-auth.js');
              const session = await supabaseSession(supabase);
              if (session) await onSession(session);
            }}
          />
        </section>
      )}
      {supabase ? (
        <details class="alt-signin">
          <summary>Use an API key instead</summary>
          <ApiKeyForm onSession={onSession} />
        </details>
      ) : (
        <section aria-labelledby="signin-key">
          <h2 id="signin-key">With an API key</h2>
          <ApiKeyForm onSession={onSession} />
        </section>
      )}
    </main>
  );
}

function ApiKeyForm({ onSession }: { onSession: (session: Session) => Promise<void> }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (!API_KEY_FORMAT.test(trimmed)) {
      setError(
        'That is not a bland-mcp API key: keys start with bmcp_live_ followed by 43 letters and digits.',
      );
      return;
    }
    setBusy(true);
    setError(null);
    await onSession(apiKeySession(trimmed));
    setBusy(false);
  };
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <label>
        API key
        <input
          type="password"
          name="api-key"
          autoComplete="off"
          spellcheck={false}
          placeholder="bmcp_live_…"
          aria-describedby="api-key-help api-key-error"
          aria-invalid={error ? true : undefined}
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
      </label>
      <p id="api-key-help" class="hint">
        Kept in this browser tab only, and forgotten when you close it or sign out.
      </p>
      <div id="api-key-error" role="alert">
        {error && <p class="notice notice-error">{error}</p>}
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>
          Sign in with key
        </button>
      </div>
    </form>
  );
}
