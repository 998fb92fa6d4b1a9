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
  // Must exceed the ALB idle timeout (120 s, terraform/modules/alb) so the ALB, not Node, closes idle keep-alive connections.
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(125_000, 1_000, 600_000),
  HTTP_HEADERS_TIMEOUT_MS: int(126_000, 1_000, 600_000),

  // ---- Metrics to CloudWatch (src/metrics/cloudwatch-publisher.ts) ---------------------------------------------------
  // Set on AWS (by Terraform): the app publishes the gauges its alarms watch (poller last-success age, Sheets backlog
  // age) to this namespace with dimension Environment=METRICS_ENVIRONMENT. Unset: nothing is published.
  METRICS_NAMESPACE: optionalString,
  METRICS_ENVIRONMENT: z.string().trim().min(1).max(64).default('production'),
  METRICS_PUBLISH_INTERVAL_SECONDS: int(60, 10, 3_600),

  // ---- Credits (the money rule: see src/credits/pricing.ts) -------------------------------------------------------
  CREDITS_PER_MINUTE: z.coerce.number().positive().max(1_000_000).default(12),
  CREDITS_MINIMUM_CHARGE: int(1, 0, 1_000_000),
  DEFAULT_MAX_DURATION_MINUTES: int(10, 1, 240),
  MAX_CALL_DURATION_MINUTES: int(30, 1, 240),
  // Credits given to the demo user created on the first start against an empty embedded database.
  DEMO_USER_CREDITS: int(1_000, 0, 1_000_000_000),

  // ---- HTTP edge: auth, origins, rate limits (src/auth, src/mcp, src/http) ------------------------------------------
  // Supabase project URL (https://<ref>.supabase.co). Set: OAuth 2.1 access tokens from Supabase Auth are accepted
  // next to API keys, and the console signs in with Supabase. Unset: API keys only.
  SUPABASE_URL: optionalUrl,
  // Public anon key of that project (the console's browser client needs it; it is not a secret).
  SUPABASE_ANON_KEY: optionalString,
  // Expected `aud` of Supabase access tokens (Supabase issues "authenticated"; it has no RFC 8707 resource binding).
  SUPABASE_JWT_AUDIENCE: z.string().trim().min(1).default('authenticated'),
  // Browser origins allowed to call /mcp and /api (besides PUBLIC_URL and localhost). A request whose Origin is
  // present and not allowed gets 403 (DNS-rebinding protection). Comma-separated, e.g. https://app.example.com
  MCP_ALLOWED_ORIGINS: list.pipe(
    z.array(z.url({ error: 'expected comma-separated origins like https://app.example.com' })),
  ),
  // Requests per minute per client IP on /mcp and /api (429 with Retry-After beyond it).
  RATE_LIMIT_PER_MINUTE: int(100, 1, 1_000_000),
  // Proxies in front of the app whose X-Forwarded-For entries are trusted (CloudFront + ALB = 2). 0: socket address.
  TRUST_PROXY_HOPS: int(0, 0, 10),
  // Largest request body accepted (bytes) before 413.
  MAX_BODY_BYTES: int(1_048_576, 1_024, 16_777_216),

  // ---- Calls: Bland.AI (src/calls) ----------------------------------------------------------------------------------
  // Unset: the built-in Bland simulator answers instead (no phone rings; every result says simulated: true).
  BLAND_API_KEY: optionalString,
  BLAND_API_URL: optionalUrl.default('https://api.bland.ai'),
  // Verifies X-Webhook-Signature on POST /webhooks/bland. Unset with a real key: webhooks are refused (the poller
  // still reconciles every call); with the simulator a random secret is generated.
  BLAND_WEBHOOK_SECRET: optionalString,
  // For calls from your own Twilio numbers (BYOT), sent as Bland's encrypted_key header.
  BLAND_ENCRYPTED_KEY: optionalString,
  BLAND_TIMEOUT_MS: int(15_000, 1_000, 120_000),
  // Comma-separated ISO 3166 country codes that may be dialled (e.g. US,CA,GB). Empty: any country.
  CALL_ALLOWED_COUNTRIES: list.pipe(
    z.array(
      z.string().regex(/^[A-Za-z]{2}$/, 'expected two-letter ISO country codes, comma-separated (US,CA)'),
    ),
  ),
  MAX_CONCURRENT_CALLS_PER_USER: int(3, 1, 100_000),
  MAX_CALLS_PER_HOUR_PER_USER: int(30, 1, 100_000),
  // A call whose dispatch outcome is unknown (timeout) and that Bland never shows is failed after this long.
  DISPATCH_UNKNOWN_GRACE_SECONDS: int(300, 10, 86_400),
  // Simulator knobs (only without BLAND_API_KEY): a seed for reproducible calls; <1 makes calls run faster.
  BLAND_SIMULATOR_SEED: int(42, 0, 2 ** 31 - 1),
  BLAND_SIMULATOR_TIME_SCALE: z.coerce.number().positive().max(10).default(1),

  // ---- Sheets: Google Sheets call log (src/sheets) ---------------------------------------------------------------
  // Unset: Sheets logging is off and readiness reports it disabled (calls still queue in the outbox for later).
  GOOGLE_SHEETS_SPREADSHEET_ID: optionalString,
  // The service-account key: its JSON text, or a path to the key file. Its token_uri is honoured.
  GOOGLE_SERVICE_ACCOUNT_JSON: optionalString,
  // A bare origin: the generated Google client keeps only the origin of its rootUrl and drops any path.
  GOOGLE_SHEETS_API_URL: optionalUrl.refine((v) => v === undefined || new URL(v).pathname === '/', {
    error: 'expected a bare origin such as https://sheets.googleapis.com (a path would be ignored)',
  }),
  GOOGLE_SHEETS_TAB: z.string().trim().min(1).max(100).default('Calls'),
  // Shared by every instance (state in Postgres). Google allows 60 writes/min per user, and a service account is
  // one user: the bucket shapes bursts, the per-minute cap keeps the fleet under Google's quota.
  SHEETS_RATE_PER_SECOND: z.coerce.number().positive().max(1_000).default(5),
  SHEETS_BURST: int(50, 1, 10_000),
  SHEETS_WRITES_PER_MINUTE: int(60, 1, 10_000),
  SHEETS_DRAIN_INTERVAL_MS: int(2_000, 100, 600_000),
  // Calls per drain batch: new ones go in one values.append, changed ones in one values.batchUpdate.
  SHEETS_BATCH_SIZE: int(2_000, 1, 5_000),
  // Failed attempts (5xx, network) before a change is parked as a dead letter.
  SHEETS_MAX_ATTEMPTS: int(10, 1, 1_000),

  // ---- Poller: call status reconciliation (src/poller, src/lambda) -----------------------------------------------
  // Who polls Bland for call status (webhooks make updates fast; the poller makes them certain). in-app: this
  // process, every POLL_INTERVAL_SECONDS. lambda: the AWS Lambda does; this process steps in only when nobody has
  // polled successfully for POLLER_FALLBACK_AFTER_SECONDS. off: never (another runner must exist).
  POLLER_MODE: z.enum(['in-app', 'lambda', 'off']).default('in-app'),
  POLL_INTERVAL_SECONDS: int(300, 1, 86_400),
  // The dead-man's switch of POLLER_MODE=lambda; must exceed the Lambda's schedule (5 minutes).
  POLLER_FALLBACK_AFTER_SECONDS: int(600, 1, 86_400),
  // Calls read from Postgres per batch; a tick runs batches until every active call was checked once.
  POLLER_BATCH_SIZE: int(200, 1, 5_000),
  // At most this many calls per tick (a Bland request each); the rest wait for the next tick, oldest-checked first.
  POLLER_MAX_CALLS_PER_TICK: int(5_000, 1, 1_000_000),
  // Bland requests in flight at once during a tick.
  POLLER_CONCURRENCY: int(5, 1, 100),
  // Wall-clock budget of one tick. The Lambda also stops early enough to finish inside its own timeout.
  POLLER_TIME_BUDGET_SECONDS: int(180, 5, 3_600),
});

export type Env = z.infer<typeof EnvSchema>;

/** Variables whose values are secrets: never printed, and redacted from logs. */
export const SECRET_VARIABLES = [
  'DATABASE_URL',
  'BLAND_API_KEY',
  'BLAND_WEBHOOK_SECRET',
  'BLAND_ENCRYPTED_KEY',
  'GOOGLE_SERVICE_ACCOUNT_JSON',
] as const satisfies readonly (keyof Env)[];

export { bool, int, list, optionalString, optionalUrl };
