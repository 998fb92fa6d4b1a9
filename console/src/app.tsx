import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorBoundary, LocationProvider, Route, Router, lazy, useLocation } from 'preact-iso';
import { ApiError, createApi, fetchConfig } from './api/client.js';
import type { ConsoleConfig, Me } from './api/types.js';
import { hasStoredSession, restoreSession, type Session } from './auth/session.js';
import { AppContext, type AppState } from './components/app-context.js';
import { Layout } from './components/layout.js';

// Every page is its own chunk: the first load fetches the shell and the one page it shows.
const SignIn = lazy(() => import('./pages/sign-in.js'));
const Calls = lazy(() => import('./pages/calls.js'));
const CallDetail = lazy(() => import('./pages/call-detail.js'));
const Credits = lazy(() => import('./pages/credits.js'));
const Keys = lazy(() => import('./pages/keys.js'));
const Connect = lazy(() => import('./pages/connect.js'));
const Consent = lazy(() => import('./pages/consent.js'));
const NotFound = lazy(() => import('./pages/not-found.js'));

const CONSENT_PATH = '/console/oauth/consent';

// Started when the module runs, not after the first render: the configuration, and the code of the page that
// will most likely show first, load while Preact paints the loading message.
const configRequest = fetchConfig();
if (window.location.pathname === CONSENT_PATH) void Consent.preload();
else if (!hasStoredSession()) void SignIn.preload();

type Auth =
  | { state: 'unknown' }
  | { state: 'signed-out'; notice?: string }
  | { state: 'signed-in'; session: Session; me: Me };

export function App() {
  return (
    <LocationProvider scope="/console">
      <ErrorBoundary>
        <Shell />
      </ErrorBoundary>
    </LocationProvider>
  );
}

function Shell() {
  const { path } = useLocation();
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [auth, setAuth] = useState<Auth>({ state: 'unknown' });

  const start = async (session: Session | null) => {
    if (!session) return setAuth({ state: 'signed-out' });
    try {
      const me = await createApi(session.token).me();
      setAuth({ state: 'signed-in', session, me });
    } catch (err) {
      await session.signOut();
      const message = err instanceof ApiError ? err.message : String(err);
      setAuth({ state: 'signed-out', notice: `Could not sign in: ${message}` });
    }
  };

  useEffect(() => {
    configRequest.then(setConfig, (err: unknown) =>
      setFailure(err instanceof Error ? err.message : String(err)),
    );
  }, []);

  // The OAuth consent page talks to Supabase Auth only and manages its own sign-in; everything else needs /api.
  const consent = path === CONSENT_PATH;
  useEffect(() => {
    if (!config || consent || auth.state !== 'unknown') return;
    restoreSession(config)
      .then(start)
      .catch((err: unknown) => setAuth({ state: 'signed-out', notice: String(err) }));
  }, [config, consent, auth.state]);

  if (failure) return <BootMessage text={`The console could not start: ${failure}`} alert />;
  if (!config) return <BootMessage text="Loading the console…" />;
  if (consent) return <Consent config={config} />;
  switch (auth.state) {
    case 'unknown':
      return <BootMessage text="Loading the console…" />;
    case 'signed-out':
      return <SignIn config={config} notice={auth.notice} onSession={start} />;
    case 'signed-in':
      return (
        <SignedIn
          config={config}
          session={auth.session}
          me={auth.me}
          onSignedOut={(notice) => setAuth({ state: 'signed-out', notice })}
        />
      );
  }
}

function SignedIn({
  config,
  session,
  me: initialMe,
  onSignedOut,
}: {
  config: ConsoleConfig;
  session: Session;
  me: Me;
  onSignedOut: (notice?: string) => void;
}) {
  const [me, setMe] = useState(initialMe);
  const api = useMemo(() => createApi(session.token), [session]);
  const state: AppState = useMemo(
    () => ({
      config,
      api,
      me,
      refreshMe: () => void api.me().then(setMe, () => undefined),
      signOut: (reason?: string) => {
        void session
          .signOut()
          .finally(() => onSignedOut(reason ? `You were signed out: ${reason}` : undefined));
      },
    }),
    [config, session, api, me],
  );
  return (
    <AppContext.Provider value={state}>
      <Layout>
        <Router>
          <Route path="/console/" component={Calls} />
          <Route path="/console/calls" component={Calls} />
          <Route path="/console/calls/:id" component={CallDetail} />
          <Route path="/console/credits" component={Credits} />
          <Route path="/console/keys" component={Keys} />
          <Route path="/console/connect" component={Connect} />
          <Route default component={NotFound} />
        </Router>
      </Layout>
    </AppContext.Provider>
  );
}

function BootMessage({ text, alert }: { text: string; alert?: boolean }) {
  return (
    <p class="boot" role={alert ? 'alert' : 'status'}>
      {text}
    </p>
  );
}
