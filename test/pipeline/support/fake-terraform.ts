/**
 * A Terraform stand-in over the simulated region. `apply` does what the real stack does with the same variables:
 * a changed AMI replaces that colour's Auto Scaling group (optionally waiting for its capacity, like
 * `wait_for_elb_capacity`), and `active_color`/`canary_weight` move the listener's weights. Outputs go through
 * the real output parser.
 */
import { parseStackOutputs, COLORS, type StackOutputs, type StackVars } from '../../../scripts/lib/stack.ts';
import type { PlanOptions, PlanResult, TerraformRunner } from '../../../scripts/lib/terraform.ts';
import { RECORD_PARAMETER, type SimulatedAws } from './simulated-aws.ts';

export class FakeTerraform implements TerraformRunner {
  readonly world: SimulatedAws;
  vars: StackVars | null;
  readonly applies: StackVars[] = [];
  readonly plans: { vars: StackVars; lock: boolean; refreshOnly: boolean }[] = [];
  /** Like the real stack's wait_for_elb_capacity: the apply itself fails when the new group never gets healthy. */
  waitForCapacity = false;
  /** Return an error message to make the apply with these variables fail. */
  failApply: (vars: StackVars) => string | null = () => null;

  constructor(world: SimulatedAws, vars: StackVars | null) {
    this.world = world;
    this.vars = vars;
  }

  async init(): Promise<void> {}

  async outputs(): Promise<StackOutputs | null> {
    const vars = this.vars;
    if (!vars) return parseStackOutputs({});
    const { colours } = this.world;
    const value = <T>(v: T) => ({ value: v, type: 'string', sensitive: false });
    return parseStackOutputs({
      active_color: value(vars.active_color),
      alb_listener_arn: value('arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/bland/1/2'),
      blue_target_group_arn: value(colours.blue.targetGroupArn),
      green_target_group_arn: value(colours.green.targetGroupArn),
      blue_asg_name: value(colours.blue.asgName),
      green_asg_name: value(colours.green.asgName),
      blue_ami_id: value(vars.blue_ami_id),
      green_ami_id: value(vars.green_ami_id),
      alb_dns_name: value('bland-mcp-production-1.us-east-1.elb.amazonaws.com'),
      cloudfront_domain: value('d111111abcdef8.cloudfront.net'),
      static_bucket_name: value('bland-mcp-production-static'),
      deploy_state_parameter: value(RECORD_PARAMETER),
      alarm_names: value([...this.world.alarms.keys()].filter((name) => !name.includes('cloudfront'))),
      edge_alarm_names: value([...this.world.alarms.keys()].filter((name) => name.includes('cloudfront'))),
    });
  }

  async plan(vars: StackVars, options: PlanOptions = {}): Promise<PlanResult> {
    this.plans.push({ vars, lock: options.lock ?? true, refreshOnly: options.refreshOnly ?? false });
    return this.diff(vars);
  }

  async apply(vars: StackVars): Promise<PlanResult> {
    const plan = this.diff(vars);
    if (!plan.changed) return plan;
    this.applies.push(vars);
    const failure = this.failApply(vars);
    if (failure) throw new Error(`terraform apply failed (exit 1):\n${failure}`);
    const before = this.vars;
    for (const color of COLORS) {
      const amiId = vars[`${color}_ami_id`];
      if (before?.[`${color}_ami_id`] === amiId) continue;
      this.world.replaceColour(color, amiId);
      if (this.waitForCapacity && !this.world.settleHealth(color)) {
        // The real apply has already replaced the launch template when the capacity wait times out.
        this.vars = { ...(before ?? vars), [`${color}_ami_id`]: amiId };
        throw new Error(
          `terraform apply failed (exit 1):\nwaiting for ${color} capacity: timeout while waiting for healthy instances`,
        );
      }
    }
    this.world.traffic = { active: vars.active_color, canary: vars.canary_weight };
    this.vars = vars;
    return plan;
  }

  private diff(vars: StackVars): PlanResult {
    const changes = this.vars
      ? Object.keys(vars).filter((k) => vars[k as keyof StackVars] !== this.vars?.[k as keyof StackVars])
      : ['all'];
    const summary = changes.length
      ? `Plan: 0 to add, ${changes.length} to change, 0 to destroy. (${changes.join(', ')})`
      : 'No changes. Your infrastructure matches the configuration.';
    return { changed: changes.length > 0, summary, text: summary };
  }
}
