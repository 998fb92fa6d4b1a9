import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { formatCredits } from '../format.js';
import { useApp } from './app-context.js';

// useLocation().path has no trailing slash: the calls page at /console/ is '/console'.
const NAV = [
  {
    href: '/console/',
    label: 'Calls',
    match: (p: string) => p === '/console' || p.startsWith('/console/calls'),
  },
  { href: '/console/credits', label: 'Credits', match: (p: string) => p.startsWith('/console/credits') },
  { href: '/console/keys', label: 'API keys', match: (p: string) => p.startsWith('/console/keys') },
  {
    href: '/console/connect',
    label: 'Connect a client',
    match: (p: string) => p.startsWith('/console/connect'),
  },
];

export function Layout({ children }: { children: ComponentChildren }) {
  const { me, config, signOut } = useApp();
  const { path } = useLocation();
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href="/console/">
            bland-mcp
          </a>
          <nav aria-label="Console">
            <ul>
              {NAV.map((item) => (
                <li key={item.href}>
                  <a href={item.href} aria-current={item.match(path) ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="account">
            <span class="balance" title="Available credits (balance minus credits held by live calls)">
              <span class="visually-hidden">Available credits: </span>
              <strong data-testid="available-credits">{formatCredits(me.credits.available)}</strong> credits
            </span>
            <span class="who" title={me.user.email}>
              {me.user.email}
            </span>
            <button type="button" class="button-secondary" onClick={() => signOut()}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      {config.simulated && (
        <p class="banner" role="note">
          Simulator mode: calls go to the built-in Bland simulator and no phone rings.
        </p>
      )}
      <main id="main">{children}</main>
    </>
  );
}
