import { ConfigError, loadConfig } from '../../../src/config/load-config.js';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', DATA_DIR: './.data', LOG_LEVEL: 'info' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.HTTP_KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
  });

  it('reports every bad variable at once, each with what is expected', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', PUBLIC_URL: 'not a url', MIGRATE_ON_BOOT: 'maybe' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT: .*number/m);
    expect(problems).toMatch(/^LOG_LEVEL: .*"info"/m);
    expect(problems).toMatch(/^PUBLIC_URL: expected an absolute URL/m);
    expect(problems).toMatch(/^MIGRATE_ON_BOOT: expected true or false/m);
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  it('never echoes the value of a secret variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres-with-password-hunter2' })).toThrow(ConfigError);
    try {
      loadConfig({ DATABASE_URL: 'postgres-with-password-hunter2' });
    } catch (err) {
      expect((err as ConfigError).message).toContain('DATABASE_URL');
      expect((err as ConfigError).message).not.toContain('hunter2');
    }
  });

  it('rejects a headers timeout that does not exceed the keep-alive timeout', () => {
    expect(() =>
      loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '70000', HTTP_HEADERS_TIMEOUT_MS: '65000' }),
    ).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
  });
});
