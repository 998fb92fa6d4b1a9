import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { BlandClient } from './bland/bland.client.js';
import { startBlandSimulator, type BlandSimulator } from './bland/simulator/index.js';

/** The one Bland endpoint this process talks to: the real API, or the built-in simulator when no key is set. */
export class BlandConnection {
  constructor(
    readonly client: BlandClient,
    readonly simulated: boolean,
    /** Secret for X-Webhook-Signature (generated for the simulator). */
    readonly webhookSecret: string | undefined,
    readonly simulator?: BlandSimulator,
  ) {}

  async close(): Promise<void> {
    await this.simulator?.stop();
  }
}

export async function connectBland(config: AppConfig): Promise<BlandConnection> {
  const logger = new Logger('Bland');
  if (config.BLAND_API_KEY) {
    const client = new BlandClient({
      baseUrl: config.BLAND_API_URL,
      apiKey: config.BLAND_API_KEY,
      encryptedKey: config.BLAND_ENCRYPTED_KEY,
      timeoutMs: config.BLAND_TIMEOUT_MS,
    });
    return new BlandConnection(client, false, config.BLAND_WEBHOOK_SECRET);
  }
  const webhookSecret = config.BLAND_WEBHOOK_SECRET ?? randomBytes(24).toString('hex');
  const simulatorKey = `sim-${randomBytes(12).toString('hex')}`;
  const simulator = await startBlandSimulator({
    host: '127.0.0.1',
    port: 0,
    seed: config.BLAND_SIMULATOR_SEED,
    timeScale: config.BLAND_SIMULATOR_TIME_SCALE,
    apiKey: simulatorKey,
    webhookSecret,
    // Like Bland, which posts a call's webhook once it has ended (status changes are polled).
    webhookEvents: 'terminal',
  });
  logger.warn(
    `BLAND_API_KEY is not set: calls go to the built-in Bland SIMULATOR at ${simulator.url}. ` +
      'No real phone will ring; every call result says simulated: true.',
  );
  const client = new BlandClient({
    baseUrl: simulator.url,
    apiKey: simulatorKey,
    timeoutMs: config.BLAND_TIMEOUT_MS,
  });
  return new BlandConnection(client, true, webhookSecret, simulator);
}
