import type { Browser } from 'playwright-core';
import { startCallsApp, type CallsTestApp } from '../../support/calls-app.js';
import { startFakeSupabaseAuth, type FakeSupabaseAuth } from '../../support/fake-supabase-oauth/index.js';
import { connectMcp } from '../../support/mcp-client.js';
import { describeInBrowser, launchChromium, screenshot, watchedPage } from './support/browser.js';

const EMAIL = 'grace@example.com';
const PASSWORD = 'a long and memorable passphrase';

/**
 * With SUPABASE_URL set, people sign in to the console with their Supabase account. The console then calls /api
 * with its Supabase *session* token (no client_id claim): accepted there, and still refused on /mcp, where only
 * tokens Supabase issued to an OAuth client (or API keys) are valid.
 */
describe('Supabase session tokens', () => {
  let fake: FakeSupabaseAuth;
  let t: CallsTestApp;
  beforeAll(async () => {
    fake = await startFakeSupabaseAuth();
    t = await startCallsApp({ SUPABASE_URL: fake.url, SUPABASE_ANON_KEY: fake.anonKey });
    fake.setSiteUrl(t.app.url);
  });
  afterAll(async () => {
    await t.app.stop();
    await fake.close();
  });

  it('are accepted on /api (as a session) and refused on /mcp', async () => {
    const session = await fake.tokens.sign(fake.addUser('session@example.com'));
    const me = await fetch(`${t.app.url}/api/me`, { headers: { authorization: `Bearer ${session}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      user: { email: 'session@example.com', via: 'session', client_id: null, api_key: null },
    });
    await expect(connectMcp(t.app.url, session, 'modern')).rejects.toThrow(/401|no client_id/);
  });

  describeInBrowser('the console signed in with Supabase', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
      fake.addUser(EMAIL, PASSWORD);
    });
    afterAll(() => browser?.close());

    it('signs in with email and password, lands on the calls page, and signs out of Supabase', async () => {
      const { page, problems } = await watchedPage(await browser.newContext({ locale: 'en-US' }));
      await page.goto(`${t.app.url}/console/`);
      await page.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Calls', level: 1 }).waitFor();
      expect(await page.locator('.who').textContent()).toBe(EMAIL);
      expect(await page.getByTestId('available-credits').textContent()).toBe('0');
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
      await screenshot(page, 'calls-supabase');

      await page.reload(); // the session survives a reload of the tab
      await page.getByRole('heading', { name: 'Calls', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('textbox', { name: 'Email' }).waitFor();
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
      expect(problems).toEqual([]);
    });
  });
});
