import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from './app-error.js';

interface ErrorBody {
  status: number;
  code: string;
  message: string;
  /** JSON-RPC error code, for answers on /mcp. */
  rpcCode: number;
  details?: Record<string, unknown>;
}

/**
 * The HTTP edge of the error model: AppError → status + {error:{code,message}}; body-parser failures → 400/413;
 * anything unknown → 500 without internals. On /mcp the same failures are answered as JSON-RPC errors.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    if (res.headersSent) return;
    if (exception instanceof AppError && exception.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    const body = this.describe(exception);
    if (req.path === '/mcp') {
      res
        .status(body.status)
        .json({ jsonrpc: '2.0', error: { code: body.rpcCode, message: body.message }, id: null });
      return;
    }
    res.status(body.status).json({
      error: { code: body.code, message: body.message, ...(body.details ? { details: body.details } : {}) },
    });
  }

  private describe(exception: unknown): ErrorBody {
    if (exception instanceof AppError) {
      return {
        status: exception.httpStatus,
        code: exception.code,
        message: exception.message,
        rpcCode: -32000,
        details: Object.keys(exception.details).length ? exception.details : undefined,
      };
    }
    // Nest wraps body-parser errors in an HttpException whose cause is the parser's error.
    const parser = (exception instanceof HttpException ? exception.cause : exception) as
      { type?: string } | undefined;
    if (parser?.type === 'entity.too.large') {
      return {
        status: 413,
        code: 'HTTP.PAYLOAD_TOO_LARGE',
        message: 'request body too large',
        rpcCode: -32600,
      };
    }
    if (parser?.type === 'entity.parse.failed') {
      return {
        status: 400,
        code: 'HTTP.INVALID_JSON',
        message: 'request body is not valid JSON',
        rpcCode: -32700,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : ((response as { message?: unknown }).message ?? exception.message);
      const text = Array.isArray(message) ? message.join('; ') : String(message);
      return { status, code: `HTTP.${status}`, message: text, rpcCode: -32600 };
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return { status: 500, code: 'INTERNAL', message: 'internal error', rpcCode: -32603 };
  }
}
