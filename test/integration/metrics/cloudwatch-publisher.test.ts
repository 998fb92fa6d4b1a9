import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchPublisher } from '../../../src/metrics/cloudwatch-publisher.js';
import { startTestApp, type TestApp } from '../../support/app.js';

describe('CloudWatch publishing of the gauges the alarms watch', () => {
  const cloudwatch = mockClient(CloudWatchClient);
  const client = () =>
    new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ METRICS_NAMESPACE: 'BlandMcp/App', METRICS_ENVIRONMENT: 'staging' });
  });
  afterAll(() => app.stop());
  beforeEach(() => cloudwatch.reset());

  it('sends PollerLastSuccessAgeSeconds and SheetsBacklogAgeSeconds with the Environment dimension', async () => {
    cloudwatch.on(PutMetricDataCommand).resolves({});
    expect(await app.app.get(CloudWatchPublisher).publishOnce(client())).toBe(2);
    const calls = cloudwatch.commandCalls(PutMetricDataCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input.Namespace).toBe('BlandMcp/App');
    expect(input.MetricData!.map((m) => m.MetricName).sort()).toEqual([
      'PollerLastSuccessAgeSeconds',
      'SheetsBacklogAgeSeconds',
    ]);
    for (const m of input.MetricData!) {
      expect(m.Dimensions).toEqual([{ Name: 'Environment', Value: 'staging' }]);
      expect(m.Unit).toBe('Seconds');
      expect(Number.isFinite(m.Value)).toBe(true);
    }
  });

  it('survives a CloudWatch failure (logged; the next tick retries)', async () => {
    cloudwatch.on(PutMetricDataCommand).rejects(new Error('throttled'));
    expect(await app.app.get(CloudWatchPublisher).publishOnce(client())).toBe(0);
    expect(app.logs()).toMatch(/publishing metrics to CloudWatch failed: throttled/);
  });

  it('publishes nothing when METRICS_NAMESPACE is unset', async () => {
    const plain = await startTestApp();
    try {
      expect(await plain.app.get(CloudWatchPublisher).publishOnce(client())).toBe(0);
      expect(cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    } finally {
      await plain.stop();
    }
  });
});
