/**
 * Bland webhook signatures: `X-Webhook-Signature` = hex HMAC-SHA256 of the request body with the org's webhook
 * signing secret (docs.bland.ai/tutorials/webhook-signing). Bland's own example re-serialises the parsed body
 * before hashing; we hash the raw bytes instead, because re-serialising need not reproduce them. No timestamp is
 * signed, so replay protection is the receiver's job (idempotent updates).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_SIGNATURE_HEADER = 'x-webhook-signature';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function signWebhookBody(rawBody: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Constant-time check of a signature header against the raw body. Accepts upper-case hex and a `sha256=` prefix
 * (not documented by Bland, but common elsewhere); anything else — missing, wrong length, not hex — is false.
 */
export function verifyWebhookSignature(
  rawBody: string | Buffer,
  headerValue: string | string[] | undefined,
  secret: string,
): boolean {
  if (secret === '' || typeof headerValue !== 'string') return false;
  const presented = headerValue
    .trim()
    .toLowerCase()
    .replace(/^sha256=/, '');
  if (!HEX_SHA256.test(presented)) return false;
  const expected = Buffer.from(signWebhookBody(rawBody, secret), 'hex');
  return timingSafeEqual(expected, Buffer.from(presented, 'hex'));
}
