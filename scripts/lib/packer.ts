/**
 * The Packer adapter and the bake flow. The template's `manifest` post-processor writes packer/manifest.json;
 * the AMI id comes from there (never from scraping build output).
 */
import { readFile, rm } from 'node:fs/promises';
import type { AwsGateway } from './aws.ts';
import { AMI_TAGS } from './stack.ts';
import { runCommand } from './proc.ts';
import type { Reporter } from './reporter.ts';

export interface BakeVars {
  app_version: string;
  git_sha: string;
  region: string;
  app_archive: string;
}

export interface PackerRunner {
  init(): Promise<void>;
  validate(vars: BakeVars): Promise<void>;
  /** Builds the AMI and returns its id. */
  build(vars: BakeVars): Promise<string>;
}

interface Manifest {
  builds: { artifact_id: string; packer_run_uuid: string }[];
  last_run_uuid: string;
}

/** artifact_id is "region:ami-…", comma-separated when the template copies the AMI to several regions. */
export function amiFromManifest(manifest: Manifest, region: string): string {
  const build = manifest.builds.filter((b) => b.packer_run_uuid === manifest.last_run_uuid).at(-1);
  if (!build) throw new Error('packer manifest has no build for its last run');
  const pairs = build.artifact_id.split(',').map((pair) => pair.split(':'));
  const ami = pairs.find(([r]) => r === region)?.[1];
  if (!ami) throw new Error(`packer manifest has no AMI for ${region} (artifact_id ${build.artifact_id})`);
  return ami;
}

export interface PackerCliOptions {
  /** A template file or a directory of *.pkr.hcl files. */
  template: string;
  manifest: string;
  binary?: string;
  log?: (line: string) => void;
}

export class PackerCli implements PackerRunner {
  private readonly options: PackerCliOptions;

  constructor(options: PackerCliOptions) {
    this.options = options;
  }

  async init(): Promise<void> {
    await this.run(['init', this.options.template]);
  }

  async validate(vars: BakeVars): Promise<void> {
    await this.run(['validate', ...varArgs(vars), this.options.template]);
  }

  async build(vars: BakeVars): Promise<string> {
    // A stale manifest from an earlier build must never be mistaken for this one's.
    await rm(this.options.manifest, { force: true });
    await this.run(['build', '-color=false', '-timestamp-ui', ...varArgs(vars), this.options.template]);
    return amiFromManifest(
      JSON.parse(await readFile(this.options.manifest, 'utf8')) as Manifest,
      vars.region,
    );
  }

  private async run(args: string[]) {
    await runCommand(this.options.binary ?? 'packer', args, {
      env: { ...process.env, PACKER_NO_COLOR: '1' },
      log: this.options.log,
    });
  }
}

function varArgs(vars: BakeVars): string[] {
  return Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
}

export interface BakeRequest {
  vars: BakeVars;
  /** Build even if an AMI of this commit already exists. */
  force: boolean;
  dryRun: boolean;
}

export interface BakeResult {
  amiId: string | null;
  reused: boolean;
}

/**
 * Bakes the AMI for a commit, or reuses the one already baked from it: rerunning a pipeline does not spend ten
 * minutes producing an identical image.
 */
export async function bake(
  deps: { packer: PackerRunner; aws: AwsGateway; reporter: Reporter },
  req: BakeRequest,
): Promise<BakeResult> {
  const { packer, aws, reporter } = deps;
  const { vars } = req;
  reporter.step('lookup', `Look for an AMI already baked from ${vars.git_sha}`);
  const existing = (await aws.ownedImages([{ name: `tag:${AMI_TAGS.gitSha}`, values: [vars.git_sha] }])).sort(
    (a, b) => b.createdAt - a.createdAt,
  )[0];
  if (existing && !req.force) {
    reporter.end('ok', `reusing ${existing.id} (${existing.name})`);
    return { amiId: existing.id, reused: true };
  }
  reporter.end('ok', existing ? `found ${existing.id}, rebuilding (--force)` : 'none: building');
  reporter.step('validate', 'packer init and validate');
  await packer.init();
  await packer.validate(vars);
  if (req.dryRun) {
    reporter.end('ok', 'template valid; dry run stops before the build');
    return { amiId: null, reused: false };
  }
  reporter.step('build', `packer build (app ${vars.app_version}, ${vars.git_sha}) — about 8–12 minutes`);
  const amiId = await packer.build(vars);
  reporter.end('ok', `built ${amiId}`);
  return { amiId, reused: false };
}
