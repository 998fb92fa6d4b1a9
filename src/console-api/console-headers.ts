import type { AppConfig } from '../config/app-config.js';

/**
 * Response headers for every /console response. The CSP allows only our own scripts and styles (the build emits no
 * inline code), API calls to this origin and to the Supabase project, and audio from https (Bland's recordings).
 * Trusted Types are required, so a string can never become script even through a DOM sink. The consent page must
 * not be framed (clickjacking an Approve button), hence frame-ancestors 'none'.
 */
export function consoleHeaders(config: Pick<AppConfig, 'SUPABASE_URL'>): Record<string, string> {
  const connect = ["'self'", ...(config.SUPABASE_URL ? [new URL(config.SUPABASE_URL).origin] : [])];
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    'media-src https:',
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The consent URL carries an authorization id: never leak it to another site in a Referer.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
