/**
 * `deploy <environment> --ami AMI`: read the live state, decide (nothing to do / resume / promote), and run the
 * promotion. A rerun of a finished deploy finds the AMI already live and changes nothing.
 */
import { CONSOLE_PREFIX, describeConsolePlan, planConsolePublish } from './console-assets.ts';
import { parseDeployRecord, type Release } from './deploy-record.ts';
import { describePlan } from './plan-description.ts';
import { executePromotion, planPromotion, type PipelineDeps, type PromoteRequest } from './promote.ts';
import type { RunResult } from './reporter.ts';
import { AMI_TAGS, otherColor, stackVars, topologyOf, type StackOutputs } from './stack.ts';

export interface DeployOptions {
  dryRun: boolean;
  force: boolean;
}

export async function deploy(
  deps: PipelineDeps,
  req: PromoteRequest,
  options: DeployOptions,
): Promise<RunResult> {
  const { reporter, terraform, aws } = deps;
  const { environment, target } = req;

  reporter.step('read-state', `Read the live state of ${environment}`);
  await terraform.init();
  const outputs = await terraform.outputs();
  if (!outputs) {
    return reporter.finish(
      'deploy',
      environment,
      'failed',
      `no stack in the Terraform state of ${environment}`,
      {
        'next step': 'create the stack first (docs/infrastructure.md), then deploy',
      },
    );
  }
  const record = parseDeployRecord(await aws.readParameter(outputs.deployStateParameter));
  reporter.end('ok', liveSummary(outputs));

  const mismatch = await checkAmi(deps, target);
  if (mismatch) return reporter.finish('deploy', environment, 'failed', mismatch);

  const plan = planPromotion(outputs, record, target, options.force);
  reporter.step('plan', 'Plan');
  for (const line of describePlan(plan, outputs, req)) reporter.info(line);
  if (plan.kind === 'noop') return reporter.finish('deploy', environment, 'noop', plan.why);
  if (plan.kind === 'blocked') return reporter.finish('deploy', environment, 'failed', plan.why);
  if (options.dryRun) {
    if (plan.kind === 'promote' && plan.updateStandby) {
      const topology = topologyOf(outputs);
      topology.amis[plan.to] = target.ami_id;
      const preview = await terraform.plan(stackVars(topology, req.runVars), { lock: false });
      reporter.info(`terraform plan for the standby update: ${preview.summary}`);
    }
    if (req.console) {
      const upload = await planConsolePublish(deps.aws, outputs.staticBucket, req.console);
      reporter.info(
        `console → s3://${outputs.staticBucket}/${CONSOLE_PREFIX}: ${describeConsolePlan(upload)}`,
      );
    }
    return reporter.finish('deploy', environment, 'planned', 'dry run: nothing was changed');
  }
  return executePromotion(deps, req, outputs, record, plan);
}

export function liveSummary(outputs: StackOutputs): string {
  const { activeColor, slots } = outputs;
  const standby = otherColor(activeColor);
  return `live: ${activeColor} (${slots[activeColor].amiId}); standby: ${standby} (${slots[standby].amiId})`;
}

/** The AMI must exist and, when tagged, come from the commit being deployed: catches a mixed-up AMI id. */
async function checkAmi(deps: PipelineDeps, target: Release): Promise<string | null> {
  const image = await deps.aws.image(target.ami_id);
  if (!image) return `AMI ${target.ami_id} does not exist in this region (or is not visible to this account)`;
  const tagged = image.tags[AMI_TAGS.gitSha];
  if (tagged && tagged !== target.git_sha) {
    return `AMI ${target.ami_id} was built from ${tagged}, not from ${target.git_sha}`;
  }
  if (!tagged)
    deps.reporter.warn(`AMI ${target.ami_id} has no ${AMI_TAGS.gitSha} tag: its commit cannot be checked`);
  return null;
}
