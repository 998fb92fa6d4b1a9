import { z } from 'zod';

/**
 * Every environment variable bland-mcp reads, in one schema. Parsed once at boot (see load-config.ts);
 * nothing else in the codebase reads process.env. Defaults here are the documented defaults in .env.example.
 */

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' || v === undefined ? undefined : v))
  .pipe(z.url({ error: 'expected an absolute URL such as https://example.com' }).optional());

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const EnvSchema = z.object({
  // ---- Foundation -------------------------------------------------------------------------------------------
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: int(3000, 0, 65535),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().trim().min(1).default('./.data'),
  DATABASE_URL: optionalUrl.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    error: 'expected a postgres:// or postgresql:// connection URL',
  }),
  DATABASE_POOL_MAX: int(10, 1, 200),
  MIGRATE_ON_BOOT: bool(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GIT_SHA: optionalString,
  BUILT_AT: optionalString,
  SHUTDOWN_GRACE_MS: int(10_000, 0, 120_000),
  // Must exceed the ALB idle timeout (60 s) so the ALB, not Node, closes idle keep-alive connections.
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(65_000, 1_000, 600_000),
  HTTP_HEADERS_TIMEOUT_MS: int(66_000, 1_000, 600_000),
});

export type Env = z.infer<typeof EnvSchema>;

/** Variables whose values are secrets: never printed, and redacted from logs. */
export const SECRET_VARIABLES = ['DATABASE_URL'] as const satisfies readonly (keyof Env)[];

export { bool, int, list, optionalString, optionalUrl };
