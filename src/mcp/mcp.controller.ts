import { Controller, Delete, Get, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { createMcpHandler, type AuthInfo } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { Request, Response } from 'express';
import type { AuthContext } from '../auth/auth-context.js';
import { AuthService } from '../auth/auth.service.js';
import { resourceMetadataUrl } from '../auth/protected-resource.controller.js';
import { PublicUrlService } from '../calls/public-url.service.js';
import { CallsService } from '../calls/calls.service.js';
import { AppError } from '../common/errors/app-error.js';
import { nestsDeeperThan } from '../common/json-depth.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CreditsService } from '../credits/credits.service.js';
import { OriginPolicy } from '../http/origin-policy.js';
import { createMcpServer } from './mcp-server.factory.js';
import { VoicesService } from './voices.service.js';

type AuthedRequest = Request & { auth?: AuthInfo };

/** Far above any real MCP message (envelope + tool arguments); far below where the SDK's validators overflow. */
const MAX_JSON_DEPTH = 64;

/**
 * POST /mcp: stateless Streamable HTTP for 2026-07-28 and 2025-era clients (the SDK's createMcpHandler builds a
 * fresh server per request; no Mcp-Session-Id is ever issued). Order: Origin check → authentication → SDK.
 */
@Controller('mcp')
export class McpController {
  private readonly logger = new Logger('Mcp');
  private readonly handle: ReturnType<typeof toNodeHandler>;

  constructor(
    private readonly auth: AuthService,
    private readonly origins: OriginPolicy,
    private readonly publicUrl: PublicUrlService,
    calls: CallsService,
    credits: CreditsService,
    voices: VoicesService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const logUnexpected = (err: unknown) => this.logger.error(err instanceof Error ? err.stack : String(err));
    const handler = createMcpHandler(
      ({ authInfo }) =>
        createMcpServer({
          auth: (authInfo?.extra as { auth: AuthContext }).auth,
          calls,
          credits,
          voices,
          config,
          simulated: calls.simulated,
          logUnexpected,
        }),
      {
        legacy: 'stateless',
        responseMode: 'auto',
        maxRequestBodySize: config.MAX_BODY_BYTES,
        onerror: (err) => this.logger.debug(`rejected MCP request: ${err.message}`),
      },
    );
    this.handle = toNodeHandler(handler);
  }

  @Post()
  async post(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    if (!this.origins.allows(req.headers.origin)) {
      res.status(403).json(rpcError(-32000, 'Forbidden: Origin not allowed'));
      return;
    }
    let who: Awaited<ReturnType<AuthService['authenticate']>>;
    try {
      who = await this.auth.authenticate(req.headers.authorization);
    } catch (err) {
      this.refuse(res, err, Boolean(req.headers.authorization));
      return;
    }
    if (nestsDeeperThan(req.body, MAX_JSON_DEPTH)) {
      res
        .status(400)
        .json(rpcError(-32600, `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`));
      return;
    }
    req.auth = {
      token: '[redacted]', // the caller's token goes no further than this line (never to Bland)
      clientId: who.clientId ?? `api-key:${who.apiKeyId}`,
      scopes: [],
      expiresAt: who.expiresAt,
      extra: { auth: who },
    };
    await this.handle(req, res, req.body);
  }

  // 2025-era session operations (GET stream, DELETE session) do not exist on a stateless server.
  @Get()
  getNotAllowed(@Res() res: Response): void {
    methodNotAllowed(res);
  }

  @Delete()
  deleteNotAllowed(@Res() res: Response): void {
    methodNotAllowed(res);
  }

  private refuse(res: Response, err: unknown, tokenPresented: boolean): void {
    if (!(err instanceof AppError)) throw err;
    const metadata = resourceMetadataUrl(this.publicUrl.get());
    if (err.kind === 'forbidden') {
      res.status(403).json(rpcError(-32000, err.message));
      return;
    }
    const error = tokenPresented
      ? `, error="invalid_token", error_description="${err.message.replace(/"/g, "'")}"`
      : '';
    res.setHeader('WWW-Authenticate', `Bearer resource_metadata="${metadata}"${error}`);
    res.status(401).json(rpcError(-32000, `Unauthorized: ${err.message}`));
  }
}

function methodNotAllowed(res: Response): void {
  res.setHeader('Allow', 'POST');
  res.status(405).json(rpcError(-32000, 'Method not allowed: this stateless server answers POST only'));
}

function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}
