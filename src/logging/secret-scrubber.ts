import { Writable } from 'node:stream';

const API_KEY_PATTERN = /bmcp_live_[A-Za-z0-9]{8,}/g;
// A JWT (base64url JSON header and payload, then a signature): in a log line it is an access token, e.g. one a
// client put in a URL query string (?access_token=…), which request logging would otherwise print.
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g;

/** Collects the concrete secret values a log line must never contain (configured keys, DB password...). */
export function secretValuesFrom(values: (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const value of values) {
    if (!value || value.length < 6) continue;
    out.add(value);
    out.add(JSON.stringify(value).slice(1, -1)); // as it appears inside a JSON log line
    try {
      // A service-account key (JSON text): its private key may surface on its own in an error message.
      const parsed = JSON.parse(value) as { private_key?: unknown };
      if (typeof parsed.private_key === 'string') {
        out.add(parsed.private_key).add(JSON.stringify(parsed.private_key).slice(1, -1));
      }
    } catch {
      // not JSON
    }
    try {
      const url = new URL(value);
      if (url.password) out.add(decodeURIComponent(url.password)).add(url.password);
    } catch {
      // not a URL
    }
  }
  return [...out].filter((v) => v.length >= 6).sort((a, b) => b.length - a.length);
}

/** Replaces secrets and anything shaped like a bland-mcp API key or a JWT in a serialised log line. */
export function scrub(line: string, secrets: readonly string[]): string {
  let out = line
    .replace(API_KEY_PATTERN, (key) => `${key.slice(0, 14)}…[REDACTED]`)
    .replace(JWT_PATTERN, '[REDACTED JWT]');
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  return out;
}

/**
 * A last line of defence under pino's path-based redaction: whatever a log call passes (an error message quoting
 * a URL, a header dumped by a library), configured secret values never reach stdout.
 */
export function scrubbingStream(target: NodeJS.WritableStream, secrets: readonly string[]): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      target.write(scrub(chunk.toString(), secrets));
      callback();
    },
  });
}
