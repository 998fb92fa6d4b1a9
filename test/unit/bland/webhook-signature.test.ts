import { createHmac } from 'node:crypto';
import { signWebhookBody, verifyWebhookSignature } from '../../../src/calls/bland/webhook-signature.js';

const SECRET = 'whsec_unit';
const BODY = '{"call_id":"c1","status":"completed"}';

describe('webhook signatures', () => {
  it('signs as hex HMAC-SHA256 of the raw body, as Bland documents', () => {
    expect(signWebhookBody(BODY, SECRET)).toBe(createHmac('sha256', SECRET).update(BODY).digest('hex'));
    expect(signWebhookBody(Buffer.from(BODY), SECRET)).toBe(signWebhookBody(BODY, SECRET));
  });

  it('accepts a good signature, in either case and with a sha256= prefix', () => {
    const signature = signWebhookBody(BODY, SECRET);
    expect(verifyWebhookSignature(BODY, signature, SECRET)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(BODY), signature.toUpperCase(), SECRET)).toBe(true);
    expect(verifyWebhookSignature(BODY, `sha256=${signature}`, SECRET)).toBe(true);
  });

  it.each([
    ['a different body', signWebhookBody(BODY, SECRET), `${BODY} `, SECRET],
    ['a different secret', signWebhookBody(BODY, 'other'), BODY, SECRET],
    ['a missing header', undefined, BODY, SECRET],
    ['an empty header', '', BODY, SECRET],
    ['a repeated header', [signWebhookBody(BODY, SECRET)], BODY, SECRET],
    ['a truncated signature', signWebhookBody(BODY, SECRET).slice(0, 63), BODY, SECRET],
    ['an over-long signature', `${signWebhookBody(BODY, SECRET)}00`, BODY, SECRET],
    ['non-hex of the right length', 'z'.repeat(64), BODY, SECRET],
    ['an empty secret', signWebhookBody(BODY, ''), BODY, ''],
  ])('rejects %s', (_label, header, body, secret) => {
    expect(verifyWebhookSignature(body, header, secret)).toBe(false);
  });

  it('rejects a body re-serialised differently from the bytes that were signed', () => {
    const signature = signWebhookBody('{"a": 1}', SECRET);
    expect(verifyWebhookSignature(JSON.stringify(JSON.parse('{"a": 1}')), signature, SECRET)).toBe(false);
  });
});
