/**
 * The rules the workflows must keep, checked on the parsed YAML (and on the raw text where a rule is about
 * comments). Each failure names the workflow, job or step at fault.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

type Json = Record<string, unknown>;
interface Step extends Json {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Json;
  env?: Json;
}
interface Job extends Json {
  uses?: string;
  steps?: Step[];
  permissions?: Json;
  environment?: string | { name: string };
  concurrency?: { group: string; 'cancel-in-progress': unknown };
  needs?: string | string[];
  outputs?: Record<string, string>;
  env?: Json;
  'timeout-minutes'?: number;
}
interface Workflow extends Json {
  on: Json;
  permissions?: Json;
  concurrency?: { group: string; 'cancel-in-progress': unknown };
  jobs: Record<string, Job>;
}

const root = new URL('../../', import.meta.url).pathname;
const dir = join(root, '.github/workflows');
const raw = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
);
const workflows = Object.fromEntries(Object.entries(raw).map(([f, text]) => [f, parse(text) as Workflow]));

const allJobs = () =>
  Object.entries(workflows).flatMap(([file, wf]) =>
    Object.entries(wf.jobs).map(([id, job]) => ({ file, id, job })),
  );
const allSteps = () =>
  allJobs().flatMap(({ file, id, job }) =>
    (job.steps ?? []).map((step, n) => ({
      where: `${file} ${id} step ${step.name ?? step.uses ?? n}`,
      step,
      job,
    })),
  );
const usesAction = (job: Job, action: string) =>
  (job.steps ?? []).some((s) => s.uses?.startsWith(`${action}@`));
const runs = (job: Job, pattern: RegExp) => (job.steps ?? []).some((s) => pattern.test(s.run ?? ''));
const changesProduction = (job: Job) => runs(job, /node scripts\/(deploy|rollback)\.ts production/);
const environmentName = (job: Job) =>
  typeof job.environment === 'string' ? job.environment : job.environment?.name;

describe('workflows', () => {
  it('are the four the pipeline needs', () => {
    expect(Object.keys(workflows).sort()).toEqual(['ci.yml', 'deploy.yml', 'drift.yml', 'rollback.yml']);
  });

  it('pin every third-party action to a full commit SHA with a version comment', () => {
    const problems: string[] = [];
    const versionOf = new Map<string, string>();
    for (const [file, text] of Object.entries(raw)) {
      for (const line of text.split('\n')) {
        const match = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
        if (!match || match[1]!.startsWith('./')) continue;
        const [, ref, rest] = match as unknown as [string, string, string];
        if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref))
          problems.push(`${file}: ${ref} is not pinned to a commit SHA`);
        const version = /^\s+# (v\d+\.\d+\.\d+)$/.exec(rest)?.[1];
        if (!version) problems.push(`${file}: ${ref} has no "# vX.Y.Z" comment`);
        if (version && versionOf.has(ref) && versionOf.get(ref) !== version)
          problems.push(`${ref} is labelled both ${versionOf.get(ref)} and ${version}`);
        if (version) versionOf.set(ref, version);
      }
    }
    expect(problems).toEqual([]);
    expect(versionOf.size).toBeGreaterThanOrEqual(6);
  });

  it('grant nothing at the top and only what each job uses', () => {
    for (const [file, wf] of Object.entries(workflows)) expect([file, wf.permissions]).toEqual([file, {}]);
    for (const { file, id, job } of allJobs()) {
      const where = `${file} ${id}`;
      const permissions = job.permissions ?? {};
      expect([where, job.permissions]).not.toEqual([where, undefined]);
      for (const [scope, level] of Object.entries(permissions)) {
        expect([where, `${scope}: ${String(level)}`]).toEqual([
          where,
          expect.stringMatching(/^(contents: read|id-token: write|issues: write)$/),
        ]);
      }
      // id-token: write exactly where AWS is reached through OIDC.
      const callsAws = usesAction(job, 'aws-actions/configure-aws-credentials');
      expect([where, permissions['id-token'] === 'write']).toEqual([where, callsAws]);
      if (permissions.issues === 'write') expect(where).toBe('drift.yml report');
    }
  });

  it('never use pull_request_target or static AWS keys', () => {
    for (const [file, text] of Object.entries(raw)) {
      expect([file, /pull_request_target/.test(text)]).toEqual([file, false]);
      expect([
        file,
        /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/.test(text),
      ]).toEqual([file, false]);
    }
  });

  it('bound every job with timeout-minutes (a reusable-workflow call is bounded by the jobs it calls)', () => {
    for (const { file, id, job } of allJobs()) {
      if (job.uses) {
        // Those jobs are in this list too (ci.yml), so they are checked below.
        expect([file, id, job.uses.replace('./.github/workflows/', '') in workflows]).toEqual([
          file,
          id,
          true,
        ]);
        continue;
      }
      expect([file, id, job['timeout-minutes']]).toEqual([file, id, expect.any(Number)]);
      expect(job['timeout-minutes']).toBeLessThanOrEqual(60);
    }
  });

  it('pass untrusted text to scripts only through env (no ${{ }} inside run)', () => {
    for (const { where, step } of allSteps()) {
      expect([where, step.run?.includes('${{') ?? false]).toEqual([where, false]);
    }
  });

  it('check out without persisting the token', () => {
    const checkouts = allSteps().filter(({ step }) => step.uses?.startsWith('actions/checkout@'));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const { where, step } of checkouts)
      expect([where, step.with?.['persist-credentials']]).toEqual([where, false]);
  });

  it('run terraform unwrapped, so the scripts see its real exit codes and JSON', () => {
    for (const { where, step } of allSteps().filter(({ step }) =>
      step.uses?.startsWith('hashicorp/setup-terraform@'),
    )) {
      expect([where, step.with?.terraform_wrapper]).toEqual([where, false]);
      expect([where, step.with?.terraform_version]).toEqual([
        where,
        expect.stringMatching(/^\d+\.\d+\.\d+$/),
      ]);
    }
  });

  it('type and describe every dispatch and call input', () => {
    for (const [file, wf] of Object.entries(workflows)) {
      for (const trigger of ['workflow_dispatch', 'workflow_call']) {
        const inputs = ((wf.on[trigger] as Json | null)?.inputs ?? {}) as Record<string, Json>;
        for (const [name, input] of Object.entries(inputs)) {
          const where = `${file} ${trigger}.${name}`;
          expect([where, typeof input.description, String(input.description).length > 10]).toEqual([
            where,
            'string',
            true,
          ]);
          expect([where, input.type]).toEqual([
            where,
            expect.stringMatching(/^(string|boolean|choice|number|environment)$/),
          ]);
          expect([where, typeof input.required]).toEqual([where, 'boolean']);
        }
      }
    }
    const rollbackInputs = (workflows['rollback.yml']!.on.workflow_dispatch as Json).inputs as Json;
    expect(Object.keys(rollbackInputs)).toEqual(expect.arrayContaining(['target', 'reason']));
  });

  it('call only scripts and npm scripts that exist', () => {
    const npmScripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Json })
      .scripts;
    for (const { where, step } of allSteps()) {
      for (const [, script] of (step.run ?? '').matchAll(/node (scripts\/[\w-]+\.ts)/g)) {
        expect([where, script, existsSync(join(root, script!))]).toEqual([where, script, true]);
      }
      for (const [, name] of (step.run ?? '').matchAll(/npm run ([\w:-]+)/g)) {
        expect([where, `npm run ${name}`, name! in npmScripts]).toEqual([where, `npm run ${name}`, true]);
      }
    }
  });
});

describe('deploy and rollback', () => {
  const deploy = workflows['deploy.yml']!;
  const rollback = workflows['rollback.yml']!;
  const productionJobs = allJobs().filter(({ job }) => changesProduction(job));

  it('deploy runs on pushes to main only; rollback only by hand', () => {
    expect(deploy.on).toEqual({ push: { branches: ['main'] } });
    expect(Object.keys(rollback.on)).toEqual(['workflow_dispatch']);
  });

  it('every job that changes production shares one concurrency group that is never cancelled', () => {
    expect(productionJobs.map(({ file, id }) => `${file} ${id}`).sort()).toEqual([
      'deploy.yml deploy',
      'rollback.yml rollback',
    ]);
    const groups = productionJobs.map(({ job }) => job.concurrency);
    for (const group of groups)
      expect(group).toEqual({ group: 'deploy-production', 'cancel-in-progress': false });
    // A workflow-level group would make the whole run wait (or be cancellable): keep it on the jobs.
    expect(deploy.concurrency).toBeUndefined();
    expect(rollback.concurrency).toBeUndefined();
  });

  it('changes production only from the production environment, with the deploy role', () => {
    for (const { file, id, job } of productionJobs) {
      expect([file, id, environmentName(job)]).toEqual([file, id, 'production']);
      const credentials = job.steps!.find((s) =>
        s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
      );
      expect(credentials?.with?.['role-to-assume']).toBe('${{ secrets.AWS_DEPLOY_ROLE_ARN }}');
    }
    // Environment secrets are only requested where the environment is.
    for (const { file, id, job } of allJobs()) {
      if (environmentName(job) === 'production') continue;
      expect([
        file,
        id,
        JSON.stringify(job).match(
          /secrets\.(SMOKE_API_KEY|PREVIEW_TOKEN|ORIGIN_VERIFY_SECRET|AWS_DEPLOY_ROLE_ARN)/,
        )?.[0],
      ]).toEqual([file, id, undefined]);
    }
  });

  it('passes the baked AMI id from the bake job to the deploy through job outputs', () => {
    const bake = deploy.jobs.bake!;
    const bakeStep = bake.steps!.find(
      (s) => s.id && /node scripts\/bake\.ts --github-output/.test(s.run ?? ''),
    );
    expect(bakeStep).toBeDefined();
    expect(bake.outputs).toEqual({ ami_id: `\${{ steps.${bakeStep!.id}.outputs.ami_id }}` });
    const job = deploy.jobs.deploy!;
    expect(job.needs).toEqual(expect.arrayContaining(['test', 'bake']));
    expect(job.env?.AMI_ID).toBe('${{ needs.bake.outputs.ami_id }}');
    expect(runs(job, /node scripts\/deploy\.ts production --ami "\$AMI_ID"/)).toBe(true);
  });

  it('tests with the same CI workflow pull requests get, and deploys the artifacts it built', () => {
    expect(deploy.jobs.test).toMatchObject({
      uses: './.github/workflows/ci.yml',
      with: { 'release-artifacts': true },
    });
    for (const id of ['bake', 'deploy']) {
      const download = deploy.jobs[id]!.steps!.find((s) => s.uses?.startsWith('actions/download-artifact@'));
      expect([id, download?.with?.name]).toEqual([id, 'release']);
    }
  });

  it('settles an interrupted deploy, and only after a failure or cancellation', () => {
    const recover = deploy.jobs.deploy!.steps!.find((s) =>
      /rollback\.ts production --recover/.test(s.run ?? ''),
    );
    expect(recover?.if).toBe('failure() || cancelled()');
  });

  it('notifies only when a webhook or topic is configured', () => {
    for (const { where, step } of allSteps().filter(({ step }) => /^Notify/.test(step.name ?? ''))) {
      expect([where, step.if]).toEqual([
        where,
        expect.stringMatching(/^always\(\) && env\.(NOTIFY_SLACK == 'true'|SNS_TOPIC_ARN != '')$/),
      ]);
    }
  });
});

describe('drift', () => {
  const drift = workflows['drift.yml']!;
  const text = raw['drift.yml']!;

  it('runs nightly and on demand', () => {
    expect(Object.keys(drift.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect((drift.on.schedule as { cron: string }[])[0]?.cron).toMatch(/^\d+ \d+ \* \* \*$/);
  });

  it('never applies or deploys', () => {
    expect(text).not.toMatch(/terraform[^\n]*\bapply\b|scripts\/(deploy|rollback|cleanup-amis)\.ts/);
    const check = drift.jobs.plan!.steps!.find((s) => /node scripts\/drift\.ts production/.test(s.run ?? ''));
    expect(check?.name).toMatch(/terraform plan -detailed-exitcode -lock=false/);
    expect(check?.run).toMatch(/--mode refresh-only/);
  });

  it('uses the read-only role and cannot reach the production environment', () => {
    const plan = drift.jobs.plan!;
    expect(environmentName(plan)).toBeUndefined();
    const credentials = plan.steps!.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(credentials?.with?.['role-to-assume']).toBe('${{ secrets.AWS_PLAN_ROLE_ARN }}');
  });

  it('fails on drift and opens or updates an issue from a job that holds no AWS access', () => {
    expect(runs(drift.jobs.plan!, /^\s*2\) echo "drift=true"/m)).toBe(true);
    const report = drift.jobs.report!;
    expect(report.permissions).toEqual({ issues: 'write' });
    expect(report.if).toBe("always() && needs.plan.outputs.drift == 'true'");
    expect(runs(report, /gh issue (comment|create)/)).toBe(true);
  });
});
