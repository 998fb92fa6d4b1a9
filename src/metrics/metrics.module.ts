import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { CloudWatchPublisher } from './cloudwatch-publisher.js';
import { MetricsService } from './metrics.service.js';

@Global()
@Module({
  providers: [MetricsService, CloudWatchPublisher],
  controllers: [MetricsController],
  exports: [MetricsService],
})
export class MetricsModule {}
