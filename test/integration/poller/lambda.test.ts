import { randomUUID } from 'node:crypto';
import { GetParametersByPathCommand, SSMClient, type ParameterType } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { LeaseRepository } from '../../../src/common/lease/lease.repository.js';
import { LambdaLogger } from '../../../src/lambda/lambda-logger.js';
import { createPollerHandler } from '../../../src/lambda/poller-handler.js';
import { SsmParameterSource } from '../../../src/lambda/ssm-parameters.js';
import { POLLER_LEASE } from '../../../src/poller/poller.settings.js';
import {
  accountTotals,
  lambdaContainer,
  placeEndedCalls,
  settledCalls,
  startAppInstance,
  startPollerWorld,
  type AppInstance,
  type PollerWorld,
} from './support/world.js';

const PARAMETER_PATH = '/bland-mcp/test/app';

describe('the poller Lambda handler, in-process (real Postgres + simulator)', () => {
  let world: PollerWorld;
  let app: AppInstance;
  beforeAll(async () => {
    world = await startPollerWorld();
    app = await startAppInstance(world, { POLL_INTERVAL_SECONDS: '3600' });
  });
  afterAll(async () => {
    await app.close();
    await world.stop();
  });
  afterEach(() => world.sim.clearFaults());

  const lastSummary = async () => (await new LeaseRepository(world.t.db).get(POLLER_LEASE))?.last_summary;

  it('a retried or duplicated invocation that already succeeded does nothing', async () => {
    const lambda = lambdaContainer(world);
    try {
      const ids = await placeEndedCalls(world, app.calls, await world.newUser(), ['completed', 'no-answer']);
      const first = await lambda.invoke('request-1');
      expect(first).toMatchObject({ ran: true, polled: 2, settled: 2 });
      const creditsAfterFirst = await accountTotals(world);

      expect(await lambda.invoke('request-1')).toMatchObject({ ran: false, skipped: 'duplicate', polled: 0 });
      expect(await lastSummary()).toMatchObject({ invocationId: 'request-1', polled: 2 });
      expect(await accountTotals(world)).toEqual(creditsAfterFirst);
      expect((await settledCalls(world, ids)).map((c) => c.ledger.release)).toEqual([1, 1]);
      // A new tick is a new request id: it runs.
      expect(await lambda.invoke('request-2')).toMatchObject({ ran: true, polled: 0 });
    } finally {
      await lambda.close();
    }
  });

  it('the same event delivered to two containers at once: one polls, the other finds the lease taken', async () => {
    const [one, two] = [lambdaContainer(world), lambdaContainer(world)];
    try {
      const ids = await placeEndedCalls(world, app.calls, await world.newUser(), [
        'completed',
        'busy',
        'completed',
      ]);
      world.sim.setFaults({ latencyMs: 400, routes: ['details'] });
      const id = randomUUID();
      const results = await Promise.all([one.invoke(id), two.invoke(id)]);
      expect(results.map((r) => r.skipped ?? 'ran').sort()).toEqual(['busy', 'ran']);
      for (const call of await settledCalls(world, ids))
        expect(call.ledger).toMatchObject({ hold: 1, release: 1 });
      expect((await accountTotals(world)).held).toBe(0);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('a failed invocation throws (so Lambda counts and reports it) and its retry, same request id, polls', async () => {
    const broken = lambdaContainer(world, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    const healthy = lambdaContainer(world);
    try {
      const ids = await placeEndedCalls(world, app.calls, await world.newUser(), ['completed']);
      await expect(broken.invoke('request-retried')).rejects.toThrow();
      expect(world.log.matching('error', /connect|ECONNREFUSED/).length).toBeGreaterThan(0);
      expect(await healthy.invoke('request-retried')).toMatchObject({ ran: true, polled: 1, settled: 1 });
      expect((await settledCalls(world, ids))[0]!.status).toBe('completed');
    } finally {
      await Promise.all([broken.close(), healthy.close()]);
    }
  });

  it('stops well inside the function timeout and leaves the rest, oldest-checked first, to the next run', async () => {
    const lambda = lambdaContainer(world, { POLLER_CONCURRENCY: '2' });
    try {
      const ids = await placeEndedCalls(world, app.calls, await world.newUser(), Array(12).fill('completed'));
      world.sim.setFaults({ latencyMs: 300, routes: ['details'] }); // 12 calls, 2 at a time: 1.8 s of work
      // 2.4 s left: half is kept back for requests in flight, so the poll itself gets 1.2 s.
      const short = await lambda.invoke(undefined, 2_400);
      expect(short).toMatchObject({ ran: true, remaining: true, errors: 0 });
      expect(short.polled).toBeGreaterThan(0);
      expect(short.polled).toBeLessThan(12);
      expect(short.durationMs).toBeLessThan(2_400);

      const rest = await lambda.invoke();
      expect(rest).toMatchObject({ ran: true, polled: 12 - short.polled, remaining: false });
      expect((await settledCalls(world, ids)).every((c) => c.status === 'completed')).toBe(true);
    } finally {
      await lambda.close();
    }
  });

  it('refuses to run without a real BLAND_API_KEY (the simulator is for local use only)', async () => {
    const summaryBefore = await lastSummary();
    const { BLAND_API_KEY: _key, ...withoutKey } = world.env;
    const handler = createPollerHandler({
      env: withoutKey,
      parameters: () => new SsmParameterSource(),
      logger: new LambdaLogger(world.log.console),
    });
    try {
      const result = await handler(
        {},
        { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 60_000 },
      );
      expect(result).toMatchObject({ ran: false, skipped: 'no-bland-key', polled: 0 });
      expect(
        world.log.matching('error', /BLAND_API_KEY is not set: the poller Lambda refuses to run/),
      ).toHaveLength(1);
      expect(await lastSummary()).toEqual(summaryBefore);
    } finally {
      await handler.close();
    }
  });

  it('logs through console with Nest contexts, never a configured secret', () => {
    const lines: string[] = [];
    const sink = {
      debug: (l: string) => lines.push(l),
      info: (l: string) => lines.push(l),
      warn: (l: string) => lines.push(l),
      error: (l: string) => lines.push(l),
    };
    const logger = new LambdaLogger(sink);
    logger.protect(['postgres://poller:s3cret-Passw0rd@db.example.com/app', 'org_live_1234567890']);
    logger.error(new Error('cannot reach postgres://poller:s3cret-Passw0rd@db.example.com/app'), 'Poller');
    logger.warn('Bland refused org_live_1234567890', 'BlandClient');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[Poller\] Error: cannot reach \[REDACTED\]/);
    expect(lines[1]).toBe('[BlandClient] Bland refused [REDACTED]');
    expect(lines.join('\n')).not.toMatch(/s3cret-Passw0rd|org_live_1234567890/);
  });

  describe('settings and secrets from SSM Parameter Store', () => {
    const ssm = mockClient(SSMClient);
    afterEach(() => ssm.reset());

    const parameter = (name: string, value: string, type: ParameterType = 'String') => ({
      Name: `${PARAMETER_PATH}/${name}`,
      Value: value,
      Type: type,
    });

    it('loads every parameter under APP_PARAMETER_PATH once per container, decrypted, and polls with them', async () => {
      ssm
        .on(GetParametersByPathCommand)
        .resolvesOnce({
          Parameters: [
            parameter('DATABASE_URL', world.t.url, 'SecureString'),
            parameter('BLAND_API_URL', world.sim.url),
          ],
          NextToken: 'page-2',
        })
        .resolvesOnce({
          Parameters: [
            parameter('BLAND_API_KEY', world.env.BLAND_API_KEY!, 'SecureString'),
            parameter('POLLER_MODE', 'lambda'),
            parameter('NODE_ENV', 'production'),
          ],
        });
      const handler = createPollerHandler({
        // What Terraform gives the function: the path and the release, nothing secret.
        env: {
          APP_PARAMETER_PATH: PARAMETER_PATH,
          APP_VERSION: '0.1.0',
          GIT_SHA: 'abc1234',
          NODE_ENV: 'test',
        },
        parameters: () => new SsmParameterSource(new SSMClient({ region: 'eu-west-1' })),
        logger: new LambdaLogger(world.log.console),
      });
      try {
        const ids = await placeEndedCalls(world, app.calls, await world.newUser(), ['completed']);
        const context = () => ({ awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 60_000 });
        expect(await handler({}, context())).toMatchObject({ ran: true, polled: 1, settled: 1 });
        expect(await handler({}, context())).toMatchObject({ ran: true, polled: 0 });

        // Two pages for the first invocation; the second reuses the container (the paginator reuses its input object).
        const requests = ssm.commandCalls(GetParametersByPathCommand).map((c) => c.args[0].input);
        expect(requests).toHaveLength(2);
        for (const input of requests) {
          expect(input).toMatchObject({ Path: PARAMETER_PATH, Recursive: true, WithDecryption: true });
        }
        expect(requests[1]).toMatchObject({ NextToken: 'page-2' });
        expect((await settledCalls(world, ids))[0]!.status).toBe('completed');
        expect(
          world.log.matching(
            'log',
            /poller container ready in \d+ ms: lambda:local:\w+, version 0\.1\.0 \(abc1234\)/,
          ),
        ).not.toEqual([]);
      } finally {
        await handler.close();
      }
    });

    it('rejects a parameter name that is not a variable name, and a path with no parameters', async () => {
      ssm.on(GetParametersByPathCommand).resolves({ Parameters: [parameter('nested/DATABASE_URL', 'x')] });
      const source = new SsmParameterSource(new SSMClient({ region: 'eu-west-1' }));
      await expect(source.load(PARAMETER_PATH)).rejects.toThrow(
        `parameter ${PARAMETER_PATH}/nested/DATABASE_URL is not an environment variable name`,
      );
      ssm.reset();
      ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
      await expect(source.load(`${PARAMETER_PATH}/`)).rejects.toThrow(
        `no parameters under ${PARAMETER_PATH}/`,
      );
    });

    it('a container whose settings failed to load tries again on the next invocation', async () => {
      ssm
        .on(GetParametersByPathCommand)
        .rejectsOnce(new Error('ThrottlingException: Rate exceeded'))
        .resolves({
          Parameters: [
            parameter('DATABASE_URL', world.t.url, 'SecureString'),
            parameter('BLAND_API_URL', world.sim.url),
            parameter('BLAND_API_KEY', world.env.BLAND_API_KEY!, 'SecureString'),
          ],
        });
      const handler = createPollerHandler({
        env: { APP_PARAMETER_PATH: PARAMETER_PATH, NODE_ENV: 'test' },
        parameters: () => new SsmParameterSource(new SSMClient({ region: 'eu-west-1', maxAttempts: 1 })),
        logger: new LambdaLogger(world.log.console),
      });
      const context = { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 60_000 };
      try {
        await expect(handler({}, context)).rejects.toThrow('Rate exceeded');
        expect(await handler({}, context)).toMatchObject({ ran: true });
      } finally {
        await handler.close();
      }
    });
  });
});
