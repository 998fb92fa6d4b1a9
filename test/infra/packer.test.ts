// Checklist §6 item 16 (infra.md): the Packer template's hardening and its contract with the
// pipeline, read from the HCL; `packer fmt -check` when a packer binary is installed; the
// provisioning scripts and the systemd unit the image ships.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { block, blocks, type HclBody, loadPacker, repoRoot } from './support/hcl.js';

const execFileAsync = promisify(execFile);
const files = await loadPacker();
const template = files.find((file) => file.file === 'packer/bland-mcp.pkr.hcl')?.json ?? {};
const variablesFile = files.find((file) => file.file === 'packer/variables.pkr.hcl')?.json ?? {};
const source =
  ((template.source as Record<string, Record<string, HclBody[]>>)['amazon-ebs']?.app ?? [])[0] ?? {};
const build = block(template, 'build');
const scripts = readdirSync(path.join(repoRoot, 'packer/provisioners')).map(
  (name) => `packer/provisioners/${name}`,
);
const bootScripts = readdirSync(path.join(repoRoot, 'packer/rootfs/usr/local/libexec/bland-mcp')).map(
  (name) => `packer/rootfs/usr/local/libexec/bland-mcp/${name}`,
);

/** Labelled blocks (provisioner "file" {}) decode to { provisioner: { file: [bodies] } }. */
function labelled(body: HclBody, kind: string, label: string): HclBody[] {
  return ((body[kind] ?? {}) as Record<string, HclBody[]>)[label] ?? [];
}

async function commandExists(command: string): Promise<boolean> {
  try {
    await execFileAsync('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
}

describe('packer template', () => {
  test('the amazon plugin is pinned to an exact version from its official source', () => {
    const plugins = block(block(template, 'packer'), 'required_plugins') as Record<string, HclBody>;
    expect({
      source: plugins.amazon?.source,
      pinned: /^= ?\d+\.\d+\.\d+$/.test(String(plugins.amazon?.version)),
    }).toEqual({
      source: 'github.com/hashicorp/amazon',
      pinned: true,
    });
  });

  test('the source AMI is the latest Amazon Linux 2023 arm64 owned by Amazon', () => {
    const filter = block(source, 'source_ami_filter');
    expect({
      owners: filter.owners,
      mostRecent: filter.most_recent,
      name: String((filter.filters as HclBody).name).startsWith('al2023-ami-'),
      arch: (filter.filters as HclBody).architecture,
    }).toEqual({ owners: ['amazon'], mostRecent: true, name: true, arch: 'arm64' });
  });

  test('IMDSv2 on the build instance and on the AMI; encrypted boot volume; no stored SSH credentials', () => {
    const metadata = block(source, 'metadata_options');
    expect({
      tokens: metadata.http_tokens,
      hops: metadata.http_put_response_hop_limit,
      imds: source.imds_support,
      encrypted: source.encrypt_boot,
      volumes: blocks(source, 'launch_block_device_mappings').every((mapping) => mapping.encrypted === true),
      storedCredentials: ['ssh_keypair_name', 'ssh_private_key_file', 'ssh_password'].filter(
        (key) => key in source,
      ),
    }).toEqual({
      tokens: 'required',
      hops: 1,
      imds: 'v2.0',
      encrypted: true,
      volumes: true,
      storedCredentials: [],
    });
  });

  test('AMI name and tags carry the version and commit', () => {
    const locals = block(template, 'locals');
    expect(String(source.ami_name)).toBe('${local.ami_name}');
    expect(String(locals.ami_name)).toMatch(/var\.app_version.*local\.short_sha/);
    expect(locals.short_sha).toBe('${substr(var.git_sha, 0, 12)}');
    expect(locals.tags).toMatchObject({ AppVersion: '${var.app_version}', GitSha: '${var.git_sha}' });
  });

  test('the pipeline contract: variables, the uploaded archive, packer/manifest.json', () => {
    const declared = Object.keys((variablesFile.variable ?? {}) as HclBody);
    expect(declared).toEqual(expect.arrayContaining(['app_version', 'git_sha', 'region', 'app_archive']));
    const uploads = labelled(build, 'provisioner', 'file').map((file) => file.source);
    expect(uploads).toContain('${var.app_archive}');
    const [manifest] = labelled(build, 'post-processor', 'manifest');
    expect(manifest?.output).toBe('${path.root}/manifest.json');
  });

  test('every provisioning script the build runs exists, in order', () => {
    const [shell] = labelled(build, 'provisioner', 'shell');
    const listed = (shell?.scripts as string[]).map((script) => script.replace('${path.root}', 'packer'));
    expect(listed).toEqual([...scripts].sort());
    expect(listed.every((script) => existsSync(path.join(repoRoot, script)))).toBe(true);
  });
});

describe('provisioning and boot scripts', () => {
  test.each([...scripts, ...bootScripts])('%s is strict bash and parses', async (script) => {
    const text = readFileSync(path.join(repoRoot, script), 'utf8');
    expect(text.startsWith('#!/bin/bash\n')).toBe(true);
    expect(text).toContain('set -euo pipefail');
    await expect(execFileAsync('bash', ['-n', path.join(repoRoot, script)])).resolves.toBeDefined();
  });

  test('shellcheck finds nothing (when installed)', async () => {
    if (!(await commandExists('shellcheck'))) {
      console.warn('shellcheck is not installed: skipping the lint of packer/ scripts');
      return;
    }
    const targets = [...scripts, ...bootScripts, 'terraform/modules/network/nat-user-data.sh'];
    await expect(
      execFileAsync('shellcheck', ['-s', 'bash', ...targets], { cwd: repoRoot }),
    ).resolves.toBeDefined();
  });

  test('packer fmt -check (when a packer binary is installed)', async () => {
    if (!(await commandExists('packer'))) {
      console.warn('packer is not installed: skipping `packer fmt -check` (the HCL checks above still ran)');
      return;
    }
    const result = await execFileAsync('packer', ['fmt', '-check', '-diff', 'packer'], { cwd: repoRoot });
    expect(result.stdout).toBe('');
  });
});

describe('systemd unit', () => {
  const unit = readFileSync(
    path.join(repoRoot, 'packer/rootfs/etc/systemd/system/bland-mcp.service'),
    'utf8',
  );
  const settings = new Map(
    unit
      .split('\n')
      .filter((line) => /^[A-Za-z]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

  test('runs node on dist/main.js as the dedicated user, from the environment file written at boot', () => {
    expect(
      Object.fromEntries(
        ['ExecStart', 'User', 'WorkingDirectory', 'EnvironmentFile', 'Restart', 'Requires'].map((k) => [
          k,
          settings.get(k),
        ]),
      ),
    ).toEqual({
      ExecStart: '/usr/bin/node-22 /opt/bland-mcp/dist/main.js',
      User: 'bland-mcp',
      WorkingDirectory: '/opt/bland-mcp',
      EnvironmentFile: '/run/bland-mcp/environment',
      Restart: 'always',
      Requires: 'bland-mcp-environment.service',
    });
  });

  test('is sandboxed', () => {
    for (const [key, value] of Object.entries({
      NoNewPrivileges: 'yes',
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      PrivateDevices: 'yes',
      CapabilityBoundingSet: '',
      RestrictSUIDSGID: 'yes',
      SystemCallArchitectures: 'native',
    })) {
      expect([key, settings.get(key)]).toEqual([key, value]);
    }
  });
});
