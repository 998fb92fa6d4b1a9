/** The rollback and recover state machines against simulated AWS and a fake Terraform. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { deploy } from '../../scripts/lib/deploy-flow.ts';
import { serializeDeployRecord } from '../../scripts/lib/deploy-record.ts';
import { recover, rollback, type RollbackRequest } from '../../scripts/lib/rollback-flow.ts';
import {
  ALARM_5XX,
  AMI_ANCIENT,
  AMI_NEW,
  AMI_OLD,
  LAMBDA_ZIP,
  RELEASE_ANCIENT,
  RELEASE_NEW,
  RELEASE_OLD,
  createFixture,
  nextRun,
  type Fixture,
} from './support/pipeline-fixture.ts';
import { RECORD_PARAMETER } from './support/simulated-aws.ts';

const request = (f: Fixture, to = 'previous', extra: Partial<RollbackRequest> = {}): RollbackRequest => ({
  environment: 'production',
  to,
  dryRun: false,
  force: false,
  promote: {
    environment: 'production',
    lambdaZipPath: LAMBDA_ZIP,
    reason: 'customers report failed calls',
    runUrl: null,
    settings: { ...f.settings, bakeMs: 5 * 60_000 },
  },
  ...extra,
});

const stepIds = (result: { steps: { id: string }[] }) => result.steps.map((s) => s.id);

describe('rollback', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = createFixture();
    // Release 3 is live on green; release 2 is warm on blue.
    await deploy(f.deps, f.deployRequest(), { dryRun: false, force: false });
    nextRun(f);
  });
  afterEach(() => f.world.restore());

  it('returns to the previous release on the warm standby with one switch', async () => {
    const applies = f.terraform.applies.length;

    const result = await rollback(f.deps, request(f));

    expect(result.outcome).toBe('succeeded');
    expect(stepIds(result)).toEqual(['read-state', 'plan', 'wait-ready', 'smoke', 'switch', 'bake']);
    expect(
      f.terraform.applies.slice(applies).map((v) => [v.active_color, v.blue_ami_id, v.green_ami_id]),
    ).toEqual([['blue', AMI_OLD, AMI_NEW]]);
    expect(f.world.traffic.active).toBe('blue');
    expect(f.record()).toMatchObject({
      active_color: 'blue',
      previous: RELEASE_NEW,
      last: {
        operation: 'rollback',
        status: 'succeeded',
        target: RELEASE_OLD,
        reason: 'customers report failed calls',
      },
    });
    // The release variables of the rollback's apply are those of the release it returns to.
    expect(f.terraform.applies.at(-1)).toMatchObject({
      git_sha: RELEASE_OLD.git_sha,
      app_version: RELEASE_OLD.app_version,
    });
  });

  it('is a no-op when run again, instead of bouncing back to the release it fled', async () => {
    await rollback(f.deps, request(f));
    const applies = f.terraform.applies.length;
    const writes = f.world.writes.length;

    const again = await rollback(nextRun(f), request(f));

    expect(again.outcome).toBe('noop');
    expect(again.headline).toMatch(`already rolled back to ${AMI_OLD}`);
    expect(f.terraform.applies).toHaveLength(applies);
    expect(f.world.writes).toHaveLength(writes);
    expect(f.world.traffic.active).toBe('blue');
  });

  it('puts a given AMI on the standby first when no colour runs it', async () => {
    const result = await rollback(f.deps, request(f, AMI_ANCIENT));

    expect(result.outcome).toBe('succeeded');
    expect(stepIds(result)).toContain('update-standby');
    expect(f.world.traffic.active).toBe('blue');
    expect(f.world.colours.blue.amiId).toBe(AMI_ANCIENT);
    // The release metadata came from the AMI's tags, so the smoke test checked the right commit.
    expect(f.record().last.target).toEqual({ ...RELEASE_ANCIENT, app_version: '1.0.0' });
  });

  it('is a no-op when the requested AMI already serves', async () => {
    const result = await rollback(f.deps, request(f, AMI_NEW));
    expect(result.outcome).toBe('noop');
  });

  it('does not switch back on its own when the release it returns to alarms too', async () => {
    f.world.alarmingAmis.set(AMI_OLD, ALARM_5XX);

    const result = await rollback(f.deps, request(f));

    expect(result.outcome).toBe('failed');
    expect(result.headline).toMatch(/alarm during bake.*Traffic stays on blue: decide by hand/);
    expect(f.world.traffic.active).toBe('blue');
    expect(f.record().last).toMatchObject({ operation: 'rollback', status: 'failed' });
  });

  it('refuses an unknown target and a missing record with a clear message', async () => {
    expect((await rollback(f.deps, request(f, 'last-tuesday'))).headline).toMatch(
      /--to must be "previous" or an AMI id/,
    );
    expect((await rollback(nextRun(f), request(f, 'ami-0123456789abcdef0'))).headline).toMatch(
      /does not exist/,
    );
    f.world.parameters.clear();
    expect((await rollback(nextRun(f), request(f))).headline).toMatch(/no deploy record yet/);
  });

  it('prints the plan and changes nothing in a dry run', async () => {
    const writes = f.world.writes.length;
    const result = await rollback(f.deps, request(f, 'previous', { dryRun: true }));
    expect(result.outcome).toBe('planned');
    expect(f.lines.join('\n')).toMatch(`standby blue already runs ${AMI_OLD}: no apply needed`);
    expect(f.world.writes).toHaveLength(writes);
  });
});

describe('rollback --recover', () => {
  let f: Fixture;
  beforeEach(() => {
    f = createFixture();
  });
  afterEach(() => f.world.restore());

  /** A deploy of release 3 whose runner died at `phase`, with traffic where that phase leaves it. */
  async function interruptedDeploy(phase: 'standby-healthy' | 'switched') {
    await deploy(f.deps, f.deployRequest(), { dryRun: false, force: false });
    const record = f.record();
    if (phase === 'standby-healthy') {
      await f.terraform.apply({ ...f.terraform.vars!, active_color: 'blue' });
      record.active_color = 'blue';
    }
    record.last = { ...record.last, status: 'in_progress', phase, finished_at: null };
    record.previous = RELEASE_ANCIENT;
    f.world.parameters.set(RECORD_PARAMETER, serializeDeployRecord(record));
    nextRun(f);
  }

  const recoverRequest = (gitSha: string | null = RELEASE_NEW.git_sha) => ({
    environment: 'production',
    gitSha,
    lambdaZipPath: LAMBDA_ZIP,
    dryRun: false,
  });

  it('sends traffic back when the interrupted deploy had switched', async () => {
    await interruptedDeploy('switched');
    expect(f.world.traffic.active).toBe('green');

    const result = await recover(f.deps, recoverRequest());

    expect(result.outcome).toBe('succeeded');
    expect(f.world.traffic).toEqual({ active: 'blue', canary: 0 });
    expect(f.record()).toMatchObject({
      active_color: 'blue',
      last: { status: 'rolled_back', phase: 'switched-back' },
    });
    // Only the colour moved: same AMIs and release variables as the last apply.
    expect(f.terraform.applies.at(-1)).toMatchObject({
      blue_ami_id: AMI_OLD,
      green_ami_id: AMI_NEW,
      git_sha: RELEASE_NEW.git_sha,
    });
  });

  it('only marks the operation failed when traffic never moved', async () => {
    await interruptedDeploy('standby-healthy');
    const applies = f.terraform.applies.length;

    const result = await recover(f.deps, recoverRequest());

    expect(result.outcome).toBe('succeeded');
    expect(result.headline).toMatch(/never moved traffic/);
    expect(f.terraform.applies).toHaveLength(applies);
    expect(f.record().last).toMatchObject({ status: 'failed', error: 'interrupted' });
  });

  it("leaves another commit's unfinished operation alone", async () => {
    await interruptedDeploy('switched');
    const result = await recover(f.deps, recoverRequest('e'.repeat(40)));
    expect(result.outcome).toBe('noop');
    expect(f.world.traffic.active).toBe('green');
  });

  it('does nothing when nothing is unfinished', async () => {
    await deploy(f.deps, f.deployRequest(), { dryRun: false, force: false });
    const writes = f.world.writes.length;
    const result = await recover(nextRun(f), recoverRequest());
    expect(result.outcome).toBe('noop');
    expect(f.world.writes).toHaveLength(writes);
  });
});
