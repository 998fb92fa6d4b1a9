import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPair } from 'jose';
import { ApiKeysService } from '../../src/auth/api-keys.service.js';
import { AuthService } from '../../src/auth/auth.service.js';
import { startBlandSimulator, type BlandSimulator } from '../../src/calls/bland/simulator/index.js';
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../../src/calls/bland/webhook-signature.js';
import { CallsService } from '../../src/calls/calls.service.js';
import { ReconciliationService } from '../../src/calls/reconciliation.service.js';
import { CreditsService } from '../../src/credits/credits.service.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/database/embedded-postgres.js';
import { UsersService } from '../../src/users/users.service.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { FakeSheetsServer } from '../support/fake-sheets/fake-sheets-server.js';
import { startFakeSupabase } from '../support/fake-supabase-jwks.js';
import { connectMcp } from '../support/mcp-client.js';
import { eventually } from '../support/wait.js';
import { jwtSignature, secretsFoundIn } from './support/secrets.js';

const TASK = 'Confirm the delivery window and ask for the gate code.';
const HOUR_MS = 3_600_000;

/**
 * A realistic session at LOG_LEVEL=trace — calls placed, completed by signed webhooks and reconciled, OAuth
 * sign-ins, refused credentials, Bland and Sheets failures, console key management — then every captured log line
 * is searched for every secret the session used. The secrets are real ones, used for real: a Bland key the
 * (standalone) simulator requires, a webhook secret it signs with, a service-account key the Sheets drain signs its
 * token request with, and a database password (its own embedded Postgres, so the password is a strong one).
 */
describe('no secret ever reaches a log line', () => {
  let dataDir: string;
  let database: EmbeddedDatabase;
  let bland: BlandSimulator;
  let sheets: FakeSheetsServer;
  let supabase: Awaited<ReturnType<typeof startFakeSupabase>>;
  let app: TestApp;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'bmcp-logscan-'));
    database = await startEmbeddedPostgres(dataDir, 'bland_mcp', {
      info: () => undefined,
      warn: () => undefined,
    });
    secrets['DATABASE_URL password'] = decodeURIComponent(new URL(database.url).password);
    secrets.BLAND_API_KEY = `org_${randomBytes(32).toString('hex')}`;
    secrets.BLAND_WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64url')}`;
    bland = await startBlandSimulator({
      apiKey: secrets.BLAND_API_KEY,
      webhookSecret: secrets.BLAND_WEBHOOK_SECRET,
      timeScale: 0.005,
      seed: 7,
    });
    sheets = await FakeSheetsServer.start();
    secrets.GOOGLE_SERVICE_ACCOUNT_JSON = sheets.serviceAccount.json;
    secrets['service-account private key'] = (
      JSON.parse(sheets.serviceAccount.json) as { private_key: string }
    ).private_key;
    supabase = await startFakeSupabase();
    app = await startTestApp({
      LOG_LEVEL: 'trace',
      DATABASE_URL: database.url,
      BLAND_API_KEY: secrets.BLAND_API_KEY,
      BLAND_API_URL: bland.url,
      BLAND_WEBHOOK_SECRET: secrets.BLAND_WEBHOOK_SECRET,
      BLAND_TIMEOUT_MS: '1000',
      GOOGLE_SHEETS_SPREADSHEET_ID: sheets.spreadsheetId,
      GOOGLE_SERVICE_ACCOUNT_JSON: sheets.serviceAccount.json,
      GOOGLE_SHEETS_API_URL: sheets.url,
      SHEETS_DRAIN_INTERVAL_MS: '100',
      SUPABASE_URL: supabase.url,
      DISPATCH_UNKNOWN_GRACE_SECONDS: '10',
    });
  });

  afterAll(async () => {
    await app?.stop();
    await Promise.all([bland?.stop(), sheets?.close(), supabase?.close()]);
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const mcp = (authorization: string | undefined, body: object) =>
    fetch(`${app.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify(body),
    });
  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'scan', version: '1' } },
  };

  it('a realistic session with failures leaves no key, token, secret or password in any log line', async () => {
    const users = app.app.get(UsersService);
    const keys = app.app.get(ApiKeysService);
    const calls = app.app.get(CallsService);
    const credits = app.app.get(CreditsService);
    let n = 0;
    const newUser = async () => {
      const { user, apiKey } = await users.create({
        email: `scan${++n}@example.com`,
        credits: 5_000,
        withApiKey: true,
        actor: 'test',
      });
      secrets[`API key of user ${n}`] = apiKey!;
      return { user, apiKey: apiKey!, auth: await keys.authenticate(apiKey!) };
    };

    // Calls through the official client, both eras; one completes, one is stopped.
    const alice = await newUser();
    for (const era of ['modern', 'legacy'] as const) {
      const client = await connectMcp(app.url, alice.apiKey, era);
      const placed = await client.callTool({
        name: 'place_call',
        arguments: {
          phone_number: '+14155550171',
          task: TASK,
          max_duration_minutes: 2,
          request_data: { pin: 1234 },
        },
      });
      const callId = (placed.structuredContent as { call_id: string }).call_id;
      await client.callTool({ name: 'wait_for_call', arguments: { call_id: callId, timeout_seconds: 20 } });
      await client.callTool({ name: 'get_call', arguments: { call_id: callId, include_transcript: true } });
      await client.callTool({ name: 'list_calls', arguments: {} });
      await client.readResource({ uri: `call://${callId}/transcript` });
      await client.callTool({ name: 'get_credit_balance', arguments: {} });
      const scheduled = await client.callTool({
        name: 'place_call',
        arguments: {
          phone_number: '+14155550172',
          task: TASK,
          start_time: new Date(Date.now() + HOUR_MS).toISOString(),
        },
      });
      const scheduledId = (scheduled.structuredContent as { call_id: string }).call_id;
      await client.callTool({ name: 'stop_call', arguments: { call_id: scheduledId } });
      await client.close();
    }

    // OAuth: a first sign-in (creates the user), then calls; refused tokens of every kind.
    const token = await supabase.sign({
      sub: '2b8a1d3e-0000-4000-8000-00000000abcd',
      email: 'oauth@example.com',
    });
    secrets['OAuth access token'] = token;
    secrets['OAuth access token signature'] = jwtSignature(token);
    const oauthClient = await connectMcp(app.url, token, 'modern');
    await oauthClient.callTool({ name: 'get_credit_balance', arguments: {} });
    await oauthClient.callTool({
      name: 'place_call',
      arguments: { phone_number: '+14155550173', task: TASK },
    });
    await oauthClient.close();
    const expired = await supabase.sign({}, { expiresIn: '-5m' });
    const forged = await supabase.sign({}, { key: (await generateKeyPair('RS256')).privateKey });
    const noClient = await supabase.sign({ client_id: undefined });
    Object.assign(secrets, {
      'expired OAuth token': expired,
      'forged OAuth token': forged,
      'session token (no client_id)': noClient,
    });
    const bob = await newUser();
    const revoked = await newUser();
    await keys.revoke(revoked.auth.apiKeyId!, revoked.user.id);
    const disabled = await newUser();
    await users.disable(disabled.user.id);
    const unknownKey = `bmcp_live_${'Z'.repeat(43)}`;
    for (const authorization of [
      `Bearer ${expired}`,
      `Bearer ${forged}`,
      `Bearer ${noClient}`,
      `Bearer ${revoked.apiKey}`,
      `Bearer ${disabled.apiKey}`,
      `Bearer ${unknownKey}`,
      `Bearer ${bob.apiKey} trailing`,
      `Basic ${Buffer.from(`user:${bob.apiKey}`).toString('base64')}`,
      bob.apiKey,
    ]) {
      expect([401, 403]).toContain((await mcp(authorization, initialize)).status);
    }
    expect((await mcp(`Bearer ${bob.apiKey}`, initialize)).status).toBe(200);
    // A client that puts its credentials in the URL (RFC 6750 §2.3 form, never accepted here): request logging
    // prints the URL, so the scrubber must catch them there too.
    await fetch(`${app.url}/mcp?access_token=${token}&api_key=${bob.apiKey}`, { method: 'POST' });
    expect(await app.app.get(AuthService).authenticate(`Bearer ${bob.apiKey}`)).toMatchObject({
      userId: bob.user.id,
    });

    // Bland failures: refused, unauthorised, rate limited, timed out, dropped after accepting.
    for (const fault of [
      { forced: { status: 500, times: 1 } },
      { forced: { status: 401, times: 1 } },
      { rateLimit: { times: 1 } },
      { timeout: { times: 1 } },
      { dropAfterAccept: { times: 1 } },
    ]) {
      bland.setFaults({ ...fault, routes: ['send'] });
      await calls.place(bob.auth, { phone_number: '+14155550174', task: TASK }).catch(() => undefined);
      bland.clearFaults();
    }
    const reconciler = app.app.get(ReconciliationService);
    for (const call of (await calls.list(bob.auth, { limit: 100 })).calls)
      await reconciler.reconcileOne(call);

    // Webhooks: forged and garbage bodies next to the simulator's real, signed ones.
    const forgedHook = JSON.stringify({ call_id: 'x', status: 'completed' });
    for (const [body, signature] of [
      [forgedHook, signWebhookBody(forgedHook, 'not-the-secret')],
      ['not json', signWebhookBody('not json', secrets.BLAND_WEBHOOK_SECRET!)],
      [forgedHook, undefined],
    ] as const) {
      await fetch(`${app.url}/webhooks/bland`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { [WEBHOOK_SIGNATURE_HEADER]: signature } : {}),
        },
        body,
      });
    }

    // The console: create and revoke keys, read the account with the OAuth token.
    const created = await fetch(`${app.url}/api/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'laptop' }),
    });
    const { key, api_key } = (await created.json()) as { key: string; api_key: { id: string } };
    secrets['API key created in the console'] = key;
    await fetch(`${app.url}/api/keys/${api_key.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${key}` },
    });
    await fetch(`${app.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });

    // Sheets: the drain signed a token request with the service-account key and wrote rows; then an outage.
    await eventually(async () => sheets.writes().length > 0, 'the Sheets drain to write rows', 20_000);
    secrets['Google access token'] = sheets.requests.find((r) => r.token)?.token ?? '';
    sheets.setFaults({ serverErrorRate: 1 });
    await credits.grant(alice.user.id, 1, 'touch', 'test');
    await calls.place(alice.auth, { phone_number: '+14155550175', task: TASK }).catch(() => undefined);
    await eventually(
      async () => sheets.requests.some((r) => r.status === 503),
      'the drain to meet the Sheets outage',
      20_000,
    );

    const logs = app.logs();
    expect(secrets['Google access token']).not.toBe('');
    expect(secretsFoundIn(logs, secrets)).toEqual([]);
    // Proof the scan looked at a real session: request lines with redacted credentials, failures, webhooks.
    expect(logs.split('\n').length).toBeGreaterThan(100);
    expect(logs).toContain('"authorization":"[REDACTED]"');
    expect(logs).toContain('/webhooks/bland');
    expect(logs).toMatch(/"statusCode":401/);
  }, 120_000);
});
