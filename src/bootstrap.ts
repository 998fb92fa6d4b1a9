import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import path from 'node:path';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { SECRET_VARIABLES } from './config/env.schema.js';
import { loadServiceAccountKey } from './sheets/service-account-key.js';
import { DatabaseService } from './database/database.service.js';
import { startEmbeddedPostgres } from './database/embedded-postgres.js';
import { migrate } from './database/migrator.js';
import { createLogger } from './logging/logger.js';
import { HttpExceptionFilter } from './common/errors/http-exception.filter.js';
import { UsersService } from './users/users.service.js';
import { PublicUrlService } from './calls/public-url.service.js';
import { perIpRateLimit } from './http/rate-limit.js';

export interface RunningApp {
  app: NestExpressApplication;
  url: string;
  logger: Logger;
  database: DatabaseService;
  embeddedDatabase: boolean;
  /** Set on the first start against an empty embedded database. */
  demo?: { email: string; apiKey: string; credits: number };
  /** Stops accepting, waits for in-flight requests (bounded by SHUTDOWN_GRACE_MS), closes pools and servers. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Tests capture log lines with their own stream. */
  logDestination?: NodeJS.WritableStream;
}

/** Values that must never appear in a log line. */
export function configSecrets(config: AppConfig): (string | undefined)[] {
  const secrets: (string | undefined)[] = SECRET_VARIABLES.map((name) => config[name]);
  // GOOGLE_SERVICE_ACCOUNT_JSON may be a path to the key file: its private key is the secret then.
  if (config.GOOGLE_SERVICE_ACCOUNT_JSON && !config.GOOGLE_SERVICE_ACCOUNT_JSON.trimStart().startsWith('{')) {
    try {
      secrets.push(loadServiceAccountKey(config.GOOGLE_SERVICE_ACCOUNT_JSON).private_key);
    } catch {
      // an unreadable key file is reported by the Sheets module; nothing to redact
    }
  }
  return secrets;
}

/** Builds and starts the whole application: logger, database (embedded when unconfigured), migrations, HTTP. */
export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const logger = createLogger({
    level: config.LOG_LEVEL,
    secrets: configSecrets(config),
    destination: options.logDestination,
  });

  let databaseUrl = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    const started = Date.now();
    const embedded = await startEmbeddedPostgres(config.DATA_DIR, 'bland_mcp', {
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
    });
    databaseUrl = embedded.url;
    stopEmbedded = embedded.stop;
    logger.info(
      { dataDir: path.resolve(config.DATA_DIR), ms: Date.now() - started },
      'DATABASE_URL is not set: using the embedded PostgreSQL server',
    );
  }
  const database = new DatabaseService(databaseUrl, config.DATABASE_POOL_MAX, stopEmbedded);

  try {
    if (config.MIGRATE_ON_BOOT) await migrate(databaseUrl, (m) => logger.info(m));

    const app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot({ config, database, logger }),
      { bufferLogs: true, rawBody: true },
    );
    app.useLogger(app.get(PinoNestLogger));
    app.disable('x-powered-by');
    // Client IPs come from X-Forwarded-For only across the proxies we run (CloudFront + ALB), never further.
    app.set('trust proxy', config.TRUST_PROXY_HOPS);
    app.use(['/mcp', '/api'], perIpRateLimit(config.RATE_LIMIT_PER_MINUTE));
    app.useBodyParser('json', { limit: config.MAX_BODY_BYTES });
    app.useGlobalFilters(new HttpExceptionFilter());
    const demo =
      stopEmbedded && config.NODE_ENV !== 'production' ? await createDemoUser(app, config) : undefined;

    await app.listen(config.PORT, config.HOST);
    const server = app.getHttpServer() as Server;
    // Above the ALB idle timeout (120 s): the load balancer, not Node, closes idle keep-alive connections,
    // so it never sends a request on a socket Node is closing (which surfaces as sporadic 502s).
    server.keepAliveTimeout = config.HTTP_KEEP_ALIVE_TIMEOUT_MS;
    server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
    app.get(PublicUrlService).setListeningUrl(url);

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        const force = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
        force.unref();
        try {
          await app.close(); // stops accepting, waits for in-flight requests, runs shutdown hooks (pool, embedded pg)
        } finally {
          clearTimeout(force);
          await database.close();
        }
      })());

    return { app, url, logger, database, embeddedDatabase: Boolean(stopEmbedded), demo, close };
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
}

/**
 * First start against an empty embedded database: a demo user with some credits, so a newcomer can connect an MCP
 * client at once. Never in production, never against a configured DATABASE_URL.
 */
async function createDemoUser(app: NestExpressApplication, config: AppConfig) {
  const users = app.get(UsersService);
  if ((await users.count()) > 0) return undefined;
  const email = 'demo@bland-mcp.local';
  const { apiKey } = await users.create({
    email,
    displayName: 'Demo user',
    credits: config.DEMO_USER_CREDITS,
    withApiKey: true,
    actor: 'first-start',
  });
  return { email, apiKey: apiKey!, credits: config.DEMO_USER_CREDITS };
}
