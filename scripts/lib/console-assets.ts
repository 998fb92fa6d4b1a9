/**
 * Publishes the built web console (console/dist) to the static bucket that CloudFront serves under /console/*.
 *
 * Order matters: every hashed file under assets/ is uploaded before index.html, so a browser that fetches the new
 * shell never asks for an asset that is not there yet. Hashed files never change under their name, so they are
 * cached for a year; index.html (and other unhashed files) are revalidated on every use. Old hashed files stay in
 * the bucket: a rollback's index.html, or a tab opened before the deploy, still references them.
 *
 * An object whose ETag equals the local file's MD5 is skipped (the static bucket uses SSE-S3 and single-part
 * uploads, where the ETag is the MD5 of the content), so a rerun uploads nothing.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { contentType } from 'mime-types';
import type { AwsGateway } from './aws.ts';

export const CONSOLE_PREFIX = 'console/';
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';
const HASHED_DIR = 'assets/';

export interface ConsoleFile {
  /** Path inside the build, with forward slashes: `index.html`, `assets/calls-CZlyVI-P.js`. */
  path: string;
  body: Buffer;
  md5: string;
  contentType: string;
  cacheControl: string;
}

export interface ConsoleUploadPlan {
  /** In upload order: hashed assets first, then the shell. */
  upload: ConsoleFile[];
  unchanged: ConsoleFile[];
}

/** Reads every file of a console build; fails if it has no index.html (not a build, or an unbuilt checkout). */
export async function readConsoleBuild(dir: string): Promise<ConsoleFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const full = join(e.parentPath, e.name);
        const path = relative(dir, full).split(sep).join('/');
        const body = await readFile(full);
        return {
          path,
          body,
          md5: createHash('md5').update(body).digest('hex'),
          contentType: contentType(e.name) || 'application/octet-stream',
          cacheControl: path.startsWith(HASHED_DIR) ? IMMUTABLE : REVALIDATE,
        };
      }),
  );
  if (!files.some((f) => f.path === 'index.html')) {
    throw new Error(`${dir} has no index.html: build the console first (npm run build:console)`);
  }
  return files;
}

/** What to upload given the ETags already in the bucket (keys relative to the bucket root). */
export function planConsoleUpload(files: ConsoleFile[], remoteEtags: Map<string, string>): ConsoleUploadPlan {
  const upload: ConsoleFile[] = [];
  const unchanged: ConsoleFile[] = [];
  for (const file of files) {
    const etag = remoteEtags.get(CONSOLE_PREFIX + file.path);
    (etag === file.md5 ? unchanged : upload).push(file);
  }
  const rank = (f: ConsoleFile) => (f.cacheControl === IMMUTABLE ? 0 : f.path === 'index.html' ? 2 : 1);
  upload.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  return { upload, unchanged };
}

export async function planConsolePublish(
  aws: AwsGateway,
  bucket: string,
  files: ConsoleFile[],
): Promise<ConsoleUploadPlan> {
  return planConsoleUpload(files, await aws.objectEtags(bucket, CONSOLE_PREFIX));
}

/** Uploads in plan order, one at a time: index.html must not overtake an asset it references. */
export async function uploadConsole(aws: AwsGateway, bucket: string, plan: ConsoleUploadPlan): Promise<void> {
  for (const file of plan.upload) {
    await aws.putObject({
      bucket,
      key: CONSOLE_PREFIX + file.path,
      body: file.body,
      md5: file.md5,
      contentType: file.contentType,
      cacheControl: file.cacheControl,
    });
  }
}

export function describeConsolePlan(plan: ConsoleUploadPlan): string {
  if (plan.upload.length === 0) return `console unchanged (${plan.unchanged.length} files already uploaded)`;
  const names = plan.upload.map((f) => f.path).join(', ');
  return `${plan.upload.length} file(s) to upload in this order: ${names}; ${plan.unchanged.length} unchanged`;
}
