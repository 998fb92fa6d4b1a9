/** The bake flow (reuse or build) and the Packer adapter against a stand-in packer executable. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PackerCli,
  amiFromManifest,
  bake,
  type BakeVars,
  type PackerRunner,
} from '../../scripts/lib/packer.ts';
import { AMI_NEW, RELEASE_NEW, createFixture, type Fixture } from './support/pipeline-fixture.ts';

const vars = (gitSha: string): BakeVars => ({
  app_version: '1.4.0',
  git_sha: gitSha,
  region: 'us-east-1',
  app_archive: '/workspace/dist/release/bland-mcp-app.tar.gz',
});

class RecordingPacker implements PackerRunner {
  readonly calls: string[] = [];
  async init() {
    this.calls.push('init');
  }
  async validate() {
    this.calls.push('validate');
  }
  async build() {
    this.calls.push('build');
    return 'ami-0abcdef0123456789';
  }
}

describe('bake', () => {
  let f: Fixture;
  let packer: RecordingPacker;
  beforeEach(() => {
    f = createFixture();
    packer = new RecordingPacker();
  });
  afterEach(() => f.world.restore());

  it('reuses the AMI already baked from the same commit', async () => {
    const result = await bake(
      { packer, aws: f.deps.aws, reporter: f.deps.reporter },
      { vars: vars(RELEASE_NEW.git_sha), force: false, dryRun: false },
    );
    expect(result).toEqual({ amiId: AMI_NEW, reused: true });
    expect(packer.calls).toEqual([]);
  });

  it('builds when the commit has no AMI, or when forced', async () => {
    const fresh = await bake(
      { packer, aws: f.deps.aws, reporter: f.deps.reporter },
      { vars: vars('9'.repeat(40)), force: false, dryRun: false },
    );
    expect(fresh).toEqual({ amiId: 'ami-0abcdef0123456789', reused: false });
    const forced = await bake(
      { packer, aws: f.deps.aws, reporter: f.deps.reporter },
      { vars: vars(RELEASE_NEW.git_sha), force: true, dryRun: false },
    );
    expect(forced.reused).toBe(false);
    expect(packer.calls).toEqual(['init', 'validate', 'build', 'init', 'validate', 'build']);
  });

  it('validates but does not build in a dry run', async () => {
    const result = await bake(
      { packer, aws: f.deps.aws, reporter: f.deps.reporter },
      { vars: vars('9'.repeat(40)), force: false, dryRun: true },
    );
    expect(result.amiId).toBeNull();
    expect(packer.calls).toEqual(['init', 'validate']);
  });
});

describe('amiFromManifest', () => {
  const manifest = {
    last_run_uuid: 'run-2',
    builds: [
      { artifact_id: 'us-east-1:ami-0000000000000aaaa', packer_run_uuid: 'run-1' },
      {
        artifact_id: 'eu-west-1:ami-0000000000000bbbb,us-east-1:ami-0000000000000cccc',
        packer_run_uuid: 'run-2',
      },
    ],
  };

  it('takes the AMI of the last run in the requested region', () => {
    expect(amiFromManifest(manifest, 'us-east-1')).toBe('ami-0000000000000cccc');
    expect(amiFromManifest(manifest, 'eu-west-1')).toBe('ami-0000000000000bbbb');
  });

  it('fails loudly rather than return an AMI of an earlier run or another region', () => {
    expect(() => amiFromManifest(manifest, 'ap-south-1')).toThrow(/no AMI for ap-south-1/);
    expect(() => amiFromManifest({ ...manifest, last_run_uuid: 'run-3' }, 'us-east-1')).toThrow(
      /no build for its last run/,
    );
  });
});

describe('PackerCli', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'packer-cli-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('passes the variables as -var flags and reads the AMI from the manifest the build wrote', async () => {
    const manifest = join(dir, 'manifest.json');
    const argsLog = join(dir, 'args.log');
    const fakePacker = join(dir, 'packer');
    // Stands in for packer: logs its arguments; a build writes a manifest like the post-processor does.
    await writeFile(
      fakePacker,
      `#!/bin/sh\necho "$@" >> ${argsLog}\nif [ "$1" = build ]; then echo '{"builds":[{"artifact_id":"us-east-1:ami-0123456789abcdef0","packer_run_uuid":"u1"}],"last_run_uuid":"u1"}' > ${manifest}; echo "==> Builds finished"; fi\n`,
    );
    await chmod(fakePacker, 0o755);
    await writeFile(manifest, '{"builds":[],"last_run_uuid":"stale"}');
    const lines: string[] = [];
    const cli = new PackerCli({
      template: 'packer',
      manifest,
      binary: fakePacker,
      log: (l) => lines.push(l),
    });

    await cli.init();
    await cli.validate(vars('1'.repeat(40)));
    const ami = await cli.build(vars('1'.repeat(40)));

    expect(ami).toBe('ami-0123456789abcdef0');
    expect(lines).toContain('==> Builds finished');
    const calls = (await readFile(argsLog, 'utf8')).trim().split('\n');
    expect(calls[0]).toBe('init packer');
    expect(calls[2]).toBe(
      `build -color=false -timestamp-ui -var app_version=1.4.0 -var git_sha=${'1'.repeat(40)} -var region=us-east-1 ` +
        '-var app_archive=/workspace/dist/release/bland-mcp-app.tar.gz packer',
    );
  });
});
