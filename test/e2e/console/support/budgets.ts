import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
export const CONSOLE_DIST = path.join(ROOT, 'console', 'dist');

/** Gzip size (level 9, what CloudFront's compression approximates) of every built asset, by file name. */
export function gzipSizes(): Map<string, { raw: number; gzip: number }> {
  const sizes = new Map<string, { raw: number; gzip: number }>();
  const assets = path.join(CONSOLE_DIST, 'assets');
  for (const name of readdirSync(assets)) {
    const data = readFileSync(path.join(assets, name));
    sizes.set(name, { raw: data.length, gzip: gzipSync(data, { level: 9 }).length });
  }
  return sizes;
}

export function writeMetrics(name: string, metrics: unknown): void {
  const dir = path.join(ROOT, 'test-results', 'console');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), `${JSON.stringify(metrics, null, 2)}\n`);
}
