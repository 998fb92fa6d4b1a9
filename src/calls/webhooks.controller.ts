import { Controller, HttpCode, Logger, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { AppError, isUniqueViolation } from '../common/errors/app-error.js';
import { BlandPayloadError } from './bland/bland.errors.js';
import { mapBlandCall } from './bland/bland.mapper.js';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from './bland/webhook-signature.js';
import { BlandConnection } from './bland-connection.js';
import { CallsService } from './calls.service.js';

/**
 * POST /webhooks/bland. The signature is checked over the raw bytes before anything is parsed or touched; a replay
 * or an out-of-order delivery is harmless because updates are applied monotonically and settle exactly once.
 */
@Controller('webhooks')
export class WebhooksController {
  private readonly logger = new Logger(WebhooksController.name);

  constructor(
    private readonly calls: CallsService,
    private readonly connection: BlandConnection,
  ) {}

  @Post('bland')
  @HttpCode(200)
  async receive(@Req() req: RawBodyRequest<Request>): Promise<{ ok: true; applied: boolean }> {
    const secret = this.connection.webhookSecret;
    const signature = req.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()];
    if (!secret || !req.rawBody || !verifyWebhookSignature(req.rawBody, signature, secret)) {
      throw new AppError(
        'unauthenticated',
        'WEBHOOK.BAD_SIGNATURE',
        `missing or invalid ${WEBHOOK_SIGNATURE_HEADER}`,
      );
    }
    let update;
    try {
      update = mapBlandCall(JSON.parse(req.rawBody.toString('utf8')));
    } catch (err) {
      if (err instanceof SyntaxError || err instanceof BlandPayloadError) {
        throw new AppError(
          'validation',
          'WEBHOOK.INVALID_BODY',
          `webhook body is not a Bland call: ${err.message}`,
        );
      }
      throw err;
    }
    const applied = await this.calls.applyUpdate(update, 'webhook').catch((err: unknown) => {
      // The body names our call and a Bland call id that already belongs to another of our calls.
      if (!isUniqueViolation(err, 'calls_bland_call_id_key')) throw err;
      throw new AppError(
        'conflict',
        'WEBHOOK.CALL_ID_CONFLICT',
        `call_id ${update.blandCallId} already belongs to another call`,
      );
    });
    if (!applied) this.logger.warn(`webhook for unknown call ${update.blandCallId}`);
    // 200 even for an unknown call: a retry would not make it known, and Bland would retry forever.
    return { ok: true, applied: Boolean(applied) };
  }
}
