import { generateKeyPairSync, randomBytes } from 'node:crypto';

export interface TestServiceAccount {
  /** The key file's JSON text, as GOOGLE_SERVICE_ACCOUNT_JSON would hold it. */
  json: string;
  clientEmail: string;
  /** SPKI PEM the fake token endpoint verifies assertions with. */
  publicKeyPem: string;
}

/** A fresh RSA service-account key whose token_uri points at `tokenUri` (the fake's token endpoint). */
export function createTestServiceAccount(tokenUri: string): TestServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = `drain-${randomBytes(3).toString('hex')}@bland-mcp-test.iam.gserviceaccount.com`;
  const key = {
    type: 'service_account',
    project_id: 'bland-mcp-test',
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: '100000000000000000001',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
  };
  return {
    json: JSON.stringify(key, null, 2),
    clientEmail,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
