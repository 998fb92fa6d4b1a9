import { useState } from 'preact/hooks';
import type { ConsoleConfig } from '../api/types.js';

type Settings = NonNullable<ConsoleConfig['supabase']>;

// Supabase's auth client stays in its own chunk, fetched only on servers configured for Supabase.
const auth = async (settings: Settings) => (await import('../auth/supabase-auth.js')).supabaseAuth(settings);

/**
 * Email sign-in with Supabase Auth: a password, or a one-time link by email. The link returns to this same page
 * (it must be in the project's allowed redirect URLs), where auth-js picks the session out of the URL.
 */
export function SupabaseSignInForm({ settings, onSignedIn }: { settings: Settings; onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);

  const withPassword = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const { error } = await (await auth(settings)).signInWithPassword({ email, password });
    setBusy(false);
    if (error) setMessage({ kind: 'error', text: error.message });
    else onSignedIn();
  };

  const withLink = async () => {
    if (!email) {
      setMessage({ kind: 'error', text: 'Enter your email address first.' });
      return;
    }
    setBusy(true);
    setMessage(null);
    const { error } = await (
      await auth(settings)
    ).signInWithOtp({
      email,
      options: { emailRedirectTo: window.location.href },
    });
    setBusy(false);
    setMessage(
      error
        ? { kind: 'error', text: error.message }
        : { kind: 'info', text: `We sent a sign-in link to ${email}. Open it in this browser to continue.` },
    );
  };

  return (
    <form class="stack" onSubmit={withPassword} aria-describedby="supabase-message">
      <label>
        Email
        <input
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
      </label>
      <label>
        Password
        <input
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </label>
      <div class="actions">
        <button type="submit" disabled={busy || !password}>
          Sign in
        </button>
        <button type="button" class="button-secondary" disabled={busy} onClick={withLink}>
          Email me a sign-in link
        </button>
      </div>
      <div id="supabase-message" role={message?.kind === 'error' ? 'alert' : 'status'}>
        {message && <p class={`notice notice-${message.kind}`}>{message.text}</p>}
      </div>
    </form>
  );
}
