import type { LoggerService } from '@nestjs/common';
import { scrub, secretValuesFrom } from '../logging/secret-scrubber.js';

type Sink = Pick<Console, 'debug' | 'info' | 'warn' | 'error'>;

/**
 * Nest's LoggerService over console.*. With the function's JSON log format, Lambda turns each console call into a
 * structured record with its level and request id (and filters by the configured level). Configured secret values
 * are scrubbed from every line, as the app's pino stream does.
 */
export class LambdaLogger implements LoggerService {
  private secrets: string[] = [];

  constructor(private readonly sink: Sink = console) {}

  /** Call once the config is known: its secret values never reach a log line from then on. */
  protect(values: (string | undefined)[]): void {
    this.secrets = secretValuesFrom(values);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.sink.info(this.line(message, params));
  }

  error(message: unknown, ...params: unknown[]): void {
    this.sink.error(this.line(message, params));
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.sink.warn(this.line(message, params));
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.sink.debug(this.line(message, params));
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.sink.debug(this.line(message, params));
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.sink.error(this.line(message, params));
  }

  /** Nest passes the logger's context last (after an optional stack for errors). */
  private line(message: unknown, params: unknown[]): string {
    const context =
      params.length > 0 && typeof params.at(-1) === 'string' ? (params.at(-1) as string) : undefined;
    const rest = (context === undefined ? params : params.slice(0, -1)).filter((p) => p !== undefined);
    const text = [message, ...rest]
      .map((part) =>
        part instanceof Error
          ? (part.stack ?? part.message)
          : typeof part === 'string'
            ? part
            : JSON.stringify(part),
      )
      .join('\n');
    return scrub(context ? `[${context}] ${text}` : text, this.secrets);
  }
}
