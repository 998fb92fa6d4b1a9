import { ConfigError, loadConfig } from '../../../src/config/load-config.js';
import { sheetsSettingsFromEnv } from '../../../src/sheets/sheets.settings.js';

describe('Sheets settings from the environment', () => {
  it('is off by default, with the production budget', () => {
    const settings = sheetsSettingsFromEnv(loadConfig({}));
    expect(settings.target).toBeUndefined();
    expect(settings.rate).toEqual({
      ratePerSecond: 5,
      burst: 50,
      windowLimit: 60,
      windowMs: 60_000,
      windowMarginMs: 1_000,
    });
    expect(settings.backoff).toEqual({ baseMs: 1_000, maxMs: 64_000, jitterMs: 1_000 });
    // A request must always finish inside the lease it was sent under.
    expect(settings.drain.requestTimeoutMs).toBeLessThan(settings.drain.leaseTtlMs);
  });

  it('refuses a spreadsheet without a key, and an API URL with a path (the client would drop it)', () => {
    expect(() => sheetsSettingsFromEnv(loadConfig({ GOOGLE_SHEETS_SPREADSHEET_ID: 'abc' }))).toThrow(
      'GOOGLE_SHEETS_SPREADSHEET_ID is set but GOOGLE_SERVICE_ACCOUNT_JSON is not',
    );
    expect(() => loadConfig({ GOOGLE_SHEETS_API_URL: 'http://127.0.0.1:4010/v4' })).toThrow(ConfigError);
    expect(loadConfig({ GOOGLE_SHEETS_API_URL: 'http://127.0.0.1:4010' }).GOOGLE_SHEETS_API_URL).toBe(
      'http://127.0.0.1:4010',
    );
  });
});
