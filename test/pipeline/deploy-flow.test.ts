/**
 * The deploy state machine against simulated AWS (real gateway, mocked SDK transport) and a fake Terraform.
 * Waits run on a virtual clock: a 15-minute health timeout plus a 10-minute bake take milliseconds.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { deploy } from '../../scripts/lib/deploy-flow.ts';
import { exitCodeFor } from '../../scripts/lib/reporter.ts';
import { serializeDeployRecord } from '../../scripts/lib/deploy-record.ts';
import {
  ALARM_5XX,
  ALARM_CLOUDFRONT,
  ALARM_UNHEALTHY,
  AMI_NEW,
  AMI_OLD,
  AMI_OLDER,
  RELEASE_NEW,
  RELEASE_OLD,
  RELEASE_OLDER,
  createFixture,
  nextRun,
  type Fixture,
} from './support/pipeline-fixture.ts';
import { RECORD_PARAMETER } from './support/simulated-aws.ts';

const run = (f: Fixture, overrides = {}, options = { dryRun: false, force: false }) =>
  deploy(f.deps, f.deployRequest(RELEASE_NEW, overrides), options);

const stepIds = (result: { steps: { id: string; outcome: string }[] }) =>
  result.steps.map((s) => `${s.id}:${s.outcome}`);

describe('deploy', () => {
  let f: Fixture;
  beforeEach(() => {
    f = createFixture();
  });
  afterEach(() => f.world.restore());

  it('puts the release on the standby colour, checks it, switches and bakes', async () => {
    const result = await run(f);

    expect(result.outcome).toBe('succeeded');
    expect(exitCodeFor(result.outcome)).toBe(0);
    expect(stepIds(result)).toEqual([
      'read-state:ok',
      'plan:ok',
      'update-standby:ok',
      'wait-ready:ok',
      'smoke:ok',
      'switch:ok',
      'bake:ok',
    ]);
    expect(f.world.traffic).toEqual({ active: 'green', canary: 0 });
    expect(f.world.colours.green.amiId).toBe(AMI_NEW);
    // The previous release stays warm on blue: the rollback target.
    expect(f.world.colours.blue.amiId).toBe(AMI_OLD);
    expect(f.record()).toMatchObject({
      active_color: 'green',
      colors: { green: RELEASE_NEW, blue: RELEASE_OLD },
      previous: RELEASE_OLD,
      applied: { git_sha: RELEASE_NEW.git_sha },
      last: {
        operation: 'deploy',
        status: 'succeeded',
        phase: 'baked',
        from_color: 'blue',
        to_color: 'green',
      },
    });
    // The bake really watched for its full duration (on the virtual clock).
    expect(f.clock.slept).toBeGreaterThanOrEqual(10 * 60_000);
  });

  it('changes exactly one thing per apply: the standby AMI, then the active colour', async () => {
    await run(f);
    const [standby, flip] = f.terraform.applies;
    expect(f.terraform.applies).toHaveLength(2);
    expect(standby).toMatchObject({
      active_color: 'blue',
      green_ami_id: AMI_NEW,
      blue_ami_id: AMI_OLD,
      canary_weight: 0,
    });
    expect(flip).toEqual({ ...standby, active_color: 'green' });
  });

  it('re-running a finished deploy is a no-op: no apply, no record write', async () => {
    await run(f);
    const applies = f.terraform.applies.length;
    const writes = f.world.writes.length;

    const again = await deploy(nextRun(f), f.deployRequest(), { dryRun: false, force: false });

    expect(again.outcome).toBe('noop');
    expect(again.headline).toMatch(/green already serves ami-0000000000000003c/);
    expect(f.terraform.applies).toHaveLength(applies);
    expect(f.world.writes).toHaveLength(writes);
  });

  it('never switches when the standby targets never become healthy', async () => {
    f.world.unhealthyAmis.add(AMI_NEW);

    const result = await run(f);

    expect(result.outcome).toBe('failed');
    expect(exitCodeFor(result.outcome)).toBe(1);
    expect(result.headline).toMatch(/before any traffic moved: green did not become ready within 15m00s/);
    expect(f.world.traffic).toEqual({ active: 'blue', canary: 0 });
    expect(f.terraform.applies).toHaveLength(1);
    expect(f.record()).toMatchObject({
      active_color: 'blue',
      last: { status: 'failed', phase: 'standby-updated' },
    });
    expect(f.world.smokeCalls).toBe(0);
    expect(f.clock.slept).toBeGreaterThanOrEqual(15 * 60_000);
  });

  it('never switches when Terraform itself gives up waiting for the standby capacity', async () => {
    f.world.unhealthyAmis.add(AMI_NEW);
    f.terraform.waitForCapacity = true;

    const result = await run(f);

    expect(result.outcome).toBe('failed');
    expect(result.headline).toMatch(/timeout while waiting for healthy instances/);
    expect(f.world.traffic.active).toBe('blue');
    expect(f.record().last).toMatchObject({ status: 'failed', phase: 'started' });
  });

  it('never switches when the smoke test fails, after retrying it', async () => {
    f.world.brokenAmis.add(AMI_NEW);

    const result = await run(f);

    expect(result.outcome).toBe('failed');
    expect(result.headline).toMatch(/smoke test of green failed: .*get_credit_balance returned an error/);
    expect(f.world.smokeCalls).toBe(3);
    expect(f.world.traffic).toEqual({ active: 'blue', canary: 0 });
    expect(f.record().last).toMatchObject({ status: 'failed', phase: 'standby-healthy' });
  });

  it('switches back automatically when an alarm fires during the bake', async () => {
    f.world.alarmingAmis.set(AMI_NEW, ALARM_5XX);

    const result = await run(f);

    expect(result.outcome).toBe('rolled_back');
    expect(exitCodeFor(result.outcome)).toBe(1);
    expect(result.headline).toMatch(new RegExp(`alarm during bake: ${ALARM_5XX}.*Traffic is back on blue`));
    expect(stepIds(result).slice(-3)).toEqual(['switch:ok', 'bake:failed', 'switch-back:ok']);
    expect(f.world.traffic).toEqual({ active: 'blue', canary: 0 });
    expect(f.terraform.applies.map((v) => v.active_color)).toEqual(['blue', 'green', 'blue']);
    expect(f.record()).toMatchObject({
      active_color: 'blue',
      previous: RELEASE_OLDER, // unchanged: the failed release never became "live"
      last: { status: 'rolled_back', phase: 'switched-back' },
    });
  });

  it('watches the edge alarms (us-east-1) as well', async () => {
    f.world.alarmingAmis.set(AMI_NEW, ALARM_CLOUDFRONT);

    const result = await run(f);

    expect(result.outcome).toBe('rolled_back');
    expect(result.headline).toMatch(ALARM_CLOUDFRONT);
  });

  it('ignores an alarm that was already firing before the switch and did not change', async () => {
    f.world.addAlarm(ALARM_UNHEALTHY, 'ALARM', f.clock.now() - 600_000);

    const result = await run(f);

    expect(result.outcome).toBe('succeeded');
    expect(f.lines.join('\n')).toMatch(
      new RegExp(`${ALARM_UNHEALTHY} was already in ALARM before the switch`),
    );
  });

  it('runs a canary step first and abandons it when an alarm fires', async () => {
    f.world.alarmingAmis.set(AMI_NEW, ALARM_5XX);

    const result = await run(f, { canaryPercent: 10 });

    expect(result.outcome).toBe('rolled_back');
    expect(result.headline).toMatch(/alarm during canary/);
    expect(f.terraform.applies.map((v) => [v.active_color, v.canary_weight])).toEqual([
      ['blue', 0],
      ['blue', 10],
      ['blue', 0],
    ]);
    expect(f.world.traffic).toEqual({ active: 'blue', canary: 0 });
  });

  it('runs a quiet canary, then switches', async () => {
    const result = await run(f, { canaryPercent: 10 });

    expect(result.outcome).toBe('succeeded');
    expect(f.terraform.applies.map((v) => [v.active_color, v.canary_weight])).toEqual([
      ['blue', 0],
      ['blue', 10],
      ['green', 0],
    ]);
  });

  it('tells a person when switching back fails too', async () => {
    f.world.alarmingAmis.set(AMI_NEW, ALARM_5XX);
    f.terraform.failApply = (vars) =>
      vars.active_color === 'blue' && f.terraform.applies.length > 2
        ? 'Error acquiring the state lock'
        : null;

    const result = await run(f);

    expect(result.outcome).toBe('failed');
    expect(result.headline).toMatch(/SWITCHING BACK FAILED \(.*state lock.*\)\. Manual action needed/);
    expect(f.record().last.status).toBe('failed');
  });

  it('only plans in a dry run: nothing applied, nothing written', async () => {
    const result = await run(f, {}, { dryRun: true, force: false });

    expect(result.outcome).toBe('planned');
    expect(f.terraform.applies).toHaveLength(0);
    expect(f.terraform.plans).toEqual([expect.objectContaining({ lock: false })]);
    expect(f.world.writes).toEqual([]);
    const printed = f.lines.join('\n');
    expect(printed).toMatch(`update standby green: green_ami_id ${AMI_OLDER} → ${AMI_NEW}`);
    expect(printed).toMatch('switch: active_color blue → green');
    expect(printed).toMatch(/bake: watch 3 alarm\(s\) for 10m00s; on any failure switch back to blue/);
  });

  it('refuses to start while another deploy is unfinished, unless forced', async () => {
    const record = f.record();
    record.last = { ...record.last, status: 'in_progress', phase: 'standby-updated', target: RELEASE_OLDER };
    f.world.parameters.set(RECORD_PARAMETER, serializeDeployRecord(record));

    const blocked = await run(f);
    expect(blocked.outcome).toBe('failed');
    expect(blocked.headline).toMatch(/did not finish\. Run `rollback --recover`/);
    expect(f.terraform.applies).toHaveLength(0);

    const forced = await deploy(nextRun(f), f.deployRequest(), { dryRun: false, force: true });
    expect(forced.outcome).toBe('succeeded');
  });

  it('resumes the bake of a deploy interrupted after its switch', async () => {
    await run(f);
    const record = f.record();
    record.last = { ...record.last, status: 'in_progress', phase: 'switched', finished_at: null };
    f.world.parameters.set(RECORD_PARAMETER, serializeDeployRecord(record));
    const applies = f.terraform.applies.length;

    const resumed = await deploy(nextRun(f), f.deployRequest(), { dryRun: false, force: false });

    expect(resumed.outcome).toBe('succeeded');
    expect(stepIds(resumed)).toEqual(['read-state:ok', 'plan:ok', 'bake:ok']);
    expect(f.terraform.applies).toHaveLength(applies);
    expect(f.record().last).toMatchObject({ status: 'succeeded', phase: 'baked' });
  });

  it('skips the standby update when the standby already runs the release', async () => {
    f.world.replaceColour('green', AMI_NEW);
    f.terraform.vars = { ...f.terraform.vars!, green_ami_id: AMI_NEW };

    const result = await run(f);

    expect(result.outcome).toBe('succeeded');
    expect(stepIds(result)).not.toContain('update-standby:ok');
    expect(f.terraform.applies.map((v) => v.active_color)).toEqual(['green']);
  });

  it('refuses an AMI baked from another commit before touching anything', async () => {
    const result = await deploy(f.deps, f.deployRequest({ ...RELEASE_NEW, git_sha: 'd'.repeat(40) }), {
      dryRun: false,
      force: false,
    });

    expect(result.outcome).toBe('failed');
    expect(result.headline).toMatch(/was built from c{40}, not from d{40}/);
    expect(f.world.writes).toEqual([]);
  });

  it('stops before any change when the deploy record is unreadable, rather than guess', async () => {
    f.world.parameters.set(RECORD_PARAMETER, '{"schema":2}');
    await expect(run(f)).rejects.toThrow(/the deploy record is not in the expected format/);
    expect(f.terraform.applies).toEqual([]);
  });

  it('refuses an AMI that does not exist', async () => {
    const result = await deploy(
      f.deps,
      f.deployRequest({ ...RELEASE_NEW, ami_id: 'ami-0badbadbadbadbad0' }),
      {
        dryRun: false,
        force: false,
      },
    );

    expect(result.outcome).toBe('failed');
    expect(result.headline).toMatch(/does not exist/);
  });

  it('deploys onto a stack that has no deploy record yet (Terraform created the parameter as {})', async () => {
    f.world.parameters.set(RECORD_PARAMETER, '{}');

    const result = await run(f);

    expect(result.outcome).toBe('succeeded');
    expect(f.record()).toMatchObject({
      colors: { green: RELEASE_NEW, blue: { ami_id: AMI_OLD, git_sha: 'unknown' } },
      previous: { ami_id: AMI_OLD },
    });
  });
});
