import { randomUUID } from 'node:crypto';
import { ApiKeysService } from '../../../src/auth/api-keys.service.js';
import { AuthService } from '../../../src/auth/auth.service.js';
import type { AuthContext } from '../../../src/auth/auth-context.js';
import { BlandConnection } from '../../../src/calls/bland-connection.js';
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../../../src/calls/bland/webhook-signature.js';
import { UsersService } from '../../../src/users/users.service.js';
import { startCallsApp, type CallsTestApp } from '../../support/calls-app.js';
import { startFakeSupabase } from '../../support/fake-supabase-jwks.js';

export const PUBLIC_URL = 'https://mcp.example.test';

/** One user's data the matrix aims at: an ended call with a transcript, an idempotency key, a spare API key. */
export interface Tenant {
  auth: AuthContext;
  /** What this tenant authenticates with (an API key, or an OAuth access token). */
  token: string;
  callId: string;
  phone: string;
  /** Appears only in this tenant's transcript and summary: finding it elsewhere is a leak. */
  marker: string;
  idempotencyKey: string;
  /** A key of this tenant that a test may revoke. */
  spareKeyId: string;
}

export interface World {
  t: CallsTestApp;
  /** The user whose credentials make the requests. */
  owner: Tenant;
  /** The same kind of user, signed in with a Supabase OAuth token. */
  oauthOwner: Tenant;
  /** Another user, whose data must stay out of reach. */
  victim: Tenant;
  /** A fixed start time for calls the matrix places (so a repeated request is the same request). */
  scheduleAt: string;
  /** Credentials that must be refused. */
  revokedKey: string;
  disabledUserKey: string;
  disabledOAuthToken: string;
  expiredOAuthToken: string;
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;

/** The app with OAuth (a local JWKS standing in for Supabase) and the users and data the matrix needs. */
export async function buildWorld(): Promise<World> {
  const supabase = await startFakeSupabase();
  const t = await startCallsApp({
    SUPABASE_URL: supabase.url,
    PUBLIC_URL,
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  const users = t.app.app.get(UsersService);
  const keys = t.app.app.get(ApiKeysService);
  const authService = t.app.app.get(AuthService);
  const secret = t.app.app.get(BlandConnection).webhookSecret!;
  let phoneSuffix = 160;

  /** An ended call with a transcript that names `marker`, delivered as Bland would: a signed webhook. */
  const tenant = async (auth: AuthContext, token: string): Promise<Tenant> => {
    const marker = `marker-${randomUUID()}`;
    const phone = `+1415555${String(phoneSuffix++).padStart(4, '0')}`;
    const idempotencyKey = `matrix-${randomUUID()}`;
    const { call } = await t.calls.place(auth, {
      phone_number: phone,
      task: 'Ask about the delivery.',
      idempotency_key: idempotencyKey,
      start_time: new Date(Date.now() + HOUR_MS).toISOString(), // stays queued: only our webhook ends it
    });
    const body = JSON.stringify({
      call_id: call.blandCallId,
      status: 'completed',
      completed: true,
      call_length: 1.5,
      answered_by: 'human',
      summary: `Summary ${marker}`,
      concatenated_transcript: `assistant: hello \n user: the code is ${marker}`,
      metadata: { bmcp_call_id: call.id },
    });
    const res = await fetch(`${t.app.url}/webhooks/bland`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(body, secret),
      },
      body,
    });
    if (res.status !== 200) throw new Error(`fixture webhook answered ${res.status}`);
    const spare = await keys.create(auth.userId, { name: 'spare' });
    return {
      auth,
      token,
      callId: call.id,
      phone,
      marker,
      idempotencyKey,
      spareKeyId: spare.record.id,
    };
  };

  const keyed = async () => {
    const user = await t.newUser(1_000);
    return tenant(user, user.apiKey);
  };
  const oauth = async (sub: string, credits: number) => {
    const token = await supabase.sign({ sub, email: `${sub}@example.com` });
    const auth = await authService.authenticate(`Bearer ${token}`); // first login creates the user
    if (credits > 0) await t.credits.grant(auth.userId, credits, 'matrix', 'test');
    return { token, auth };
  };

  const owner = await keyed();
  const victim = await keyed();
  const ownerSubject = randomUUID();
  const signedIn = await oauth(ownerSubject, 1_000);
  const oauthOwner = await tenant(signedIn.auth, signedIn.token);

  const revoked = await t.newUser(10);
  await keys.revoke(revoked.apiKeyId!, revoked.userId);
  const disabled = await t.newUser(10);
  await users.disable(disabled.userId);
  const disabledOAuth = await oauth(randomUUID(), 0);
  await users.disable(disabledOAuth.auth.userId);

  return {
    t,
    owner,
    oauthOwner,
    victim,
    scheduleAt: new Date(Date.now() + HOUR_MS).toISOString(),
    revokedKey: revoked.apiKey,
    disabledUserKey: disabled.apiKey,
    disabledOAuthToken: disabledOAuth.token,
    expiredOAuthToken: await supabase.sign(
      { sub: ownerSubject, email: `${ownerSubject}@example.com` },
      { expiresIn: '-5m' },
    ),
    stop: async () => {
      await t.app.stop();
      await supabase.close();
    },
  };
}
