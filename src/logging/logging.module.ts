import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { requestId } from './logger.js';

@Module({})
export class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            genReqId: requestId,
            customProps: () => ({}),
            // The ALB polls health every few seconds; logging it would drown everything else.
            autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
            serializers: {
              req: (req: { id: string; method: string; url: string; headers: Record<string, unknown> }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
                headers: req.headers,
              }),
            },
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
