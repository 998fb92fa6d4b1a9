// Checklist §6 items 10, 11 and 12 (infra.md): the poller Lambda, alarms and logs, state and
// providers, budgets and health checks; plus the contract the deploy scripts rely on.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';
import {
  block,
  blocks,
  expression,
  type HclBody,
  loadTerraform,
  repoRoot,
  resourcesOfType,
  variableDefault,
  Violations,
  where,
} from './support/hcl.js';
import { satisfies } from './support/version-constraint.js';

const config = await loadTerraform();
const POLLER_DIR = 'terraform/modules/poller';
const ENV_ROOTS = ['terraform/envs/production', 'terraform/envs/staging'];
const OFFLINE_AWS_PROVIDER = '5.100.0';

function single(type: string) {
  const [found, ...others] = resourcesOfType(config, type);
  expect(others.map(where)).toEqual([]);
  return found!;
}

describe('10. poller Lambda: one run at a time, short retries, failures captured, watched', () => {
  test('the function: nodejs22.x, poller.handler, reserved concurrency 1, timeout below the interval', () => {
    const fn = single('aws_lambda_function').body;
    const timeout = variableDefault(config, POLLER_DIR, 'timeout_seconds');
    expect({
      runtime: fn.runtime,
      handler: fn.handler,
      concurrency: fn.reserved_concurrent_executions,
      timeout: fn.timeout,
      timeoutBelowInterval: Number(timeout) < 300,
      codeHash: fn.source_code_hash,
    }).toEqual({
      runtime: 'nodejs22.x',
      handler: 'poller.handler',
      concurrency: 1,
      timeout: '${var.timeout_seconds}',
      timeoutBelowInterval: true,
      codeHash: '${filebase64sha256(var.lambda_zip_path)}',
    });
    expect(JSON.stringify(fn.environment)).not.toMatch(/DATABASE_URL|API_KEY|SECRET/);
  });

  test('async invocation: at most 1 retry, events older than 5 minutes dropped, failures to SQS', () => {
    const invoke = single('aws_lambda_function_event_invoke_config').body;
    expect({
      retries: Number(invoke.maximum_retry_attempts) <= 1,
      maxAge: Number(invoke.maximum_event_age_in_seconds) <= 300,
      onFailure: block(block(invoke, 'destination_config'), 'on_failure').destination,
    }).toEqual({ retries: true, maxAge: true, onFailure: '${aws_sqs_queue.failures.arn}' });
  });

  test('EventBridge Scheduler runs it every 5 minutes with retries and a dead-letter queue', () => {
    const schedule = single('aws_scheduler_schedule').body;
    const target = block(schedule, 'target');
    expect({
      expression: variableDefault(config, POLLER_DIR, 'schedule_expression'),
      window: block(schedule, 'flexible_time_window').mode,
      retries: 'maximum_retry_attempts' in block(target, 'retry_policy'),
      deadLetter: block(target, 'dead_letter_config').arn,
    }).toEqual({
      expression: 'rate(5 minutes)',
      window: 'OFF',
      retries: true,
      deadLetter: '${aws_sqs_queue.failures.arn}',
    });
    for (const permission of config.resources.filter(
      (resource) => resource.type === 'aws_lambda_permission',
    )) {
      expect([where(permission), 'source_arn' in permission.body]).toEqual([where(permission), true]);
    }
  });

  test('the failure queue is encrypted', () => {
    expect(single('aws_sqs_queue').body.sqs_managed_sse_enabled).toBe(true);
  });

  test('alarms cover errors, throttles, lost events, the failure queue and a missing-data heartbeat', () => {
    const alarms = resourcesOfType(config, 'aws_cloudwatch_metric_alarm');
    const pollerMetrics = Object.values(
      (config.locals.find((entry) => 'poller_alarms' in entry.values)?.values.poller_alarms ?? {}) as Record<
        string,
        HclBody
      >,
    ).map((alarm) => alarm.metric);
    const metrics = new Set([...alarms.map((alarm) => alarm.body.metric_name), ...pollerMetrics]);
    for (const metric of [
      'Errors',
      'Throttles',
      'DestinationDeliveryFailures',
      'AsyncEventsDropped',
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
      'Invocations',
    ]) {
      expect([metric, metrics.has(metric)]).toEqual([metric, true]);
    }
    const heartbeat = alarms.find((alarm) => alarm.body.metric_name === 'Invocations');
    expect({
      missing: heartbeat?.body.treat_missing_data,
      comparison: heartbeat?.body.comparison_operator,
    }).toEqual({
      missing: 'breaching',
      comparison: 'LessThanThreshold',
    });
  });
});

describe('alarms notify people; logs expire', () => {
  test('every alarm notifies the SNS topic (the NAT reboot alarm acts instead)', () => {
    const violations = new Violations();
    for (const alarm of resourcesOfType(config, 'aws_cloudwatch_metric_alarm')) {
      const actions = JSON.stringify(alarm.body.alarm_actions ?? []);
      const notifies = actions.includes('module.topic.arn') || actions.includes('local.edge_topic_arn');
      const automates = actions.includes('arn:aws:automate:');
      violations.check(
        notifies || (alarm.name === 'nat_instance_check' && automates),
        where(alarm),
        'alarm_actions must notify the SNS topic',
      );
    }
    expect(violations.list).toEqual([]);
  });

  test('SNS topics are encrypted with a key CloudWatch and Budgets may use', () => {
    const topic = single('aws_sns_topic').body;
    const key = single('aws_kms_key').body;
    expect({ kms: topic.kms_master_key_id, rotation: key.enable_key_rotation }).toEqual({
      kms: '${aws_kms_key.this.arn}',
      rotation: true,
    });
  });

  test('every log group has a retention period', () => {
    const violations = new Violations();
    for (const group of resourcesOfType(config, 'aws_cloudwatch_log_group')) {
      violations.check(
        group.body.retention_in_days !== undefined,
        where(group),
        'retention_in_days must be set',
      );
    }
    expect(violations.list).toEqual([]);
  });
});

describe('11. state, providers and modules', () => {
  test.each(ENV_ROOTS)(
    '%s keeps state in S3 with encryption and lockfile locking, no account details',
    (root) => {
      // `backend "s3" {}` decodes to { backend: { s3: [body] } }.
      const backends = config.settings.filter((s) => s.dir === root && 'backend' in s.body);
      expect(backends).toHaveLength(1);
      const s3 = (backends[0]?.body.backend as Record<string, HclBody[]>).s3?.[0];
      expect({
        encrypt: s3?.encrypt,
        lockfile: s3?.use_lockfile,
        dynamodb: s3 && 'dynamodb_table' in s3,
        partial: s3 && !('bucket' in s3) && !('region' in s3),
        key: s3?.key,
      }).toEqual({
        encrypt: true,
        lockfile: true,
        dynamodb: false,
        partial: true,
        key: `bland-mcp/${path.basename(root)}/terraform.tfstate`,
      });
    },
  );

  test('every configuration requires Terraform >= 1.10 and only hashicorp/aws, satisfied by the offline 5.100.0', () => {
    const violations = new Violations();
    const versioned = config.settings.filter((s) => 'required_providers' in s.body);
    expect(versioned.length).toBeGreaterThanOrEqual(12);
    for (const setting of versioned) {
      violations.check(
        setting.body.required_version === '>= 1.10',
        setting.file,
        'required_version must be ">= 1.10"',
      );
      const providers = block(setting.body, 'required_providers') as Record<string, HclBody>;
      violations.check(
        JSON.stringify(Object.keys(providers)) === '["aws"]',
        setting.file,
        'only the aws provider is available offline',
      );
      violations.check(
        providers.aws?.source === 'hashicorp/aws',
        setting.file,
        'source must be hashicorp/aws',
      );
      violations.check(
        satisfies(OFFLINE_AWS_PROVIDER, String(providers.aws?.version)),
        setting.file,
        `5.100.0 must satisfy ${String(providers.aws?.version)}`,
      );
    }
    expect(violations.list).toEqual([]);
  });

  test('module sources are local paths only', () => {
    const remote = config.modules.filter((module) => !/^\.\.?\//.test(String(module.body.source)));
    expect(remote.map((module) => `${where(module)} source=${String(module.body.source)}`)).toEqual([]);
  });

  test('no helper providers or resources that are unavailable offline', () => {
    const banned = [...config.resources, ...config.data].filter((b) =>
      /^(archive_|null_|random_|tls_|local_|http$)/.test(b.type),
    );
    expect(banned.map(where)).toEqual([]);
    expect([...new Set(config.providers.map((provider) => provider.name))]).toEqual(['aws']);
  });

  test.each(ENV_ROOTS)('%s commits a lock file pinning hashicorp/aws %s', (root) => {
    const lock = readFileSync(path.join(repoRoot, root, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toContain('provider "registry.terraform.io/hashicorp/aws"');
    expect(lock).toContain(`version     = "${OFFLINE_AWS_PROVIDER}"`);
  });
});

describe('12. budgets, public health check, backups', () => {
  test('a monthly cost budget notifies at 80% and 100% actual and 100% forecast', () => {
    const budget = single('aws_budgets_budget').body;
    const notifications = blocks(budget, 'notification').map(
      (n) => `${String(n.notification_type)}:${String(n.threshold)}`,
    );
    expect({ type: budget.budget_type, notifications: notifications.sort() }).toEqual({
      type: 'COST',
      notifications: ['ACTUAL:100', 'ACTUAL:80', 'FORECASTED:100'],
    });
    expect(
      blocks(budget, 'notification').every((n) =>
        JSON.stringify(n.subscriber_sns_topic_arns).includes('module.topic.arn'),
      ),
    ).toBe(true);
  });

  test('Route 53 checks /health/ready over HTTPS and its alarm lives in us-east-1', () => {
    const check = single('aws_route53_health_check');
    const alarm = resourcesOfType(config, 'aws_cloudwatch_metric_alarm').find(
      (a) => a.body.namespace === 'AWS/Route53',
    );
    expect({
      type: check.body.type,
      path: expression(check.body.resource_path)
        ? variableDefault(config, check.dir, 'health_check_path')
        : check.body.resource_path,
      alarmRegion: alarm?.body.provider,
    }).toEqual({ type: 'HTTPS', path: '/health/ready', alarmRegion: '${aws.us_east_1}' });
  });

  test('nothing stateful lives on AWS besides versioned S3 (so no AWS Backup plan is needed)', () => {
    const stateful = config.resources.filter((r) =>
      /^aws_(db_|rds_|dynamodb_|efs_|elasticache_|ebs_volume$)/.test(r.type),
    );
    const backupPlans = config.resources.filter((r) => r.type === 'aws_backup_plan');
    expect({
      stateful: stateful.map(where),
      needsBackupPlan: stateful.length > 0 && backupPlans.length === 0,
    }).toEqual({
      stateful: [],
      needsBackupPlan: false,
    });
  });
});

describe('environment roots: identical shape, the contract the deploy scripts read', () => {
  const sharedFiles = [
    'main.tf',
    'variables.tf',
    'outputs.tf',
    'providers.tf',
    'versions.tf',
    '.terraform.lock.hcl',
  ];

  test.each(sharedFiles)('staging and production have the same %s', (file) => {
    const read = (root: string) => readFileSync(path.join(repoRoot, root, file), 'utf8');
    expect(read('terraform/envs/staging')).toBe(read('terraform/envs/production'));
  });

  test.each(ENV_ROOTS)('%s declares the variables the pipeline sets', (root) => {
    const declared = config.variables.filter((v) => v.dir === root).map((v) => v.name);
    expect(declared).toEqual(
      expect.arrayContaining([
        'active_color',
        'blue_ami_id',
        'green_ami_id',
        'canary_weight',
        'app_version',
        'git_sha',
        'lambda_zip_path',
      ]),
    );
    expect(variableDefault(config, root, 'canary_weight')).toBe(0);
    expect(variableDefault(config, root, 'lambda_zip_path')).toBe('../../../dist/lambda/poller.zip');
  });

  test.each(ENV_ROOTS)('%s exposes the outputs the deploy scripts read', (root) => {
    const declared = config.outputs.filter((o) => o.dir === root).map((o) => o.name);
    expect(declared).toEqual(
      expect.arrayContaining([
        'active_color',
        'alb_listener_arn',
        'blue_target_group_arn',
        'green_target_group_arn',
        'blue_asg_name',
        'green_asg_name',
        'blue_ami_id',
        'green_ami_id',
        'alb_dns_name',
        'cloudfront_domain',
        'static_bucket_name',
        'deploy_state_parameter',
        'alarm_names',
      ]),
    );
  });

  test.each(ENV_ROOTS)(
    '%s/terraform.tfvars only sizes the environment (no release or account values)',
    async (root) => {
      const file = path.join(root, 'terraform.tfvars');
      const values = Object.keys(await parse(file, readFileSync(path.join(repoRoot, file), 'utf8')));
      const sizing = [
        'instance_type',
        'min_size',
        'max_size',
        'vpc_cidr',
        'monthly_budget_usd',
        'alb_deletion_protection',
      ];
      expect(values.filter((name) => !sizing.includes(name))).toEqual([]);
    },
  );
});
