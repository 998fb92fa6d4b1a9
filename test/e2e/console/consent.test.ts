import type { Browser, Page } from 'playwright-core';
import { startCallsApp, type CallsTestApp } from '../../support/calls-app.js';
import { startFakeSupabaseAuth, type FakeSupabaseAuth } from '../../support/fake-supabase-oauth/index.js';
import {
  accessibilityProblems,
  describeInBrowser,
  launchChromium,
  screenshot,
  watchedPage,
} from './support/browser.js';

const EMAIL = 'ada@example.com';
const PASSWORD = 'correct horse battery staple';

describeInBrowser('the OAuth consent page, against a local Supabase Auth', () => {
  let fake: FakeSupabaseAuth;
  let t: CallsTestApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    [fake, browser] = await Promise.all([startFakeSupabaseAuth(), launchChromium()]);
    t = await startCallsApp({ SUPABASE_URL: fake.url, SUPABASE_ANON_KEY: fake.anonKey });
    fake.setSiteUrl(t.app.url);
    fake.addUser(EMAIL, PASSWORD);
    const context = await browser.newContext({ locale: 'en-US' });
    ({ page, problems } = await watchedPage(context));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.app.stop();
    await fake?.close();
  });
  afterEach(() => expect(problems.splice(0)).toEqual([]));

  /** What the client's redirect URI received last. */
  const callback = () => Object.fromEntries(fake.callbacks.at(-1)!);
  const authorizationId = () => new URL(page.url()).searchParams.get('authorization_id')!;

  it('signs in, shows who asks for what, and approves', async () => {
    const claude = fake.registerClient('Claude', { uri: 'https://claude.ai' });
    await page.goto(fake.authorizeUrl(claude, { state: 'state-approve', scope: 'openid email' }));
    await page.waitForURL(`${t.app.url}/console/oauth/consent?authorization_id=*`);
    const id = authorizationId();
    await page.getByText('Sign in to review the request').waitFor();
    await screenshot(page, 'consent-sign-in');

    await page.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Invalid login credentials').waitFor();
    expect(problems.splice(0)).toEqual([expect.stringContaining('400')]); // the refused password

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect(await page.getByTestId('client-name').textContent()).toBe('Claude');
    expect(await page.getByTestId('redirect-host').textContent()).toBe(new URL(fake.url).host);
    expect(await page.getByTestId('signed-in-as').textContent()).toContain(EMAIL);
    const scopes = await page.getByTestId('scopes').textContent();
    expect(scopes).toContain('Place phone calls that spend your credits');
    expect(scopes).toContain('See your email address (email)');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'consent');

    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${fake.callbackUrl}?*`);
    expect(callback()).toEqual({ code: expect.any(String), state: 'state-approve' });
    expect(fake.authorization(id)).toMatchObject({ status: 'approved' });
  });

  it('skips the question when the user approved this client before', async () => {
    const claude = fake.registerClient('Claude again');
    await page.goto(fake.authorizeUrl(claude, { state: 'first' }));
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${fake.callbackUrl}?*`);
    await page.goto(fake.authorizeUrl(claude, { state: 'second' }));
    await page.waitForURL(`${fake.callbackUrl}?*state=second*`);
    expect(callback()).toEqual({ code: expect.any(String), state: 'second' });
  });

  it('denies', async () => {
    const chatgpt = fake.registerClient('ChatGPT');
    await page.goto(fake.authorizeUrl(chatgpt, { state: 'state-deny' }));
    await page.getByTestId('client-name').getByText('ChatGPT').waitFor(); // still signed in: this tab's session
    const id = authorizationId();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(`${fake.callbackUrl}?*`);
    expect(callback()).toEqual({
      error: 'access_denied',
      error_description: 'User denied the request',
      state: 'state-deny',
    });
    expect(fake.authorization(id)).toMatchObject({ status: 'denied' });
  });

  it.each([
    ['an unknown authorization id', () => 'no-such-authorization'],
    ['an expired one', () => expiredAuthorization()],
  ])('explains %s clearly', async (_case, makeId) => {
    await page.goto(`${t.app.url}/console/oauth/consent?authorization_id=${await makeId()}`);
    await page.getByText('This authorization request has expired or is not valid.').waitFor();
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(problems.splice(0)).toEqual([expect.stringContaining('404')]);
    await screenshot(page, 'consent-invalid');
  });

  it('explains a link without an authorization id', async () => {
    await page.goto(`${t.app.url}/console/oauth/consent`);
    await page.getByText('This link has no valid authorization request.').waitFor();
  });

  it('signs in with a magic link that returns to the consent page', async () => {
    await page.goto(`${t.app.url}/console/oauth/consent`);
    await page.evaluate(() => sessionStorage.clear()); // signed out
    const cursor = fake.registerClient('Cursor');
    await page.goto(fake.authorizeUrl(cursor, { state: 'magic' }));
    await page.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByText(`We sent a sign-in link to ${EMAIL}`).waitFor();

    // The link from the email opens in a new tab: a fresh sessionStorage, signed in from the URL alone.
    const link = fake.magicLinkFor(EMAIL)!;
    expect(link.startsWith(`${t.app.url}/console/oauth/consent?authorization_id=`)).toBe(true);
    const tab = await watchedPage(page.context());
    await tab.page.goto(link);
    await tab.page.getByTestId('client-name').getByText('Cursor').waitFor();
    expect(new URL(tab.page.url()).hash).toBe(''); // auth-js took the tokens out of the address bar
    await tab.page.getByRole('button', { name: 'Approve' }).click();
    await tab.page.waitForURL(`${fake.callbackUrl}?*`);
    expect(callback()).toMatchObject({ state: 'magic' });
    expect(tab.problems).toEqual([]);
    await tab.page.close();
  });

  /** An authorization Supabase created, then let lapse (its 10 minutes passed). */
  async function expiredAuthorization(): Promise<string> {
    const client = fake.registerClient('Slow client');
    const res = await fetch(fake.authorizeUrl(client), { redirect: 'manual' });
    const id = new URL(res.headers.get('location')!).searchParams.get('authorization_id')!;
    fake.expire(id);
    return id;
  }
});
