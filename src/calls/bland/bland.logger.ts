/**
 * The slice of a pino-style logger the Bland adapter and simulator use (a pino `Logger` or nestjs-pino
 * `PinoLogger` satisfies it). Fields first, message second, so log lines stay structured.
 */
export interface BlandLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLogger: BlandLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
