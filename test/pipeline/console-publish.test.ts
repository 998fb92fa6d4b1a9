/**
 * Publishing the web console to the static bucket: what is uploaded, in which order, with which headers, and
 * where the step sits in a deploy. S3 is an in-memory bucket behind aws-sdk-client-mock, so the real gateway
 * code (ListObjectsV2 paging, PutObject with Content-MD5) runs.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsGateway } from '../../scripts/lib/aws.ts';
import {
  IMMUTABLE,
  REVALIDATE,
  planConsolePublish,
  readConsoleBuild,
  uploadConsole,
  type ConsoleFile,
} from '../../scripts/lib/console-assets.ts';
import { deploy } from '../../scripts/lib/deploy-flow.ts';
import { RELEASE_NEW, createFixture, type Fixture } from './support/pipeline-fixture.ts';

const BUCKET = 'bland-mcp-production-static';
const md5 = (body: string | Buffer) => createHash('md5').update(body).digest('hex');

/** A bucket of `key → { body, headers }`, listed one key per page to exercise pagination. */
function fakeBucket() {
  const s3 = mockClient(S3Client);
  const objects = new Map<string, PutObjectCommandInput>();
  const puts: string[] = [];
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string; ContinuationToken?: string }) => {
    const keys = [...objects.keys()].filter((k) => k.startsWith(input.Prefix)).sort();
    const at = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
    const key = keys[at];
    return {
      Contents: key ? [{ Key: key, ETag: `"${md5(objects.get(key)?.Body as Buffer)}"` }] : [],
      IsTruncated: at + 1 < keys.length,
      NextContinuationToken: at + 1 < keys.length ? String(at + 1) : undefined,
    };
  });
  s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    const body = input.Body as Buffer;
    // S3 refuses a body whose MD5 differs from Content-MD5.
    if (Buffer.from(md5(body), 'hex').toString('base64') !== input.ContentMD5) throw new Error('BadDigest');
    objects.set(input.Key ?? '', input);
    puts.push(input.Key ?? '');
    return { ETag: `"${md5(body)}"` };
  });
  return { s3, objects, puts };
}

async function writeBuild(dir: string, files: Record<string, string>) {
  for (const [path, body] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), body);
  }
}

const BUILD_V1 = {
  'index.html': '<script type="module" src="/console/assets/index-AAAA1111.js"></script>',
  'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'assets/index-AAAA1111.js': 'console.log(1)',
  'assets/calls-BBBB2222.js': 'export {}',
  'assets/index-CCCC3333.css': 'body{}',
};

describe('console publishing', () => {
  let dir: string;
  let bucket: ReturnType<typeof fakeBucket>;
  const aws = createAwsGateway('us-east-1');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'console-build-'));
    bucket = fakeBucket();
  });
  afterEach(async () => {
    bucket.s3.restore();
    await rm(dir, { recursive: true, force: true });
  });

  async function publish(build: ConsoleFile[]) {
    const plan = await planConsolePublish(aws, BUCKET, build);
    await uploadConsole(aws, BUCKET, plan);
    return plan;
  }

  it('reads a build with content types and cache headers by kind of file', async () => {
    await writeBuild(dir, BUILD_V1);
    const files = Object.fromEntries((await readConsoleBuild(dir)).map((f) => [f.path, f]));

    expect(files['index.html']).toMatchObject({
      contentType: 'text/html; charset=utf-8',
      cacheControl: REVALIDATE,
    });
    expect(files['favicon.svg']).toMatchObject({ contentType: 'image/svg+xml', cacheControl: REVALIDATE });
    expect(files['assets/index-AAAA1111.js']).toMatchObject({
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: IMMUTABLE,
    });
    expect(files['assets/index-CCCC3333.css']).toMatchObject({
      contentType: 'text/css; charset=utf-8',
      cacheControl: 'public, max-age=31536000, immutable',
    });
  });

  it('refuses a folder without index.html', async () => {
    await writeBuild(dir, { 'assets/x-1.js': '' });
    await expect(readConsoleBuild(dir)).rejects.toThrow(/no index.html: build the console first/);
  });

  it('uploads every hashed asset before the unhashed files, index.html last, with their headers', async () => {
    await writeBuild(dir, BUILD_V1);
    await publish(await readConsoleBuild(dir));

    expect(bucket.puts).toEqual([
      'console/assets/calls-BBBB2222.js',
      'console/assets/index-AAAA1111.js',
      'console/assets/index-CCCC3333.css',
      'console/favicon.svg',
      'console/index.html',
    ]);
    expect(bucket.objects.get('console/index.html')).toMatchObject({
      Bucket: BUCKET,
      CacheControl: 'no-cache',
      ContentType: 'text/html; charset=utf-8',
    });
    expect(bucket.objects.get('console/assets/index-AAAA1111.js')?.CacheControl).toBe(IMMUTABLE);
  });

  it('changes nothing when rerun, and keeps old hashed assets when a new build replaces them', async () => {
    await writeBuild(dir, BUILD_V1);
    await publish(await readConsoleBuild(dir));
    bucket.puts.length = 0;

    const rerun = await publish(await readConsoleBuild(dir));
    expect(rerun.upload).toEqual([]);
    expect(bucket.puts).toEqual([]);

    await rm(join(dir, 'assets/index-AAAA1111.js'));
    await writeBuild(dir, {
      'index.html': '<script type="module" src="/console/assets/index-DDDD4444.js"></script>',
      'assets/index-DDDD4444.js': 'console.log(2)',
    });
    await publish(await readConsoleBuild(dir));
    expect(bucket.puts).toEqual(['console/assets/index-DDDD4444.js', 'console/index.html']);
    expect(bucket.objects.has('console/assets/index-AAAA1111.js')).toBe(true);
    expect(bucket.s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  describe('in a deploy', () => {
    let f: Fixture;
    beforeEach(() => {
      f = createFixture();
    });
    afterEach(() => f.world.restore());

    it('publishes after the smoke test and before traffic switches', async () => {
      await writeBuild(dir, BUILD_V1);
      const req = { ...f.deployRequest(RELEASE_NEW), console: await readConsoleBuild(dir) };
      const result = await deploy(f.deps, req, { dryRun: false, force: false });

      expect(result.outcome).toBe('succeeded');
      const ids = result.steps.map((s) => s.id);
      expect(ids.slice(ids.indexOf('smoke'), ids.indexOf('switch') + 1)).toEqual([
        'smoke',
        'publish-console',
        'switch',
      ]);
      expect(bucket.puts.at(-1)).toBe('console/index.html');
    });

    it('stops before any traffic moves when the upload fails', async () => {
      bucket.s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
      await writeBuild(dir, BUILD_V1);
      const req = { ...f.deployRequest(RELEASE_NEW), console: await readConsoleBuild(dir) };
      const result = await deploy(f.deps, req, { dryRun: false, force: false });

      expect(result.outcome).toBe('failed');
      expect(result.steps.map((s) => `${s.id}:${s.outcome}`)).toContain('publish-console:failed');
      expect(f.world.traffic).toEqual({ active: 'blue', canary: 0 });
    });

    it('prints the upload plan on a dry run and uploads nothing', async () => {
      await writeBuild(dir, BUILD_V1);
      await publish(await readConsoleBuild(dir));
      bucket.puts.length = 0;
      await writeBuild(dir, { 'index.html': '<p>v2</p>' });
      const req = { ...f.deployRequest(RELEASE_NEW), console: await readConsoleBuild(dir) };
      const result = await deploy(f.deps, req, { dryRun: true, force: false });

      expect(result.outcome).toBe('planned');
      expect(bucket.puts).toEqual([]);
      expect(f.lines.join('\n')).toMatch(
        `console → s3://${BUCKET}/console/: 1 file(s) to upload in this order: index.html; 4 unchanged`,
      );
    });
  });
});
