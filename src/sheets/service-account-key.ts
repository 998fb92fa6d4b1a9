import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Google's default token endpoint, used when a key file carries no token_uri. */
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

const KeySchema = z.object({
  type: z.literal('service_account', { error: 'expected "type": "service_account"' }),
  client_email: z.email(),
  private_key: z.string().includes('PRIVATE KEY', { error: 'expected a PEM private key' }),
  private_key_id: z.string().optional(),
  token_uri: z.url().default(GOOGLE_TOKEN_URI),
});

export type ServiceAccountKey = z.infer<typeof KeySchema>;

/**
 * GOOGLE_SERVICE_ACCOUNT_JSON holds either the key's JSON text or a path to the key file. Errors name the
 * problem but never echo the key.
 */
export function loadServiceAccountKey(value: string): ServiceAccountKey {
  const text = value.trimStart().startsWith('{') ? value : readKeyFile(value);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not chained: the parser's message quotes the text around the error, which may be part of the key.
    throw new Error('GOOGLE_SERVICE_ACCOUNT_JSON: not valid JSON');
  }
  const parsed = KeySchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(key)'}: ${i.message}`);
    throw new Error(`GOOGLE_SERVICE_ACCOUNT_JSON: not a service-account key (${problems.join('; ')})`);
  }
  return parsed.data;
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`GOOGLE_SERVICE_ACCOUNT_JSON: neither JSON nor a readable key file (${code}: ${path})`, {
      cause: err,
    });
  }
}
