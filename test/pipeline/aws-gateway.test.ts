/** The AWS gateway's request shapes and edge cases, against aws-sdk-client-mock. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsGateway } from '../../scripts/lib/aws.ts';

const cloudwatch = mockClient(CloudWatchClient);
const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);

describe('AWS gateway', () => {
  const aws = createAwsGateway('us-east-1');
  afterEach(() => {
    cloudwatch.reset();
    ec2.reset();
    ssm.reset();
  });

  it('asks for alarms in batches of 100 and reads metric and composite alarms alike', async () => {
    cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({
      MetricAlarms: input.AlarmNames.filter((n) => n !== 'composite').map((AlarmName) => ({
        AlarmName,
        StateValue: 'OK',
      })),
      CompositeAlarms: input.AlarmNames.includes('composite')
        ? [
            {
              AlarmName: 'composite',
              StateValue: 'ALARM',
              StateUpdatedTimestamp: new Date(5),
              StateReason: 'child',
            },
          ]
        : [],
    }));
    const names = [...Array.from({ length: 150 }, (_, i) => `alarm-${i}`), 'composite'];

    const states = await aws.alarms(names);

    expect(
      cloudwatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames?.length),
    ).toEqual([100, 51]);
    expect(states).toHaveLength(151);
    expect(states.find((s) => s.name === 'composite')).toEqual({
      name: 'composite',
      state: 'ALARM',
      updatedAt: 5,
      reason: 'child',
    });
  });

  it('reads edge alarms from us-east-1, whatever the stack region', async () => {
    const eu = createAwsGateway('eu-west-1');
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });

    await eu.alarms(['app-5xx']);
    await eu.alarms(['cloudfront-5xx'], 'us-east-1');

    const regions = await Promise.all(
      cloudwatch
        .commandCalls(DescribeAlarmsCommand)
        .map((call) => (call.thisValue as CloudWatchClient).config.region()),
    );
    expect(regions).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('treats a missing deploy record as none, and any other SSM error as an error', async () => {
    ssm
      .on(GetParameterCommand, { Name: '/missing' })
      .rejects(new ParameterNotFound({ message: 'missing', $metadata: {} }));
    ssm
      .on(GetParameterCommand, { Name: '/denied' })
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    expect(await aws.readParameter('/missing')).toBeNull();
    await expect(aws.readParameter('/denied')).rejects.toThrow('not authorized');
  });

  it('overwrites the deploy record as a plain String parameter', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 2 });
    await aws.writeParameter('/bland-mcp/production/deploy-state', '{}');
    expect(ssm.commandCalls(PutParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/bland-mcp/production/deploy-state',
      Value: '{}',
      Type: 'String',
      Overwrite: true,
    });
  });

  it('collects AMIs from live instances and from every launch template version that can launch', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{ Instances: [{ ImageId: 'ami-1' }, { ImageId: 'ami-2' }] }] });
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [
        { LaunchTemplateData: { ImageId: 'ami-2' } },
        { LaunchTemplateData: { ImageId: 'ami-3' } },
        { LaunchTemplateData: {} },
      ],
    });

    expect(await aws.imagesReferencedInRegion()).toEqual(new Set(['ami-1', 'ami-2', 'ami-3']));
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
    ]);
    expect(ec2.commandCalls(DescribeLaunchTemplateVersionsCommand)[0]?.args[0].input).toEqual({
      Versions: ['$Latest', '$Default'],
    });
  });
});
