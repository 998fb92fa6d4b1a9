import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The directory holding bland-mcp's package.json, found by walking up from this module. Works from src/ (tests),
 * dist/ (built app, AMI) and bundles (test provisioning), unlike a fixed relative path.
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'supabase'))) {
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('bland-mcp project root not found (no package.json beside supabase/)');
    dir = parent;
  }
  return (cached = dir);
}
