/**
 * The forms a secret can take in a log line: itself, JSON-escaped (inside a JSON log line), percent-encoded (in
 * a URL), and for multi-line secrets (a PEM private key) each line on its own. Short fragments are left out: a
 * 64-character base64 line of a key is unique, a 4-character one is not.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  for (const line of secret.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.length >= 24 && !trimmed.startsWith('-----')) forms.add(trimmed);
  }
  return [...forms];
}

/** The JWS signature part of a JWT: enough on its own to replay nothing, but it identifies the token. */
export const jwtSignature = (jwt: string): string => jwt.split('.')[2] ?? jwt;

/** Which named secrets appear (in any form) in `text`. */
export function secretsFoundIn(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => secretForms(value).some((form) => text.includes(form)))
    .map(([name]) => name);
}
