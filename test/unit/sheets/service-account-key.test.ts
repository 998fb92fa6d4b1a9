import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GOOGLE_TOKEN_URI, loadServiceAccountKey } from '../../../src/sheets/service-account-key.js';

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const key = {
  type: 'service_account',
  client_email: 'log@project.iam.gserviceaccount.com',
  private_key: privateKey,
  private_key_id: 'abc',
  token_uri: 'http://127.0.0.1:9/token',
};

describe('GOOGLE_SERVICE_ACCOUNT_JSON', () => {
  it('accepts the JSON text, keeping its token_uri', () => {
    expect(loadServiceAccountKey(JSON.stringify(key))).toMatchObject({
      token_uri: 'http://127.0.0.1:9/token',
    });
  });

  it('accepts a path to the key file, and defaults token_uri to Google’s', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bmcp-key-'));
    try {
      const file = path.join(dir, 'key.json');
      writeFileSync(file, JSON.stringify({ ...key, token_uri: undefined }));
      expect(loadServiceAccountKey(file)).toMatchObject({
        client_email: key.client_email,
        token_uri: GOOGLE_TOKEN_URI,
      });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('says what is wrong without echoing the key', () => {
    const bad = JSON.stringify({ ...key, type: 'authorized_user', client_email: 'nope' });
    expect(() => loadServiceAccountKey(bad)).toThrow(/not a service-account key \(type: .*client_email: /);
    expect(() => loadServiceAccountKey(bad)).not.toThrow(/PRIVATE KEY/);
    expect(() => loadServiceAccountKey('{"type":')).toThrow('GOOGLE_SERVICE_ACCOUNT_JSON: not valid JSON');
    expect(() => loadServiceAccountKey('/nonexistent/key.json')).toThrow(
      /neither JSON nor a readable key file \(ENOENT/,
    );
  });
});
