import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Context } from 'aws-lambda';
import { connectBland, type BlandConnection } from '../calls/bland-connection.js';
import type { AppConfig } from '../config/app-config.js';
import { SECRET_VARIABLES } from '../config/env.schema.js';
import { loadConfig } from '../config/load-config.js';
import { DatabaseService } from '../database/database.service.js';
import type { PollOutcome, PollRunner } from '../poller/poll-runner.js';
import { pollerSettingsFromEnv, type PollerSettings } from '../poller/poller.settings.js';
import { LambdaLogger } from './lambda-logger.js';
import { resolveEnvironment, SsmParameterSource, type ParameterSource } from './ssm-parameters.js';
import { wirePollRunner } from './wiring.js';

/** What an invocation returns (visible in the console, in test invokes and in failure destination records). */
export type PollerLambdaResult = Omit<PollOutcome, 'skipped' | 'kind'> & {
  skipped?: PollOutcome['skipped'] | 'no-bland-key';
};

export interface PollerHandlerDeps {
  env: NodeJS.ProcessEnv;
  parameters: () => ParameterSource;
  logger: LambdaLogger;
}

type PollContext = Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>;

export type PollerHandler = ((event: unknown, context: PollContext) => Promise<PollerLambdaResult>) & {
  /** Closes the container's pool and Bland client (Lambda never does; local runners and tests do). */
  close(): Promise<void>;
};

interface Container {
  config: AppConfig;
  settings: PollerSettings;
  db: DatabaseService;
  bland: BlandConnection;
  runner: PollRunner;
}

type Started = Container | { refusal: string };

/**
 * The scheduled Lambda. Settings and secrets are loaded from SSM once per container, together with a small pg
 * pool and the Bland client; each invocation runs one poll under the fleet-wide lease, bounded so that it ends
 * well inside the function's timeout. Idempotent: an overlapping run finds the lease taken, a retried invocation
 * that already succeeded finds its request id recorded, and every update it applies is monotonic.
 */
export function createPollerHandler(deps: PollerHandlerDeps = defaultDeps()): PollerHandler {
  const owner = `lambda:${deps.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local'}:${randomUUID().slice(0, 8)}`;
  let starting: Promise<Started> | undefined;

  const poll = async (context: PollContext): Promise<PollerLambdaResult> => {
    const started = await (starting ??= startContainer(deps, owner).catch((err: unknown) => {
      starting = undefined; // the next invocation tries again (SSM or the network may be back)
      throw err;
    }));
    if ('refusal' in started) {
      starting = undefined; // re-read the settings next time: the key may have been added meanwhile
      deps.logger.error(started.refusal);
      return { ...NOTHING, runner: owner, skipped: 'no-bland-key', durationMs: 0 };
    }
    const { config, settings, db, runner } = started;
    await ensureConnected(db);
    const remaining = context.getRemainingTimeInMillis();
    const budgetMs = Math.min(settings.timeBudgetMs, remaining - finishReserveMs(config, remaining));
    const { kind: _kind, ...result } = await runner.run({
      kind: 'lambda',
      budgetMs,
      invocationId: context.awsRequestId,
    });
    deps.logger.log(JSON.stringify({ message: 'poll finished', ...result }));
    return result;
  };
  const handler = async (_event: unknown, context: PollContext): Promise<PollerLambdaResult> => {
    try {
      return await poll(context);
    } catch (err) {
      // Rethrown: the invocation fails, which the Errors alarm and the failure destination see.
      deps.logger.error(`poll failed: ${(err as Error).message}`);
      throw err;
    }
  };
  const close = async () => {
    const started = await starting?.catch(() => undefined);
    starting = undefined;
    if (started && 'db' in started) await Promise.all([started.db.close(), started.bland.close()]);
  };
  return Object.assign(handler, { close });
}

const NOTHING = {
  ran: false,
  polled: 0,
  updated: 0,
  settled: 0,
  adopted: 0,
  failed: 0,
  errors: 0,
  remaining: false,
  leaseLost: false,
} as const;

async function startContainer(deps: PollerHandlerDeps, owner: string): Promise<Started> {
  const startedAt = performance.now();
  const config = loadConfig(await resolveEnvironment(deps.env, deps.parameters));
  deps.logger.protect(SECRET_VARIABLES.map((name) => config[name]));
  // The services log through Nest's static Logger; in this process there is no other logger to honour.
  Logger.overrideLogger(deps.logger);
  if (!config.BLAND_API_KEY) {
    return {
      refusal:
        'BLAND_API_KEY is not set: the poller Lambda refuses to run (the Bland simulator is for local use only). ' +
        'Add the key under APP_PARAMETER_PATH.',
    };
  }
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set: the poller Lambda has no database');
  const settings = pollerSettingsFromEnv(config);
  // One connection per concurrent reconciliation, one for the lease heartbeat, one spare.
  const db = new DatabaseService(config.DATABASE_URL, settings.concurrency + 2);
  const bland = await connectBland(config);
  const runner = wirePollRunner({ owner, config, settings, db, bland, logger: deps.logger });
  deps.logger.log(
    `poller container ready in ${Math.round(performance.now() - startedAt)} ms: ${owner}, ` +
      `version ${deps.env.APP_VERSION ?? 'unknown'} (${config.GIT_SHA ?? 'unknown sha'})`,
  );
  return { config, settings, db, bland, runner };
}

/**
 * Time kept back after the poll's deadline: the Bland requests in flight then still finish (one read with its
 * retries, about three timeouts) and the lease is released, before Lambda would kill the function. Never more
 * than half the remaining time, so a short timeout still polls.
 */
function finishReserveMs(config: AppConfig, remainingMs: number): number {
  return Math.min(3 * config.BLAND_TIMEOUT_MS + 5_000, remainingMs / 2);
}

/**
 * A thawed container's idle connections may have been closed by the server or pooler while it was frozen. The
 * first query finds out and drops the dead client; the overdue idle timers retire the rest meanwhile.
 */
async function ensureConnected(db: DatabaseService): Promise<void> {
  try {
    await db.ping();
  } catch {
    await db.ping();
  }
}

function defaultDeps(): PollerHandlerDeps {
  return {
    env: process.env,
    parameters: () => new SsmParameterSource(),
    logger: new LambdaLogger(),
  };
}
