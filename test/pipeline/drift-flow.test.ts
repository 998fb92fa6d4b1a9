/** Drift detection plans with the variables of the last apply, without a lock, and never applies. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { detectDrift } from '../../scripts/lib/drift-flow.ts';
import { serializeDeployRecord } from '../../scripts/lib/deploy-record.ts';
import {
  AMI_OLD,
  AMI_OLDER,
  LAMBDA_ZIP,
  RELEASE_OLD,
  createFixture,
  type Fixture,
} from './support/pipeline-fixture.ts';
import { RECORD_PARAMETER } from './support/simulated-aws.ts';

describe('detectDrift', () => {
  let f: Fixture;
  beforeEach(() => {
    f = createFixture();
  });
  afterEach(() => f.world.restore());

  const checkout = { git_sha: '9'.repeat(40), app_version: '9.9.9' };
  const check = (mode: 'refresh-only' | 'full' = 'refresh-only') =>
    detectDrift(f.deps, {
      environment: 'production',
      lambdaZipPath: LAMBDA_ZIP,
      mode,
      fallbackRelease: checkout,
    });

  it('reports in sync when the live variables reproduce the last apply', async () => {
    const result = await check();

    expect(result.status).toBe('in-sync');
    expect(f.terraform.plans).toEqual([
      {
        lock: false,
        refreshOnly: true,
        vars: {
          active_color: 'blue',
          blue_ami_id: AMI_OLD,
          green_ami_id: AMI_OLDER,
          canary_weight: 0,
          git_sha: RELEASE_OLD.git_sha,
          app_version: RELEASE_OLD.app_version,
          lambda_zip_path: LAMBDA_ZIP,
        },
      },
    ]);
  });

  it('reports drift when the stack differs, and still applies nothing', async () => {
    // Someone changed the stack by hand: its state no longer matches what the last apply set.
    f.terraform.vars = { ...f.terraform.vars!, lambda_zip_path: '/elsewhere/poller.zip' };

    const result = await check();

    expect(result.status).toBe('drift');
    expect(f.terraform.applies).toEqual([]);
    expect(f.world.writes).toEqual([]);
  });

  it('plans the configuration too in full mode', async () => {
    await check('full');
    expect(f.terraform.plans[0]).toMatchObject({ lock: false, refreshOnly: false });
  });

  it('stands aside while a deploy is in flight', async () => {
    const record = f.record();
    record.last = { ...record.last, status: 'in_progress' };
    f.world.parameters.set(RECORD_PARAMETER, serializeDeployRecord(record));

    expect(await check()).toMatchObject({
      status: 'busy',
      why: expect.stringMatching(/a deploy started .* is in progress/),
    });
    expect(f.terraform.plans).toEqual([]);
  });

  it("falls back to the checkout's release values for a stack the pipeline never deployed", async () => {
    f.world.parameters.clear();
    await check();
    expect(f.terraform.plans[0]?.vars).toMatchObject(checkout);
  });

  it('says so when there is no stack', async () => {
    f.terraform.vars = null;
    expect(await check()).toEqual({ status: 'no-stack' });
  });
});
