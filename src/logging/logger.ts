import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { scrubbingStream, secretValuesFrom } from './secret-scrubber.js';

export interface LoggerOptions {
  level: string;
  secrets: (string | undefined)[];
  /** Defaults to stdout; tests pass a stream to capture lines. */
  destination?: NodeJS.WritableStream;
  pretty?: boolean;
}

/** Header paths and field names that carry credentials, removed from every log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-webhook-signature"]',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.apiKey',
  '*.api_key',
  '*.password',
  '*.secret',
  '*.token',
  '*.private_key',
];

export function createLogger(options: LoggerOptions): Logger {
  const target = options.destination ?? process.stdout;
  const usePretty = options.pretty ?? (target === process.stdout && process.stdout.isTTY === true);
  const sink = usePretty
    ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', destination: target })
    : target;
  return pino(
    {
      level: options.level,
      base: { service: 'bland-mcp' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    scrubbingStream(sink, secretValuesFrom(options.secrets)),
  );
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honours a sane incoming X-Request-Id (from CloudFront/ALB or the client), else mints one; echoes it back. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}
