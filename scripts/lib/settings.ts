/**
 * Pipeline settings from the environment (GitHub environment secrets and variables in CI, `.env.deploy` on a
 * workstation). Every variable is documented in `.env.deploy.example`. Parsed once; errors name the variable.
 */
import { z } from 'zod';

const optional = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const number = (def: number, min: number, max: number) => z.coerce.number().min(min).max(max).default(def);

export const SettingsSchema = z.object({
  AWS_REGION: optional,
  TF_BACKEND_CONFIG: optional,
  TF_STATE_BUCKET: optional,
  TF_STATE_REGION: optional,
  SMOKE_API_KEY: optional,
  SMOKE_PREVIEW_TOKEN: optional,
  /** The same token Terraform puts in the ALB preview rule; used when SMOKE_PREVIEW_TOKEN is not set. */
  TF_VAR_preview_token: optional,
  SMOKE_BASE_URL: optional.pipe(z.url({ error: 'expected an absolute URL' }).optional()),
  SMOKE_PREVIEW_COLOR_HEADER: z.string().trim().min(1).default('X-Bland-Mcp-Color'),
  SMOKE_PREVIEW_TOKEN_HEADER: z.string().trim().min(1).default('X-Bland-Mcp-Preview-Token'),
  DEPLOY_HEALTH_TIMEOUT_MINUTES: number(15, 1, 60),
  DEPLOY_BAKE_MINUTES: number(10, 0, 120),
  DEPLOY_CANARY_PERCENT: number(0, 0, 50),
  DEPLOY_CANARY_MINUTES: number(5, 1, 60),
  DEPLOY_POLL_SECONDS: number(15, 1, 300),
  AMI_KEEP_RELEASES: number(5, 2, 100),
});

export type Settings = z.infer<typeof SettingsSchema>;

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = SettingsSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid pipeline settings:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function requireSetting<K extends keyof Settings>(
  settings: Settings,
  key: K,
  why: string,
): NonNullable<Settings[K]> {
  const value = settings[key];
  if (value === undefined || value === null || value === '') throw new Error(`set ${String(key)}: ${why}`);
  return value as NonNullable<Settings[K]>;
}
