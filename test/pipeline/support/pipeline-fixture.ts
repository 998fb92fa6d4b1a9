/**
 * A production environment in the simulated region, mid-life: blue serves release 2 (AMI_OLD), green still
 * holds release 1 (AMI_OLDER), the deploy record says so, and release 3 (AMI_NEW) has just been baked.
 */
import { createAwsGateway } from '../../../scripts/lib/aws.ts';
import { minutes, seconds } from '../../../scripts/lib/clock.ts';
import {
  serializeDeployRecord,
  type DeployRecord,
  type Release,
} from '../../../scripts/lib/deploy-record.ts';
import type { PipelineDeps, PromoteRequest, PromoteSettings } from '../../../scripts/lib/promote.ts';
import { Reporter } from '../../../scripts/lib/reporter.ts';
import type { RunVars } from '../../../scripts/lib/stack.ts';
import { FakeTerraform } from './fake-terraform.ts';
import { COLOR_HEADER, RECORD_PARAMETER, SimulatedAws } from './simulated-aws.ts';
import { VirtualClock } from './virtual-clock.ts';

export const AMI_OLDER = 'ami-0000000000000001a';
export const AMI_OLD = 'ami-0000000000000002b';
export const AMI_NEW = 'ami-0000000000000003c';
export const AMI_ANCIENT = 'ami-0000000000000000f';

export const RELEASE_OLDER: Release = { ami_id: AMI_OLDER, git_sha: 'a'.repeat(40), app_version: '1.1.0' };
export const RELEASE_OLD: Release = { ami_id: AMI_OLD, git_sha: 'b'.repeat(40), app_version: '1.2.0' };
export const RELEASE_NEW: Release = { ami_id: AMI_NEW, git_sha: 'c'.repeat(40), app_version: '1.3.0' };
export const RELEASE_ANCIENT: Release = {
  ami_id: AMI_ANCIENT,
  git_sha: 'f'.repeat(40),
  app_version: '1.0.0',
};

export const ALARM_5XX = 'bland-mcp-production-alb-target-5xx';
export const ALARM_UNHEALTHY = 'bland-mcp-production-unhealthy-hosts';
/** An edge alarm (us-east-1): the gateway reads it through a second CloudWatch client. */
export const ALARM_CLOUDFRONT = 'bland-mcp-production-cloudfront-5xx-rate';

export const LAMBDA_ZIP = '/workspace/dist/lambda/poller.zip';

export interface Fixture {
  clock: VirtualClock;
  world: SimulatedAws;
  terraform: FakeTerraform;
  deps: PipelineDeps;
  lines: string[];
  record(): DeployRecord;
  settings: PromoteSettings;
  deployRequest(target?: Release, overrides?: Partial<PromoteSettings>): PromoteRequest;
}

export function createFixture(): Fixture {
  const clock = new VirtualClock();
  const world = new SimulatedAws(clock, { active: 'blue', blue: AMI_OLD, green: AMI_OLDER });
  world.install();
  world.addImage(AMI_ANCIENT, RELEASE_ANCIENT.git_sha, 30);
  world.addImage(AMI_OLDER, RELEASE_OLDER.git_sha, 14);
  world.addImage(AMI_OLD, RELEASE_OLD.git_sha, 7);
  world.addImage(AMI_NEW, RELEASE_NEW.git_sha, 0);
  world.addAlarm(ALARM_5XX);
  world.addAlarm(ALARM_UNHEALTHY);
  world.addAlarm(ALARM_CLOUDFRONT);

  const runVars = (release: Release): RunVars => ({
    git_sha: release.git_sha,
    app_version: release.app_version,
    lambda_zip_path: LAMBDA_ZIP,
  });
  const terraform = new FakeTerraform(world, {
    active_color: 'blue',
    blue_ami_id: AMI_OLD,
    green_ami_id: AMI_OLDER,
    canary_weight: 0,
    ...runVars(RELEASE_OLD),
  });
  const started = new Date(clock.now() - 86_400_000).toISOString();
  const seeded: DeployRecord = {
    schema: 1,
    environment: 'production',
    active_color: 'blue',
    colors: { blue: RELEASE_OLD, green: RELEASE_OLDER },
    previous: RELEASE_OLDER,
    applied: { git_sha: RELEASE_OLD.git_sha, app_version: RELEASE_OLD.app_version },
    last: {
      operation: 'deploy',
      status: 'succeeded',
      phase: 'baked',
      target: RELEASE_OLD,
      from_color: 'green',
      to_color: 'blue',
      started_at: started,
      finished_at: started,
      reason: null,
      error: null,
      run_url: null,
    },
    updated_at: started,
  };
  world.parameters.set(RECORD_PARAMETER, serializeDeployRecord(seeded));

  const lines: string[] = [];
  const reporter = new Reporter(clock, (line) => lines.push(line));
  const deps: PipelineDeps = {
    terraform,
    aws: createAwsGateway('us-east-1'),
    smoke: world.smoke,
    clock,
    reporter,
  };
  const settings: PromoteSettings = {
    healthTimeoutMs: minutes(15),
    pollMs: seconds(15),
    bakeMs: minutes(10),
    canaryPercent: 0,
    canaryMs: minutes(5),
    smokeAttempts: 3,
    smokeTarget: (_outputs, color) => ({
      baseUrl: 'https://d111111abcdef8.cloudfront.net',
      headers: { [COLOR_HEADER]: color, 'X-Bland-Mcp-Preview-Token': 'preview-token' },
      apiKey: 'bmcp_live_smoke',
    }),
  };
  return {
    clock,
    world,
    terraform,
    deps,
    lines,
    settings,
    record: () => JSON.parse(world.parameters.get(RECORD_PARAMETER) ?? 'null') as DeployRecord,
    deployRequest: (target = RELEASE_NEW, overrides = {}) => ({
      environment: 'production',
      operation: 'deploy',
      target,
      runVars: runVars(target),
      reason: null,
      runUrl: 'https://github.com/acme/bland-mcp/actions/runs/1',
      revertOnFailure: true,
      settings: { ...settings, ...overrides },
    }),
  };
}

/** A fresh reporter for a second run in the same world (each run reports its own steps). */
export function nextRun(fixture: Fixture): PipelineDeps {
  fixture.lines.length = 0;
  fixture.deps = {
    ...fixture.deps,
    reporter: new Reporter(fixture.clock, (line) => fixture.lines.push(line)),
  };
  return fixture.deps;
}
