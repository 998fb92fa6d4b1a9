/**
 * The AWS adapter: the few reads and writes the pipeline makes, behind one interface so flows can run against
 * simulated AWS. Each method is a thin mapping of SDK responses to the shapes the flows reason about.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import {
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  EC2Client,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeLaunchTemplateVersions,
  type Image,
} from '@aws-sdk/client-ec2';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { PutObjectCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

export interface AsgInstance {
  id: string;
  lifecycleState: string;
  healthStatus: string;
}

export interface AsgSnapshot {
  name: string;
  desired: number;
  instances: AsgInstance[];
}

export interface TargetHealth {
  id: string;
  state: string;
  reason: string | null;
}

export interface AlarmState {
  name: string;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  updatedAt: number;
  reason: string;
}

export interface ImageFilter {
  name: string;
  values: string[];
}

export interface ImageInfo {
  id: string;
  name: string;
  createdAt: number;
  tags: Record<string, string>;
  snapshotIds: string[];
}

export interface ObjectUpload {
  bucket: string;
  key: string;
  body: Buffer;
  /** Hex MD5 of the body: sent as Content-MD5 so S3 rejects a corrupted upload. */
  md5: string;
  contentType: string;
  cacheControl: string;
}

export interface AwsGateway {
  autoScalingGroup(name: string): Promise<AsgSnapshot | null>;
  instanceImages(instanceIds: string[]): Promise<Map<string, string>>;
  targetHealth(targetGroupArn: string): Promise<TargetHealth[]>;
  /** Alarm states; `region` defaults to the stack's (edge alarms live in us-east-1). */
  alarms(names: string[], region?: string): Promise<AlarmState[]>;
  readParameter(name: string): Promise<string | null>;
  writeParameter(name: string, value: string): Promise<void>;
  image(amiId: string): Promise<ImageInfo | null>;
  /** AMIs owned by this account that match every filter (EC2 DescribeImages filters, e.g. name, tag-key). */
  ownedImages(filters: ImageFilter[]): Promise<ImageInfo[]>;
  /** AMIs referenced by any non-terminated instance or by the $Latest/$Default version of any launch template. */
  imagesReferencedInRegion(): Promise<Set<string>>;
  deregisterImage(amiId: string): Promise<void>;
  deleteSnapshot(snapshotId: string): Promise<void>;
  /** ETag (without quotes) of every object under `prefix`, by key. */
  objectEtags(bucket: string, prefix: string): Promise<Map<string, string>>;
  putObject(upload: ObjectUpload): Promise<void>;
}

function toImageInfo(image: Image): ImageInfo {
  return {
    id: image.ImageId ?? '',
    name: image.Name ?? '',
    createdAt: image.CreationDate ? Date.parse(image.CreationDate) : 0,
    tags: Object.fromEntries((image.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    snapshotIds: (image.BlockDeviceMappings ?? []).flatMap((m) =>
      m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : [],
    ),
  };
}

export function createAwsGateway(region: string): AwsGateway {
  // The SDK retries throttling and transient errors itself; five attempts ride out short API brown-outs.
  const config = { region, maxAttempts: 5 };
  const asg = new AutoScalingClient(config);
  const ec2 = new EC2Client(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  const cloudwatchByRegion = new Map<string, CloudWatchClient>();
  const cloudwatchIn = (r: string) => {
    const client = cloudwatchByRegion.get(r) ?? new CloudWatchClient({ ...config, region: r });
    cloudwatchByRegion.set(r, client);
    return client;
  };
  const ssm = new SSMClient(config);
  const s3 = new S3Client(config);

  return {
    async autoScalingGroup(name) {
      const out = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
      const group = out.AutoScalingGroups?.[0];
      if (!group) return null;
      return {
        name,
        desired: group.DesiredCapacity ?? 0,
        instances: (group.Instances ?? []).map((i) => ({
          id: i.InstanceId ?? '',
          lifecycleState: i.LifecycleState ?? 'Unknown',
          healthStatus: i.HealthStatus ?? 'Unknown',
        })),
      };
    },

    async instanceImages(instanceIds) {
      const images = new Map<string, string>();
      if (instanceIds.length === 0) return images;
      for await (const page of paginateDescribeInstances({ client: ec2 }, { InstanceIds: instanceIds })) {
        for (const r of page.Reservations ?? []) {
          for (const i of r.Instances ?? [])
            if (i.InstanceId && i.ImageId) images.set(i.InstanceId, i.ImageId);
        }
      }
      return images;
    },

    async targetHealth(targetGroupArn) {
      const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
      return (out.TargetHealthDescriptions ?? []).map((d) => ({
        id: d.Target?.Id ?? '',
        state: d.TargetHealth?.State ?? 'unavailable',
        reason: d.TargetHealth?.Reason ?? null,
      }));
    },

    async alarms(names, alarmRegion = region) {
      const cloudwatch = cloudwatchIn(alarmRegion);
      const states: AlarmState[] = [];
      // DescribeAlarms takes at most 100 names per call.
      for (let i = 0; i < names.length; i += 100) {
        const batch = names.slice(i, i + 100);
        for await (const page of paginateDescribeAlarms({ client: cloudwatch }, { AlarmNames: batch })) {
          for (const a of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
            states.push({
              name: a.AlarmName ?? '',
              state: (a.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState['state'],
              updatedAt: a.StateUpdatedTimestamp?.getTime() ?? 0,
              reason: a.StateReason ?? '',
            });
          }
        }
      }
      return states;
    },

    async readParameter(name) {
      try {
        const out = await ssm.send(new GetParameterCommand({ Name: name }));
        return out.Parameter?.Value ?? null;
      } catch (error) {
        if (error instanceof ParameterNotFound) return null;
        throw error;
      }
    },

    async writeParameter(name, value) {
      await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }));
    },

    async image(amiId) {
      try {
        const out = await ec2.send(new DescribeImagesCommand({ ImageIds: [amiId] }));
        const image = out.Images?.[0];
        return image ? toImageInfo(image) : null;
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'InvalidAMIID.NotFound' || name === 'InvalidAMIID.Unavailable') return null;
        throw error;
      }
    },

    async ownedImages(filters) {
      const Filters = filters.map((f) => ({ Name: f.name, Values: f.values }));
      const images: ImageInfo[] = [];
      for await (const page of paginateDescribeImages({ client: ec2 }, { Owners: ['self'], Filters })) {
        images.push(...(page.Images ?? []).map(toImageInfo));
      }
      return images;
    },

    async imagesReferencedInRegion() {
      const inUse = new Set<string>();
      const live = { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] };
      for await (const page of paginateDescribeInstances({ client: ec2 }, { Filters: [live] })) {
        for (const r of page.Reservations ?? [])
          for (const i of r.Instances ?? []) if (i.ImageId) inUse.add(i.ImageId);
      }
      // Without a template id, EC2 returns the $Latest/$Default versions of every launch template in the region.
      const versions = { Versions: ['$Latest', '$Default'] };
      for await (const page of paginateDescribeLaunchTemplateVersions({ client: ec2 }, versions)) {
        for (const v of page.LaunchTemplateVersions ?? []) {
          const imageId = v.LaunchTemplateData?.ImageId;
          if (imageId) inUse.add(imageId);
        }
      }
      return inUse;
    },

    async deregisterImage(amiId) {
      await ec2.send(new DeregisterImageCommand({ ImageId: amiId }));
    },

    async deleteSnapshot(snapshotId) {
      await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
    },

    async objectEtags(bucket, prefix) {
      const etags = new Map<string, string>();
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
        for (const o of page.Contents ?? [])
          if (o.Key && o.ETag) etags.set(o.Key, o.ETag.replaceAll('"', ''));
      }
      return etags;
    },

    async putObject(upload) {
      await s3.send(
        new PutObjectCommand({
          Bucket: upload.bucket,
          Key: upload.key,
          Body: upload.body,
          ContentMD5: Buffer.from(upload.md5, 'hex').toString('base64'),
          ContentType: upload.contentType,
          CacheControl: upload.cacheControl,
        }),
      );
    },
  };
}
