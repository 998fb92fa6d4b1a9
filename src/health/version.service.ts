import { Inject, Injectable } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../common/project-root.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

export interface VersionInfo {
  name: string;
  version: string;
  gitSha: string;
  builtAt: string | null;
  nodeVersion: string;
}

/** Name and version from package.json; git sha and build time from env, else from the build-time file. */
@Injectable()
export class VersionService {
  readonly info: VersionInfo;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const pkg = JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    const buildFile = path.join(projectRoot(), 'dist', 'build-info.json');
    const build = existsSync(buildFile)
      ? (JSON.parse(readFileSync(buildFile, 'utf8')) as { gitSha?: string; builtAt?: string })
      : {};
    this.info = {
      name: pkg.name,
      version: pkg.version,
      gitSha: config.GIT_SHA ?? build.gitSha ?? 'unknown',
      builtAt: config.BUILT_AT ?? build.builtAt ?? null,
      nodeVersion: process.version,
    };
  }
}
