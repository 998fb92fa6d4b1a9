import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ReadinessRegistry } from './readiness.registry.js';
import { VersionService, type VersionInfo } from './version.service.js';

@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly version: VersionService,
  ) {}

  /** Liveness: the process answers. Never touches dependencies (a DB outage must not restart instances). */
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: every critical dependency works. 503 names the failing check. */
  @Get('health/ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const { ready, checks } = await this.readiness.evaluate();
    res.status(ready ? 200 : 503);
    const failing = Object.entries(checks)
      .filter(([, c]) => c.state === 'failing')
      .map(([name]) => name);
    return { status: ready ? 'ready' : 'not_ready', failing, checks };
  }

  @Get('version')
  getVersion(): VersionInfo {
    return this.version.info;
  }
}
