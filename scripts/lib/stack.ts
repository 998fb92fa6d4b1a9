/**
 * The contract with the Terraform root `terraform/envs/<env>`: the variables the pipeline sets and the outputs
 * it reads. Blue and green are the two colours; one serves traffic (`active_color`), the other is the standby
 * that receives the next release (or still holds the previous one, ready for an instant rollback).
 */
import { z } from 'zod';

export const ColorSchema = z.enum(['blue', 'green']);
export type Color = z.infer<typeof ColorSchema>;
export const COLORS: readonly Color[] = ColorSchema.options;

export function otherColor(color: Color): Color {
  return color === 'blue' ? 'green' : 'blue';
}

export const AMI_ID = /^ami-[0-9a-f]{8,17}$/;

/** How the Packer template labels its AMIs: the pipeline finds, checks and cleans up AMIs by these. */
export const AMI_TAGS = { gitSha: 'GitSha', appVersion: 'AppVersion' } as const;
export const AMI_NAME_PATTERN = 'bland-mcp-*';
export const AmiIdSchema = z
  .string()
  .regex(AMI_ID, { error: 'expected an AMI id such as ami-0123456789abcdef0' });

/** `terraform output -json` wraps every output as `{ value, type, sensitive }`. */
const output = <T extends z.ZodType>(schema: T) =>
  z.preprocess((o) => (o !== null && typeof o === 'object' && 'value' in o ? o.value : undefined), schema);

const RawOutputsSchema = z.object({
  active_color: output(ColorSchema),
  alb_listener_arn: output(z.string()),
  blue_target_group_arn: output(z.string()),
  green_target_group_arn: output(z.string()),
  blue_asg_name: output(z.string()),
  green_asg_name: output(z.string()),
  blue_ami_id: output(AmiIdSchema),
  green_ami_id: output(AmiIdSchema),
  alb_dns_name: output(z.string()),
  cloudfront_domain: output(z.string()),
  static_bucket_name: output(z.string()),
  deploy_state_parameter: output(z.string().min(1)),
  alarm_names: output(z.array(z.string())),
  // Optional: CloudFront and Route 53 alarms live in us-east-1, whatever the stack's region.
  edge_alarm_names: output(z.array(z.string())).optional(),
});

/** Everything the pipeline needs to know about one colour. */
export interface ColorSlot {
  amiId: string;
  targetGroupArn: string;
  asgName: string;
}

export interface StackOutputs {
  activeColor: Color;
  slots: Record<Color, ColorSlot>;
  listenerArn: string;
  albDnsName: string;
  cloudfrontDomain: string;
  staticBucket: string;
  deployStateParameter: string;
  alarmNames: string[];
  edgeAlarmNames: string[];
}

/**
 * Parses `terraform output -json`. An empty object means the root was never applied (no stack yet): null.
 * Anything else must satisfy the contract, and a mismatch names the output at fault.
 */
export function parseStackOutputs(json: unknown): StackOutputs | null {
  if (json !== null && typeof json === 'object' && Object.keys(json).length === 0) return null;
  const parsed = RawOutputsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`terraform outputs do not match the pipeline contract: ${problems}`);
  }
  const o = parsed.data;
  return {
    activeColor: o.active_color,
    slots: {
      blue: { amiId: o.blue_ami_id, targetGroupArn: o.blue_target_group_arn, asgName: o.blue_asg_name },
      green: { amiId: o.green_ami_id, targetGroupArn: o.green_target_group_arn, asgName: o.green_asg_name },
    },
    listenerArn: o.alb_listener_arn,
    albDnsName: o.alb_dns_name,
    cloudfrontDomain: o.cloudfront_domain,
    staticBucket: o.static_bucket_name,
    deployStateParameter: o.deploy_state_parameter,
    alarmNames: o.alarm_names,
    edgeAlarmNames: o.edge_alarm_names ?? [],
  };
}

/** The variables of `terraform/envs/<env>`, written as a `.tfvars.json` file for every plan and apply. */
export interface StackVars {
  active_color: Color;
  blue_ami_id: string;
  green_ami_id: string;
  /** Percent of traffic sent to the colour that is NOT active (0 outside a canary step). */
  canary_weight: number;
  app_version: string;
  git_sha: string;
  lambda_zip_path: string;
}

/**
 * Release-wide values that stay the same for every apply of one run, so that each apply differs from the
 * previous one only in the variable that step means to change (a flip changes `active_color` and nothing else).
 */
export interface RunVars {
  app_version: string;
  git_sha: string;
  lambda_zip_path: string;
}

export interface Topology {
  activeColor: Color;
  amis: Record<Color, string>;
  canaryWeight: number;
}

export function stackVars(topology: Topology, run: RunVars): StackVars {
  return {
    active_color: topology.activeColor,
    blue_ami_id: topology.amis.blue,
    green_ami_id: topology.amis.green,
    canary_weight: topology.canaryWeight,
    ...run,
  };
}

export function topologyOf(outputs: StackOutputs): Topology {
  return {
    activeColor: outputs.activeColor,
    amis: { blue: outputs.slots.blue.amiId, green: outputs.slots.green.amiId },
    canaryWeight: 0,
  };
}
