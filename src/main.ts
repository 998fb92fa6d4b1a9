import { startApp } from './bootstrap.js';
import { ConfigError, loadConfig } from './config/load-config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(
        `bland-mcp cannot start: ${err.message}\nSee .env.example for every variable and its default.`,
      );
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }

  const running = await startApp(config);
  const { logger } = running;
  logger.info(
    { url: running.url, embeddedDatabase: running.embeddedDatabase },
    `bland-mcp listening on ${running.url}`,
  );
  if (running.demo) {
    // Written straight to stdout, once: the logger would (rightly) redact the key.
    process.stdout.write(
      `\n  First start: created the demo user ${running.demo.email} with ${running.demo.credits} credits.\n` +
        `  Its API key (shown only now):  ${running.demo.apiKey}\n` +
        `  MCP endpoint: ${running.url}/mcp   (header  Authorization: Bearer <key>)\n\n`,
    );
  }

  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    running
      .close()
      .then(() => {
        logger.info('shutdown complete');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  console.error('bland-mcp failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
