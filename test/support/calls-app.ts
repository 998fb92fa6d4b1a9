import type { AuthContext } from '../../src/auth/auth-context.js';
import { BlandConnection } from '../../src/calls/bland-connection.js';
import type { BlandSimulator } from '../../src/calls/bland/simulator/index.js';
import { CallsService } from '../../src/calls/calls.service.js';
import { ReconciliationService } from '../../src/calls/reconciliation.service.js';
import { CreditsService } from '../../src/credits/credits.service.js';
import { UsersService } from '../../src/users/users.service.js';
import { ApiKeysService } from '../../src/auth/api-keys.service.js';
import { startTestApp, type TestApp } from './app.js';

export interface CallsTestApp {
  app: TestApp;
  sim: BlandSimulator;
  calls: CallsService;
  credits: CreditsService;
  reconciler: ReconciliationService;
  /** A new user with `credits`, authenticated through its real API key. */
  newUser(credits?: number): Promise<AuthContext & { apiKey: string }>;
}

/** The full app with the built-in simulator (fast time scale) and the services a calls test drives. */
export async function startCallsApp(env: Record<string, string> = {}): Promise<CallsTestApp> {
  const app = await startTestApp({ BLAND_SIMULATOR_TIME_SCALE: '0.005', BLAND_TIMEOUT_MS: '1000', ...env });
  const sim = app.app.get(BlandConnection).simulator!;
  const users = app.app.get(UsersService);
  const keys = app.app.get(ApiKeysService);
  let n = 0;
  return {
    app,
    sim,
    calls: app.app.get(CallsService),
    credits: app.app.get(CreditsService),
    reconciler: app.app.get(ReconciliationService),
    newUser: async (credits = 1_000) => {
      const { apiKey } = await users.create({
        email: `caller${++n}-${Date.now()}@example.com`,
        credits,
        withApiKey: true,
        actor: 'test',
      });
      return { ...(await keys.authenticate(apiKey!)), apiKey: apiKey! };
    },
  };
}
