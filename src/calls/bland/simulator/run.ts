/**
 * Runs the Bland simulator on its own so people can poke at it:
 *   node dist/src/calls/bland/simulator/run.js [--port 4010] [--host 127.0.0.1] [--seed 1] [--time-scale 0.1]
 * Env: BLAND_SIM_PORT, BLAND_SIM_SEED, BLAND_SIM_TIME_SCALE, BLAND_SIM_API_KEY (require this key),
 * BLAND_WEBHOOK_SECRET (sign webhooks). Secrets come from the environment only, never argv.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startBlandSimulator } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    'time-scale': { type: 'string' },
  },
});

function numberFrom(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

// Logs go to stderr so stdout carries only the URL (scripts can read it).
const logger = pino(
  { level: process.env.LOG_LEVEL ?? 'info', base: { service: 'bland-simulator' } },
  pino.destination(2),
);
const simulator = await startBlandSimulator({
  host: values.host ?? '127.0.0.1',
  port: numberFrom('port', values.port ?? process.env.BLAND_SIM_PORT, 4010),
  seed: numberFrom('seed', values.seed ?? process.env.BLAND_SIM_SEED, 1),
  timeScale: numberFrom('time-scale', values['time-scale'] ?? process.env.BLAND_SIM_TIME_SCALE, 1),
  apiKey: process.env.BLAND_SIM_API_KEY || undefined,
  webhookSecret: process.env.BLAND_WEBHOOK_SECRET || undefined,
  logger,
});
process.stdout.write(`${simulator.url}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void simulator.stop().then(() => process.exit(0));
  });
}
