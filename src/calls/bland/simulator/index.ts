/**
 * A real HTTP server speaking Bland's v1 calls API, for `npm start` without a BLAND_API_KEY and as the Bland fake
 * in every test. See sim.types.ts for the options and handle, sim.faults.ts for fault injection.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../bland.logger.js';
import { CallEngine } from './sim.calls.js';
import { FaultInjector, type SimFaults, type SimRoute } from './sim.faults.js';
import { createRequestHandler } from './sim.http.js';
import type { BlandSimulator, BlandSimulatorOptions, SimCall, SimOutcome } from './sim.types.js';
import { WebhookSender } from './sim.webhooks.js';

export type { BlandSimulator, BlandSimulatorOptions, SimCall, SimOutcome } from './sim.types.js';
export type { SimFaults, SimRoute } from './sim.faults.js';
export { SIM_OUTCOMES } from './sim.types.js';

export async function startBlandSimulator(options: BlandSimulatorOptions = {}): Promise<BlandSimulator> {
  const logger = options.logger ?? silentLogger;
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0)) throw new RangeError('timeScale must be a positive number');
  const seed = options.seed ?? 1;
  let baseUrl = '';

  const webhooks = new WebhookSender({ secret: options.webhookSecret, timeScale, logger });
  const faults = new FaultInjector(seed);
  const engine = new CallEngine({
    seed,
    timeScale,
    webhookEvents: options.webhookEvents ?? 'all',
    defaultOutcome: options.defaultOutcome,
    outcomes: options.outcomes ?? {},
    concurrencyLimit: options.concurrencyLimit,
    baseUrl: () => baseUrl,
    webhooks,
    logger,
  });
  const requestCounts = new Map<SimRoute, number>();
  const server = createServer(
    createRequestHandler({
      engine,
      faults,
      requestCounts,
      apiKey: options.apiKey,
      baseUrl: () => baseUrl,
      logger,
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;
  logger.info({ url: baseUrl, seed, timeScale }, 'Bland simulator listening');

  const requireCall = (callId: string) => {
    const record = engine.get(callId);
    if (!record) throw new Error(`simulator has no call ${callId}`);
    return record;
  };

  return {
    url: baseUrl,
    async stop() {
      engine.shutdown();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, webhooks.stop()]);
    },
    setFaults: (next: SimFaults) => faults.set(next),
    clearFaults: () => faults.clear(),
    setOutcome: (phoneNumber: string, outcome: SimOutcome) => engine.setOutcome(phoneNumber, outcome),
    calls: (): readonly SimCall[] => engine.all().map((record) => engine.snapshot(record)),
    getCall: (callId: string) => {
      const record = engine.get(callId);
      return record && engine.snapshot(record);
    },
    completeCall: (callId: string, outcome: SimOutcome = 'completed') => {
      const record = requireCall(callId);
      engine.complete(record, outcome);
      return engine.snapshot(record);
    },
    dialCount: (phoneNumber?: string) => engine.dialCount(phoneNumber),
    requestCount: (route?: SimRoute) =>
      route === undefined
        ? [...requestCounts.values()].reduce((sum, n) => sum + n, 0)
        : (requestCounts.get(route) ?? 0),
    webhooksIdle: () => webhooks.idle(),
  };
}
