import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from './app-error.js';

/** The HTTP edge of the error model: AppError → status + {error:{code,message}}; anything unknown → 500. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof AppError) {
      if (exception.retryAfterSeconds !== undefined)
        res.setHeader('Retry-After', String(exception.retryAfterSeconds));
      res.status(exception.httpStatus).json({ error: exception.toJSON() });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message =
        typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      res.status(status).json({
        error: {
          code: `HTTP.${status}`,
          message: Array.isArray(message) ? message.join('; ') : String(message),
        },
      });
      return;
    }
    const status = (exception as { status?: number; type?: string }).status;
    if (status === 413 || (exception as { type?: string }).type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'HTTP.PAYLOAD_TOO_LARGE', message: 'request body too large' } });
      return;
    }
    if (status === 400 && (exception as { type?: string }).type === 'entity.parse.failed') {
      res
        .status(400)
        .json({ error: { code: 'HTTP.INVALID_JSON', message: 'request body is not valid JSON' } });
      return;
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
  }
}
