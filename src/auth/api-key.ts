import { createHash, randomBytes } from 'node:crypto';

/** bland-mcp API keys: `bmcp_live_` + 43 base62 characters (32 random bytes = 256 bits). */
export const API_KEY_PREFIX = 'bmcp_live_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const API_KEY_FORMAT = /^bmcp_live_[0-9A-Za-z]{43}$/;

function base62(bytes: Buffer, length: number): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (out.length < length) {
    out = BASE62[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out;
}

export function generateApiKey(): string {
  // 43 base62 digits hold 256 bits (62^43 > 2^256), so the encoding keeps every random bit.
  return API_KEY_PREFIX + base62(randomBytes(32), 43);
}

export const looksLikeApiKey = (value: string): boolean => API_KEY_FORMAT.test(value);

/** Keys are stored only as their SHA-256 (high-entropy secrets need no slow hash; lookup stays O(1)). */
export const hashApiKey = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/** What may be shown after creation: a prefix and the last 4 characters. */
export const displayParts = (key: string) => ({
  prefix: key.slice(0, API_KEY_PREFIX.length + 4),
  last4: key.slice(-4),
});
