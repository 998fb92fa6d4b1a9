/**
 * Simulated AWS for the pipeline's flows: a small in-memory region (two colours behind an ALB, AMIs, alarms,
 * SSM parameters) answering the SDK commands the AWS gateway sends, through aws-sdk-client-mock. The flows
 * under test therefore run the real gateway code; only the network is replaced.
 *
 * Behaviour knobs model what goes wrong in real deploys: AMIs whose instances never pass health checks, AMIs
 * that fail the smoke test, AMIs that make an alarm fire while they serve traffic.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { SmokeReport, SmokeTarget } from '../../../scripts/lib/smoke.ts';
import { AMI_TAGS, otherColor, type Color } from '../../../scripts/lib/stack.ts';
import type { VirtualClock } from './virtual-clock.ts';

export const RECORD_PARAMETER = '/bland-mcp/production/deploy-state';
export const COLOR_HEADER = 'X-Bland-Mcp-Color';

interface SimInstance {
  id: string;
  amiId: string;
  health: 'initial' | 'healthy' | 'unhealthy';
  checks: number;
}

interface SimColour {
  asgName: string;
  targetGroupArn: string;
  desired: number;
  amiId: string;
  generation: number;
  instances: SimInstance[];
}

export interface SimImage {
  id: string;
  name: string;
  createdAt: number;
  tags: Record<string, string>;
  snapshotIds: string[];
}

interface SimAlarm {
  state: 'OK' | 'ALARM';
  updatedAt: number;
  reason: string;
}

export class SimulatedAws {
  readonly clock: VirtualClock;
  traffic: { active: Color; canary: number };
  readonly colours: Record<Color, SimColour>;
  readonly images = new Map<string, SimImage>();
  readonly alarms = new Map<string, SimAlarm>();
  readonly parameters = new Map<string, string>();
  readonly otherInstanceAmis: string[] = [];
  readonly otherLaunchTemplateAmis: string[] = [];
  /** Instances of these AMIs never pass the target group health check. */
  readonly unhealthyAmis = new Set<string>();
  /** These AMIs fail the smoke test (the app answers, but MCP is broken). */
  readonly brokenAmis = new Set<string>();
  /** While an AMI serves traffic, its alarm fires. */
  readonly alarmingAmis = new Map<string, string>();
  /** Health checks a new instance needs before it is healthy (the ALB's healthy threshold). */
  checksUntilHealthy = 2;
  /** Every mutating AWS call, in order: "PutParameter /x", "DeregisterImage ami-…". */
  readonly writes: string[] = [];
  smokeCalls = 0;
  private nextInstance = 1;
  private readonly mocks: { restore(): void }[] = [];

  constructor(clock: VirtualClock, live: { active: Color; blue: string; green: string }) {
    this.clock = clock;
    this.traffic = { active: live.active, canary: 0 };
    this.colours = {
      blue: this.newColour('blue', live.blue),
      green: this.newColour('green', live.green),
    };
  }

  addImage(id: string, gitSha: string, ageDays: number, tags: Record<string, string> = {}): SimImage {
    const image = {
      id,
      name: `bland-mcp-1.0.0-${gitSha.slice(0, 7)}`,
      createdAt: this.clock.now() - ageDays * 86_400_000,
      tags: { [AMI_TAGS.gitSha]: gitSha, [AMI_TAGS.appVersion]: '1.0.0', ...tags },
      snapshotIds: [`snap-${id.slice(4)}`],
    };
    this.images.set(id, image);
    return image;
  }

  addAlarm(name: string, state: SimAlarm['state'] = 'OK', updatedAt = this.clock.now() - 3_600_000): void {
    this.alarms.set(name, { state, updatedAt, reason: state === 'ALARM' ? 'Threshold Crossed' : 'ok' });
  }

  /** What Terraform's create_before_destroy does when a colour's AMI changes: a new group with new instances. */
  replaceColour(color: Color, amiId: string): void {
    const old = this.colours[color];
    this.colours[color] = this.newColour(color, amiId, old.generation + 1);
  }

  /** True once every instance of the colour passed its checks (drives the checks like the ALB would). */
  settleHealth(color: Color, maxChecks = 10): boolean {
    for (let i = 0; i < maxChecks; i++) this.targetHealth(this.colours[color].targetGroupArn);
    return this.colours[color].instances.every((inst) => inst.health === 'healthy');
  }

  servingAmis(): string[] {
    const { active, canary } = this.traffic;
    const serving = [this.colours[active].amiId];
    if (canary > 0) serving.push(this.colours[otherColor(active)].amiId);
    return serving;
  }

  /** The app as seen through CloudFront with the preview headers: routes to the named colour. */
  readonly smoke = async (target: SmokeTarget): Promise<SmokeReport> => {
    this.smokeCalls++;
    const color = target.headers[COLOR_HEADER] as Color;
    const amiId = this.colours[color].amiId;
    const gitSha = this.images.get(amiId)?.tags[AMI_TAGS.gitSha];
    const checks = [{ name: 'GET /health/ready', ok: true, detail: 'ready' }];
    if (target.expectedGitSha && gitSha !== target.expectedGitSha) {
      return {
        ok: false,
        checks: [...checks, { name: 'GET /version', ok: false, detail: `serves ${gitSha}` }],
      };
    }
    checks.push({ name: 'GET /version', ok: true, detail: String(gitSha) });
    const mcpOk = !this.brokenAmis.has(amiId);
    checks.push({ name: 'MCP', ok: mcpOk, detail: mcpOk ? 'ok' : 'get_credit_balance returned an error' });
    return { ok: mcpOk, checks };
  };

  install(): void {
    const asg = mockClient(AutoScalingClient);
    asg.on(DescribeAutoScalingGroupsCommand).callsFake((input: { AutoScalingGroupNames: string[] }) => ({
      AutoScalingGroups: Object.values(this.colours)
        .filter((c) => input.AutoScalingGroupNames.includes(c.asgName))
        .map((c) => ({
          AutoScalingGroupName: c.asgName,
          DesiredCapacity: c.desired,
          Instances: c.instances.map((i) => ({
            InstanceId: i.id,
            LifecycleState: 'InService',
            HealthStatus: 'Healthy',
          })),
        })),
    }));

    const elb = mockClient(ElasticLoadBalancingV2Client);
    elb.on(DescribeTargetHealthCommand).callsFake((input: { TargetGroupArn: string }) => ({
      TargetHealthDescriptions: this.targetHealth(input.TargetGroupArn).map((i) => ({
        Target: { Id: i.id, Port: 3000 },
        TargetHealth: {
          State: i.health,
          Reason: i.health === 'healthy' ? undefined : 'Target.ResponseCodeMismatch',
        },
      })),
    }));

    const ec2 = mockClient(EC2Client);
    ec2.on(DescribeInstancesCommand).callsFake((input: { InstanceIds?: string[] }) => {
      const all = [
        ...Object.values(this.colours).flatMap((c) =>
          c.instances.map((i) => ({ InstanceId: i.id, ImageId: i.amiId })),
        ),
        ...this.otherInstanceAmis.map((amiId, n) => ({ InstanceId: `i-other${n}`, ImageId: amiId })),
      ];
      const wanted = input.InstanceIds ? all.filter((i) => input.InstanceIds?.includes(i.InstanceId)) : all;
      return { Reservations: [{ Instances: wanted }] };
    });
    ec2
      .on(DescribeImagesCommand)
      .callsFake((input: { ImageIds?: string[]; Filters?: { Name: string; Values: string[] }[] }) => {
        if (input.ImageIds) {
          const missing = input.ImageIds.find((id) => !this.images.has(id));
          if (missing)
            throw Object.assign(new Error(`The image id '[${missing}]' does not exist`), {
              name: 'InvalidAMIID.NotFound',
            });
        }
        const images = [...this.images.values()].filter(
          (image) =>
            (!input.ImageIds || input.ImageIds.includes(image.id)) &&
            (input.Filters ?? []).every((f) => matches(image, f)),
        );
        return {
          Images: images.map((i) => ({
            ImageId: i.id,
            Name: i.name,
            CreationDate: new Date(i.createdAt).toISOString(),
            Tags: Object.entries(i.tags).map(([Key, Value]) => ({ Key, Value })),
            BlockDeviceMappings: i.snapshotIds.map((SnapshotId) => ({
              DeviceName: '/dev/xvda',
              Ebs: { SnapshotId },
            })),
          })),
        };
      });
    ec2.on(DescribeLaunchTemplateVersionsCommand).callsFake(() => ({
      LaunchTemplateVersions: [
        ...Object.values(this.colours).map((c) => c.amiId),
        ...this.otherLaunchTemplateAmis,
      ].map((ImageId) => ({ LaunchTemplateData: { ImageId } })),
    }));
    ec2.on(DeregisterImageCommand).callsFake((input: { ImageId: string }) => {
      this.writes.push(`DeregisterImage ${input.ImageId}`);
      this.images.delete(input.ImageId);
      return {};
    });
    ec2.on(DeleteSnapshotCommand).callsFake((input: { SnapshotId: string }) => {
      this.writes.push(`DeleteSnapshot ${input.SnapshotId}`);
      return {};
    });

    const cloudwatch = mockClient(CloudWatchClient);
    cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => {
      this.evaluateAlarms();
      return {
        MetricAlarms: input.AlarmNames.flatMap((name) => {
          const alarm = this.alarms.get(name);
          return alarm
            ? [
                {
                  AlarmName: name,
                  StateValue: alarm.state,
                  StateUpdatedTimestamp: new Date(alarm.updatedAt),
                  StateReason: alarm.reason,
                },
              ]
            : [];
        }),
      };
    });

    const ssm = mockClient(SSMClient);
    ssm.on(GetParameterCommand).callsFake((input: { Name: string }) => {
      const value = this.parameters.get(input.Name);
      if (value === undefined) throw new ParameterNotFound({ message: 'not found', $metadata: {} });
      return { Parameter: { Name: input.Name, Value: value } };
    });
    ssm.on(PutParameterCommand).callsFake((input: { Name: string; Value: string }) => {
      this.writes.push(`PutParameter ${input.Name}`);
      this.parameters.set(input.Name, input.Value);
      return { Version: 1 };
    });
    this.mocks.push(asg, elb, ec2, cloudwatch, ssm);
  }

  restore(): void {
    for (const mock of this.mocks) mock.restore();
  }

  private newColour(color: Color, amiId: string, generation = 1): SimColour {
    const instances = Array.from({ length: 2 }, () => ({
      id: `i-${String(this.nextInstance++).padStart(8, '0')}`,
      amiId,
      // The very first instances have long been healthy; replacements start their checks from zero.
      health: generation === 1 ? ('healthy' as const) : ('initial' as const),
      checks: 0,
    }));
    return {
      asgName: `bland-mcp-production-${color}-v${generation}`,
      targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/bland-mcp-production-${color}/0123456789abcdef`,
      desired: 2,
      amiId,
      generation,
      instances,
    };
  }

  private targetHealth(targetGroupArn: string): SimInstance[] {
    const colour = Object.values(this.colours).find((c) => c.targetGroupArn === targetGroupArn);
    if (!colour) return [];
    for (const instance of colour.instances) {
      instance.checks++;
      if (instance.health === 'initial' && instance.checks >= this.checksUntilHealthy) {
        instance.health = this.unhealthyAmis.has(instance.amiId) ? 'unhealthy' : 'healthy';
      }
    }
    return colour.instances;
  }

  private evaluateAlarms(): void {
    const serving = this.servingAmis();
    for (const [amiId, name] of this.alarmingAmis) {
      const alarm = this.alarms.get(name);
      if (!alarm) continue;
      const firing = serving.includes(amiId);
      if (firing && alarm.state !== 'ALARM')
        this.alarms.set(name, { state: 'ALARM', updatedAt: this.clock.now(), reason: `5xx from ${amiId}` });
      if (!firing && alarm.state === 'ALARM')
        this.alarms.set(name, { state: 'OK', updatedAt: this.clock.now(), reason: 'ok' });
    }
  }
}

function matches(image: SimImage, filter: { Name: string; Values: string[] }): boolean {
  const glob = (pattern: string, value: string) =>
    new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`).test(value);
  if (filter.Name === 'name') return filter.Values.some((v) => glob(v, image.name));
  if (filter.Name === 'tag-key') return filter.Values.some((v) => v in image.tags);
  if (filter.Name.startsWith('tag:')) return filter.Values.includes(image.tags[filter.Name.slice(4)] ?? '');
  throw new Error(`filter ${filter.Name} is not simulated`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
