import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AuthContext } from '../../../../src/auth/auth-context.js';
import { mapBlandCall } from '../../../../src/calls/bland/bland.mapper.js';
import { connectBland } from '../../../../src/calls/bland-connection.js';
import { startBlandSimulator, type BlandSimulator } from '../../../../src/calls/bland/simulator/index.js';
import type { BlandSimulatorOptions } from '../../../../src/calls/bland/simulator/sim.types.js';
import { CallsService } from '../../../../src/calls/calls.service.js';
import { ConfigModule } from '../../../../src/config/config.module.js';
import { loadConfig } from '../../../../src/config/load-config.js';
import { chargeFor } from '../../../../src/credits/pricing.js';
import { DatabaseModule } from '../../../../src/database/database.module.js';
import { DatabaseService } from '../../../../src/database/database.service.js';
import { HealthModule } from '../../../../src/health/health.module.js';
import { ReadinessRegistry } from '../../../../src/health/readiness.registry.js';
import { LambdaLogger } from '../../../../src/lambda/lambda-logger.js';
import { createPollerHandler, type PollerLambdaResult } from '../../../../src/lambda/poller-handler.js';
import { wirePollRunner } from '../../../../src/lambda/wiring.js';
import { MetricsModule } from '../../../../src/metrics/metrics.module.js';
import { MetricsService } from '../../../../src/metrics/metrics.service.js';
import { PollRunner } from '../../../../src/poller/poll-runner.js';
import { PollerModule } from '../../../../src/poller/poller.module.js';
import { PollerScheduler } from '../../../../src/poller/poller.scheduler.js';
import { pollerSettingsFromEnv, type PollerSettings } from '../../../../src/poller/poller.settings.js';
import { createTestDatabase, type TestDatabase } from '../../../support/database.js';
import { accountServices } from '../../../support/services.js';

export const BLAND_KEY = 'org_poller_test_key_0123456789';

/** Captures log lines from Nest's Logger (app instances) and from the Lambda's console logger alike. */
export class MemoryLog implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];
  log = (message: unknown) => void this.lines.push({ level: 'log', message: String(message) });
  warn = (message: unknown) => void this.lines.push({ level: 'warn', message: String(message) });
  error = (message: unknown) => void this.lines.push({ level: 'error', message: String(message) });
  /** The console-shaped sink the Lambda logger writes to. */
  readonly console = {
    debug: (line: string) => void this.lines.push({ level: 'debug', message: line }),
    info: (line: string) => void this.lines.push({ level: 'log', message: line }),
    warn: (line: string) => void this.lines.push({ level: 'warn', message: line }),
    error: (line: string) => void this.lines.push({ level: 'error', message: line }),
  };
  matching(level: string, pattern: RegExp): string[] {
    return this.lines.filter((l) => l.level === level && pattern.test(l.message)).map((l) => l.message);
  }
}

/**
 * One test database and one Bland simulator reached as the real API (BLAND_API_KEY set, BLAND_WEBHOOK_SECRET not):
 * calls carry no webhook URL, so their status can only change through polling.
 */
export interface PollerWorld {
  t: TestDatabase;
  sim: BlandSimulator;
  log: MemoryLog;
  /** Environment every runner shares; tests add POLLER_* on top. */
  env: Record<string, string>;
  newUser(credits?: number): Promise<AuthContext>;
  stop(): Promise<void>;
}

export async function startPollerWorld(simulator: BlandSimulatorOptions = {}): Promise<PollerWorld> {
  const t = await createTestDatabase();
  const sim = await startBlandSimulator({ apiKey: BLAND_KEY, timeScale: 1, seed: 7, ...simulator });
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: t.url,
    BLAND_API_KEY: BLAND_KEY,
    BLAND_API_URL: sim.url,
    BLAND_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'silent',
    MAX_CONCURRENT_CALLS_PER_USER: '1000',
    MAX_CALLS_PER_HOUR_PER_USER: '100000',
  };
  const accounts = accountServices(t.db, env);
  return {
    t,
    sim,
    log: new MemoryLog(),
    env,
    newUser: async (credits = 10_000) => {
      const { user } = await accounts.newUser(credits);
      return { userId: user.id, email: user.email, via: 'api_key' };
    },
    stop: async () => {
      await sim.stop();
      await t.drop();
    },
  };
}

export interface AppInstance {
  app: INestApplication;
  scheduler: PollerScheduler;
  runner: PollRunner;
  calls: CallsService;
  metrics(): Promise<string>;
  readiness(): Promise<unknown>;
  close(): Promise<void>;
}

/** An app instance as AppModule wires the poller (global Config/Database/Metrics/Health), without HTTP. */
export async function startAppInstance(
  world: PollerWorld,
  env: Record<string, string> = {},
): Promise<AppInstance> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(loadConfig({ ...world.env, ...env })),
      // Its own pool, as every instance has: closing the instance leaves the test database usable.
      DatabaseModule.forRoot(new DatabaseService(world.t.url, 10)),
      MetricsModule,
      HealthModule,
      PollerModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: world.log });
  await app.init();
  return {
    app,
    scheduler: app.get(PollerScheduler),
    runner: app.get(PollRunner),
    calls: app.get(CallsService),
    metrics: () => app.get(MetricsService).registry.metrics(),
    readiness: async () => (await app.get(ReadinessRegistry).evaluate()).checks.poller,
    close: () => app.close(),
  };
}

export interface LambdaInvoker {
  invoke(requestId?: string, remainingMs?: number): Promise<PollerLambdaResult>;
  close(): Promise<void>;
}

/** The Lambda handler in-process (one "container"), its settings from plain env vars as in local runs. */
export function lambdaContainer(world: PollerWorld, env: Record<string, string> = {}): LambdaInvoker {
  const handler = createPollerHandler({
    env: { ...world.env, AWS_LAMBDA_FUNCTION_NAME: 'bland-mcp-test-poller', ...env },
    parameters: () => {
      throw new Error('no SSM in this test: APP_PARAMETER_PATH is unset');
    },
    logger: new LambdaLogger(world.log.console),
  });
  return {
    invoke: (requestId = randomUUID(), remainingMs = 240_000) => {
      const deadline = Date.now() + remainingMs;
      return handler({}, { awsRequestId: requestId, getRemainingTimeInMillis: () => deadline - Date.now() });
    },
    close: () => handler.close(),
  };
}

/** Places `outcomes.length` calls and lets the simulator end each with its outcome (no webhook tells us). */
export async function placeEndedCalls(
  world: PollerWorld,
  calls: CallsService,
  auth: AuthContext,
  outcomes: ('completed' | 'no-answer' | 'busy' | 'voicemail' | 'failed')[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const outcome of outcomes) {
    const phone = `+1415555${String(1000 + Math.floor(Math.random() * 9000))}`;
    const { call } = await calls.place(auth, { phone_number: phone, task: 'Confirm the delivery window.' });
    world.sim.completeCall(call.blandCallId!, outcome);
    ids.push(call.id);
  }
  return ids;
}

export interface SettledCall {
  id: string;
  status: string;
  durationSeconds: number | null;
  chargedCredits: number | null;
  /** Ledger entries for the call by kind: a settled call has exactly one hold, one release, at most one capture. */
  ledger: Record<string, number>;
}

/** The calls as stored, with their ledger entries counted by kind. */
export async function settledCalls(world: PollerWorld, ids: string[]): Promise<SettledCall[]> {
  const { rows } = await world.t.db.query<SettledCall>(
    `SELECT c.id, c.status, c.duration_seconds AS "durationSeconds", c.charged_credits::int AS "chargedCredits",
            COALESCE((SELECT jsonb_object_agg(kind, n) FROM (
               SELECT kind, count(*)::int AS n FROM bland_mcp.ledger_entries e WHERE e.call_id = c.id GROUP BY kind) k),
             '{}'::jsonb) AS ledger
       FROM bland_mcp.calls c WHERE c.id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], c.id)`,
    [ids],
  );
  return rows;
}

/** What the calls must look like once reconciled, computed from what the simulator reports for each. */
export async function expectedFromBland(
  world: PollerWorld,
  ids: string[],
): Promise<Omit<SettledCall, 'ledger'>[]> {
  const { rows } = await world.t.db.query<{ id: string; blandCallId: string; held: string }>(
    `SELECT id, bland_call_id AS "blandCallId", held_credits AS held FROM bland_mcp.calls
      WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)`,
    [ids],
  );
  const pricing = { creditsPerMinute: 12, minimumCharge: 1 };
  return rows.map((row) => {
    const update = mapBlandCall(world.sim.getCall(row.blandCallId)!.details);
    const seconds = update.durationSeconds ?? 0;
    return {
      id: row.id,
      status: update.status,
      durationSeconds: seconds,
      chargedCredits: chargeFor(seconds, Number(row.held), pricing),
    };
  });
}

/** Sum of balances and holds over every account: what no poll may ever change except by settling. */
export async function accountTotals(world: PollerWorld): Promise<{ balance: number; held: number }> {
  const { rows } = await world.t.db.query<{ balance: number; held: number }>(
    'SELECT COALESCE(sum(balance), 0)::int AS balance, COALESCE(sum(held), 0)::int AS held FROM bland_mcp.credit_accounts',
  );
  return rows[0]!;
}

/** Moves the last successful poll into the past, as if no runner had succeeded for `seconds`. */
export async function ageLastSuccess(world: PollerWorld, seconds: number): Promise<void> {
  await world.t.db.query(
    `UPDATE bland_mcp.leases SET last_success_at = now() - make_interval(secs => $1) WHERE name = 'poller'`,
    [seconds],
  );
}

export interface HandRunner {
  runner: PollRunner;
  close(): Promise<void>;
}

/** A PollRunner wired by hand as the Lambda wires it, with its own pool and test-sized settings (e.g. a short lease). */
export async function handRunner(
  world: PollerWorld,
  owner: string,
  settings: Partial<PollerSettings> = {},
  env: Record<string, string> = {},
): Promise<HandRunner> {
  const config = loadConfig({ ...world.env, ...env });
  const db = new DatabaseService(world.t.url, 10);
  const bland = await connectBland(config);
  const runner = wirePollRunner({
    owner,
    config,
    settings: { ...pollerSettingsFromEnv(config), ...settings },
    db,
    bland,
    logger: world.log,
  });
  return { runner, close: async () => Promise.all([db.close(), bland.close()]).then(() => undefined) };
}
