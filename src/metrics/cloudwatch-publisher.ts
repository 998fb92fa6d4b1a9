import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MetricsService } from './metrics.service.js';

/**
 * The Prometheus gauges the CloudWatch alarms watch (terraform/modules/observability), by their CloudWatch names.
 * Both are fleet-wide readings from Postgres, so every instance publishing them is harmless (alarms use Maximum).
 */
export const PUBLISHED_GAUGES: Record<string, string> = {
  bmcp_poller_last_success_age_seconds: 'PollerLastSuccessAgeSeconds',
  bmcp_sheets_oldest_pending_age_seconds: 'SheetsBacklogAgeSeconds',
};

/** Publishes the gauges above to CloudWatch every METRICS_PUBLISH_INTERVAL_SECONDS when METRICS_NAMESPACE is set. */
@Injectable()
export class CloudWatchPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CloudWatchPublisher.name);
  private timer?: NodeJS.Timeout;
  private client?: CloudWatchClient;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.METRICS_NAMESPACE) return;
    this.timer = setInterval(
      () => void this.publishOnce(),
      this.config.METRICS_PUBLISH_INTERVAL_SECONDS * 1000,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.client?.destroy();
  }

  /** Reads the gauges and sends one PutMetricData; failures are logged, never thrown (the next tick retries). */
  async publishOnce(client?: CloudWatchClient): Promise<number> {
    const namespace = this.config.METRICS_NAMESPACE;
    if (!namespace) return 0;
    try {
      const { CloudWatchClient: Client, PutMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
      const cw = client ?? (this.client ??= new Client({}));
      const data = [];
      for (const [gauge, name] of Object.entries(PUBLISHED_GAUGES)) {
        const metric = this.metrics.registry.getSingleMetric(gauge);
        if (!metric) continue; // that module is not loaded in this process
        const value = (await metric.get()).values[0]?.value;
        if (value === undefined || !Number.isFinite(value)) continue;
        data.push({
          MetricName: name,
          Value: value,
          Unit: 'Seconds' as const,
          Timestamp: new Date(),
          Dimensions: [{ Name: 'Environment', Value: this.config.METRICS_ENVIRONMENT }],
        });
      }
      if (data.length > 0)
        await cw.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));
      return data.length;
    } catch (err) {
      this.logger.warn(`publishing metrics to CloudWatch failed: ${(err as Error).message}`);
      return 0;
    }
  }
}
