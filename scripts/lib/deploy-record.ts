/**
 * The deploy record: one JSON document per environment in SSM Parameter Store (the parameter named by the
 * `deploy_state_parameter` output). Terraform state says which AMI each colour runs; the record adds what
 * Terraform cannot know: which git commit each AMI was built from, which release served before the current
 * one (the rollback target), and how the last deploy or rollback ended (so a rerun can resume or do nothing).
 */
import { z } from 'zod';
import { ColorSchema, type Color } from './stack.ts';

export const ReleaseSchema = z.object({
  ami_id: z.string(),
  git_sha: z.string(),
  app_version: z.string(),
});
export type Release = z.infer<typeof ReleaseSchema>;

/** Phases of a promotion, in order. From `canary` on, some traffic reaches the new colour. */
export const PHASES = [
  'started',
  'standby-updated',
  'standby-healthy',
  'smoke-passed',
  'canary',
  'switching',
  'switched',
  'baked',
  'switched-back',
] as const;
export type Phase = (typeof PHASES)[number];
export const TRAFFIC_MOVED: readonly Phase[] = ['canary', 'switching', 'switched'];

export const OperationSchema = z.enum(['deploy', 'rollback']);
export type Operation = z.infer<typeof OperationSchema>;
export const StatusSchema = z.enum(['in_progress', 'succeeded', 'failed', 'rolled_back']);
export type Status = z.infer<typeof StatusSchema>;

const LastOperationSchema = z.object({
  operation: OperationSchema,
  status: StatusSchema,
  phase: z.enum(PHASES),
  target: ReleaseSchema,
  from_color: ColorSchema,
  to_color: ColorSchema,
  started_at: z.string(),
  finished_at: z.string().nullable(),
  reason: z.string().nullable(),
  error: z.string().nullable(),
  run_url: z.string().nullable(),
});
export type LastOperation = z.infer<typeof LastOperationSchema>;

export const DeployRecordSchema = z.object({
  schema: z.literal(1),
  environment: z.string(),
  active_color: ColorSchema,
  colors: z.object({ blue: ReleaseSchema.nullable(), green: ReleaseSchema.nullable() }),
  /** The release that served before the current one: what `rollback --to previous` goes back to. */
  previous: ReleaseSchema.nullable(),
  /** The release-wide Terraform variables of the last apply: drift detection plans with the same values. */
  applied: z.object({ git_sha: z.string(), app_version: z.string() }).nullable(),
  last: LastOperationSchema,
  updated_at: z.string(),
});
export type DeployRecord = z.infer<typeof DeployRecordSchema>;

export function parseDeployRecord(text: string | null): DeployRecord | null {
  if (text === null) return null;
  const json: unknown = JSON.parse(text);
  // Terraform creates the parameter as "{}" (and never writes it again): no deploy has run yet.
  if (json !== null && typeof json === 'object' && Object.keys(json).length === 0) return null;
  const parsed = DeployRecordSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`the deploy record is not in the expected format: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}

export function serializeDeployRecord(record: DeployRecord): string {
  return JSON.stringify(record);
}

/** The release a colour runs according to the record, if the record agrees with Terraform about its AMI. */
export function releaseOn(record: DeployRecord | null, color: Color, amiId: string): Release | null {
  const release = record?.colors[color] ?? null;
  return release && release.ami_id === amiId ? release : null;
}
