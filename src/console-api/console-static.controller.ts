import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../common/project-root.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { consoleHeaders } from './console-headers.js';

const BASE = '/console/';
// Vite puts every content-hashed file under assets/: they never change, so browsers keep them for a year.
const HASHED = 'public, max-age=31536000, immutable';
const SHELL = 'no-cache'; // index.html: revalidated on every load (ETag), so a deploy shows at once
const OTHER = 'public, max-age=3600';

/**
 * Serves the console's static build (console/dist) at /console/. The same routing rule as the CloudFront function in
 * terraform/modules/edge/console-router.js: a last path segment with a dot is a file (404 when missing), anything
 * else is a client-side route and gets index.html.
 */
@Controller()
export class ConsoleStaticController {
  private readonly root = path.join(projectRoot(), 'console', 'dist');
  private readonly headers: Record<string, string>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.headers = consoleHeaders(config);
  }

  @Get()
  home(@Res() res: Response): void {
    res.redirect(302, BASE);
  }

  @Get(['console', 'console/*path'])
  serve(@Req() req: Request, @Res() res: Response): void {
    if (req.path === '/console') {
      const query = req.originalUrl.indexOf('?');
      res.redirect(301, query < 0 ? BASE : BASE + req.originalUrl.slice(query));
      return;
    }
    res.set(this.headers);
    if (!existsSync(path.join(this.root, 'index.html'))) {
      res
        .status(503)
        .type('text/plain')
        .send('The console is not built: run `npm run build:console` (`npm start` builds it too).\n');
      return;
    }
    const relative = req.path.slice(BASE.length);
    const isFile = (relative.split('/').pop() ?? '').includes('.');
    const file = isFile ? relative : 'index.html';
    const cacheControl = !isFile ? SHELL : relative.startsWith('assets/') ? HASHED : OTHER;
    // sendFile (the `send` module) decodes the path, refuses `..` and dotfiles, and answers ETag/Range requests.
    res.sendFile(
      file,
      { root: this.root, cacheControl: false, headers: { 'Cache-Control': cacheControl } },
      (err) => {
        if (!err || res.headersSent) return;
        // 403 is `send` refusing a `..` or a dotfile: to the client it is just a file that is not there.
        const missing = [403, 404].includes((err as { status?: number }).status ?? 500);
        res
          .status(missing ? 404 : 500)
          .set('Cache-Control', 'no-store')
          .type('text/plain')
          .send(missing ? 'Not found\n' : 'The file could not be read\n');
      },
    );
  }
}
