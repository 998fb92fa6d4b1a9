/**
 * The application archive Packer installs on the AMI: the compiled app (dist/ plus dist/build-info.json with the
 * commit), production node_modules, package.json and lock, database migrations and the built console.
 * node_modules is installed for the AMI's CPU (arm64: the instances are Graviton), not the build machine's.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runCommand } from './proc.ts';

/** Pipeline outputs that also live under dist/ but are not part of the app. */
const NOT_APP = new Set(['release', 'deploy', 'lambda']);

const OPTIONAL_PATHS = ['supabase/migrations', 'console/dist'];

export interface PackageAppOptions {
  root: string;
  output: string;
  gitSha: string;
  builtAt: string;
  /** Run `npm run build` first. */
  build: boolean;
  /** npm --cpu for platform-specific optional packages; null = the build machine's. */
  cpu: string | null;
  dryRun: boolean;
  log: (line: string) => void;
}

export interface PackageAppResult {
  archive: string;
  entries: string[];
  bytes: number;
  sha256: string;
}

export async function packageApp(o: PackageAppOptions): Promise<PackageAppResult> {
  const entries = [
    'dist',
    'node_modules',
    'package.json',
    'package-lock.json',
    ...OPTIONAL_PATHS.filter((p) => existsSync(join(o.root, p))),
  ];
  if (o.dryRun) {
    o.log(`would ${o.build ? 'run npm run build, then ' : ''}stage ${entries.join(', ')}`);
    o.log(`would run npm ci --omit=dev${o.cpu ? ` --os=linux --cpu=${o.cpu}` : ''} and write ${o.output}`);
    return { archive: o.output, entries, bytes: 0, sha256: '' };
  }
  if (o.build) await runCommand('npm', ['run', 'build'], { cwd: o.root, log: o.log });
  if (!existsSync(join(o.root, 'dist'))) throw new Error('dist/ is missing: run npm run build first');

  const stage = join(dirname(o.output), 'stage');
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  await cp(join(o.root, 'dist'), join(stage, 'dist'), {
    recursive: true,
    filter: (source) => !NOT_APP.has(source.slice(join(o.root, 'dist').length + 1).split('/')[0] ?? ''),
  });
  await writeFile(
    join(stage, 'dist/build-info.json'),
    `${JSON.stringify({ gitSha: o.gitSha, builtAt: o.builtAt })}\n`,
  );
  for (const path of ['package.json', 'package-lock.json', ...OPTIONAL_PATHS]) {
    if (existsSync(join(o.root, path))) await cp(join(o.root, path), join(stage, path), { recursive: true });
  }

  const platform = o.cpu ? ['--os=linux', `--cpu=${o.cpu}`] : [];
  o.log(`installing production dependencies${o.cpu ? ` for linux/${o.cpu}` : ''}`);
  await runCommand('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', ...platform], { cwd: stage });
  await mkdir(join(stage, 'node_modules'), { recursive: true }); // npm creates none when nothing is needed

  await mkdir(dirname(o.output), { recursive: true });
  // Sorted names and a fixed owner keep the archive independent of the build machine's user and file order.
  await runCommand('tar', [
    '--sort=name',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '-czf',
    o.output,
    '-C',
    stage,
    ...entries,
  ]);
  await rm(stage, { recursive: true, force: true });
  return { archive: o.output, entries, bytes: (await stat(o.output)).size, sha256: await sha256(o.output) };
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
