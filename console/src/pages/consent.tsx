import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleConfig } from '../api/types.js';
import { SupabaseSignInForm } from '../components/supabase-sign-in.js';
import { PageTitle } from '../components/ui.js';

type Settings = NonNullable<ConsoleConfig['supabase']>;

interface AuthorizationDetails {
  authorization_id: string;
  redirect_uri?: string;
  client: { id: string; name?: string; uri?: string };
  user: { id: string; email: string };
  scope?: string;
}

type View =
  | { state: 'loading' }
  | { state: 'signed-out' }
  | { state: 'invalid'; message: string }
  | { state: 'ready'; details: AuthorizationDetails }
  | { state: 'leaving'; to: string; approved: boolean };

const SCOPES: Record<string, string> = {
  openid: 'Confirm who you are',
  email: 'See your email address',
  profile: 'See your name and profile',
  phone: 'See your phone number',
};

const auth = async (settings: Settings) => (await import('../auth/supabase-auth.js')).supabaseAuth(settings);

/**
 * Supabase Auth's OAuth 2.1 server sends the user here (its authorization path) with ?authorization_id=…, after an
 * MCP client such as claude.ai asked to connect. The user signs in, sees who is asking and for what, and approves
 * or denies; Supabase answers with the URL to send the browser back to the client.
 */
export default function Consent({ config }: { config: ConsoleConfig }) {
  const id = new URLSearchParams(window.location.search).get('authorization_id') ?? '';
  const settings = config.supabase;
  const [view, setView] = useState<View>({ state: 'loading' });

  const load = async () => {
    if (!settings) return;
    const client = await auth(settings);
    if (!(await client.getSession()).data.session) return setView({ state: 'signed-out' });
    const { data, error } = await client.oauth.getAuthorizationDetails(id);
    if (error) return setView({ state: 'invalid', message: explain(error) });
    if ('redirect_url' in data && !('authorization_id' in data)) {
      return leave(data.redirect_url, true); // consented before: Supabase approved it already
    }
    setView({ state: 'ready', details: data as unknown as AuthorizationDetails });
  };

  const leave = (to: string, approved: boolean) => {
    if (!isNavigable(to))
      return setView({ state: 'invalid', message: 'The application’s return address is not valid.' });
    setView({ state: 'leaving', to, approved });
    window.location.assign(to);
  };

  const decide = async (approve: boolean) => {
    const client = await auth(settings!);
    const { data, error } = approve
      ? await client.oauth.approveAuthorization(id, { skipBrowserRedirect: true })
      : await client.oauth.denyAuthorization(id, { skipBrowserRedirect: true });
    if (error || !data?.redirect_url) {
      return setView({ state: 'invalid', message: error ? explain(error) : 'Supabase did not answer.' });
    }
    leave(data.redirect_url, approve);
  };

  useEffect(() => {
    if (settings && id) void load();
  }, []);

  if (!settings) {
    return (
      <Frame>
        <p role="alert">OAuth sign-in is not set up on this server (SUPABASE_URL is not configured).</p>
      </Frame>
    );
  }
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(id)) {
    return (
      <Frame>
        <p role="alert" class="notice notice-error">
          This link has no valid authorization request. Go back to the application and connect again.
        </p>
      </Frame>
    );
  }
  switch (view.state) {
    case 'loading':
      return (
        <Frame>
          <p role="status">Loading the request…</p>
        </Frame>
      );
    case 'signed-out':
      return (
        <Frame>
          <p>An application wants to connect to your bland-mcp account. Sign in to review the request.</p>
          <SupabaseSignInForm settings={settings} onSignedIn={() => void load()} />
        </Frame>
      );
    case 'invalid':
      return (
        <Frame>
          <div role="alert" class="notice notice-error">
            <p>{view.message}</p>
          </div>
        </Frame>
      );
    case 'leaving':
      return (
        <Frame>
          <p role="status">
            {view.approved ? 'Approved.' : 'Denied.'} Returning you to {hostOf(view.to)}…
          </p>
        </Frame>
      );
    case 'ready':
      return (
        <Decision
          details={view.details}
          onDecide={decide}
          onSignOut={() => void signOutAndReload(settings)}
        />
      );
  }
}

function Decision({
  details,
  onDecide,
  onSignOut,
}: {
  details: AuthorizationDetails;
  onDecide: (approve: boolean) => Promise<void>;
  onSignOut: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const name = details.client.name || 'An unnamed application';
  const scopes = (details.scope ?? '').split(/\s+/).filter(Boolean);
  const click = (approve: boolean) => {
    setBusy(true);
    void onDecide(approve).finally(() => setBusy(false));
  };
  return (
    <Frame>
      <p class="lede">
        <strong data-testid="client-name">{name}</strong> wants to use your bland-mcp account.
      </p>
      <dl class="facts">
        <div>
          <dt>Returns you to</dt>
          <dd class="mono" data-testid="redirect-host">
            {details.redirect_uri ? hostOf(details.redirect_uri) : 'unknown'}
          </dd>
        </div>
        {details.client.uri && (
          <div>
            <dt>Application website</dt>
            <dd class="mono">{hostOf(details.client.uri)}</dd>
          </div>
        )}
        <div>
          <dt>Signed in as</dt>
          <dd data-testid="signed-in-as">
            {details.user.email}{' '}
            <button type="button" class="button-link" onClick={onSignOut}>
              Not you?
            </button>
          </dd>
        </div>
      </dl>
      <h2>If you approve, it can</h2>
      <ul class="scopes" data-testid="scopes">
        <li>Place phone calls that spend your credits, and stop them</li>
        <li>Read your calls, their transcripts and recordings, and your balance</li>
        {scopes.map((s) => (
          <li key={s}>
            {SCOPES[s] ?? 'Use the permission'} <span class="mono hint">({s})</span>
          </li>
        ))}
      </ul>
      <p class="hint">Only approve an application you started connecting yourself.</p>
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => click(true)}>
          Approve
        </button>
        <button type="button" class="button-secondary" disabled={busy} onClick={() => click(false)}>
          Deny
        </button>
      </div>
    </Frame>
  );
}

function Frame({ children }: { children: ComponentChildren }) {
  return (
    <main id="main" class="consent">
      <PageTitle title="Connect an application">Connect an application</PageTitle>
      {children}
    </main>
  );
}

/** Supabase answers 404 oauth_authorization_not_found for unknown, expired and foreign ids (by design). */
function explain(error: { code?: string; status?: number; message: string }): string {
  if (error.code === 'oauth_authorization_not_found' || error.status === 404) {
    return 'This authorization request has expired or is not valid. Go back to the application and connect again.';
  }
  if (error.code === 'validation_failed' || error.status === 400) {
    return 'This authorization request was already answered or cannot be processed. Go back to the application and connect again.';
  }
  return `The request could not be loaded: ${error.message}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** Never navigate to a script URL, whatever the server says (Trusted Types would block it too). */
function isNavigable(url: string): boolean {
  try {
    return !['javascript:', 'data:', 'vbscript:', 'blob:', 'file:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

async function signOutAndReload(settings: Settings) {
  await (await auth(settings)).signOut({ scope: 'local' });
  window.location.reload();
}
