// Checklist §6 items 8 and 9 (infra.md): S3 hardening and IAM least privilege, read from the
// HCL source. The rendered policies are also asserted by the modules' terraform tests.
import {
  block,
  blocks,
  expression,
  type HclBody,
  loadTerraform,
  localValue,
  resourcesOfType,
  type TerraformConfig,
  Violations,
  where,
} from './support/hcl.js';

const config = await loadTerraform();
const BUCKET_MODULE = 'terraform/modules/private-bucket';

function onlyResource(type: string) {
  const found = resourcesOfType(config, type);
  expect(found.map(where)).toHaveLength(1);
  return found[0]!;
}

/** A list attribute as strings, following `${local.x}` references in the same module. */
function stringList(cfg: TerraformConfig, dir: string, value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  const reference = /^local\.([a-z_]+)$/.exec(expression(value) ?? '');
  if (reference?.[1]) return stringList(cfg, dir, localValue(cfg, dir, reference[1]));
  return value === undefined ? [] : [String(value)];
}

describe('8. S3: every bucket private, encrypted, versioned, TLS-only, with lifecycle rules', () => {
  test('buckets are only created through the hardened private-bucket module', () => {
    const s3 = config.resources.filter((resource) => resource.type.startsWith('aws_s3_bucket'));
    expect(s3.filter((resource) => resource.dir !== BUCKET_MODULE).map(where)).toEqual([]);
    expect(
      config.modules
        .filter((module) => module.body.source === '../private-bucket')
        .map((m) => m.name)
        .sort(),
    ).toEqual(['logs', 'recordings', 'static']);
  });

  test('public access is blocked four ways and ACLs are disabled', () => {
    const block4 = onlyResource('aws_s3_bucket_public_access_block').body;
    const ownership = block(onlyResource('aws_s3_bucket_ownership_controls').body, 'rule');
    expect({
      acls: block4.block_public_acls,
      policy: block4.block_public_policy,
      ignore: block4.ignore_public_acls,
      restrict: block4.restrict_public_buckets,
      ownership: ownership.object_ownership,
    }).toEqual({ acls: true, policy: true, ignore: true, restrict: true, ownership: 'BucketOwnerEnforced' });
  });

  test('default encryption is configured and versioning enabled', () => {
    const encryption = onlyResource('aws_s3_bucket_server_side_encryption_configuration').body;
    const versioning = onlyResource('aws_s3_bucket_versioning').body;
    expect({
      sse: block(block(encryption, 'rule'), 'apply_server_side_encryption_by_default').sse_algorithm,
      versioning: block(versioning, 'versioning_configuration').status,
    }).toEqual({ sse: '${var.sse_algorithm}', versioning: 'Enabled' });
  });

  test('the bucket policy always contains the TLS-only deny', () => {
    const policy = onlyResource('aws_s3_bucket_policy');
    const tls = config.data.find((data) => data.dir === BUCKET_MODULE && data.name === 'tls_only');
    const insecure = blocks(tls?.body, 'statement').find((statement) =>
      blocks(statement, 'condition').some(
        (c) => c.variable === 'aws:SecureTransport' && JSON.stringify(c.values) === '["false"]',
      ),
    );
    expect({
      usesLocalPolicy: policy.body.policy,
      effect: insecure?.effect,
      actions: insecure?.actions,
    }).toEqual({
      usesLocalPolicy: '${local.policy}',
      effect: 'Deny',
      actions: ['s3:*'],
    });
    expect(String(localValue(config, BUCKET_MODULE, 'policy'))).toContain(
      'data.aws_iam_policy_document.tls_only.json',
    );
  });

  test('every lifecycle rule aborts multipart uploads and expires noncurrent versions', () => {
    const lifecycle = onlyResource('aws_s3_bucket_lifecycle_configuration');
    const [rule] = blocks(lifecycle.body, 'rule');
    expect({
      abort: block(rule, 'abort_incomplete_multipart_upload').days_after_initiation,
      noncurrent: block(rule, 'noncurrent_version_expiration').noncurrent_days,
    }).toEqual({ abort: 7, noncurrent: '${rule.value.noncurrent_version_expiration_days}' });
    const recordings = config.modules.find((module) => module.name === 'recordings');
    const rules = recordings?.body.lifecycle_rules as HclBody[] | undefined;
    expect((rules?.[0]?.transitions as HclBody[] | undefined)?.map((t) => t.storage_class)).toEqual([
      'STANDARD_IA',
      'GLACIER_IR',
    ]);
  });

  test('CORS allows explicit https origins only (the app’s), never "*"', () => {
    const variable = config.variables.find(
      (v) => v.dir === BUCKET_MODULE && v.name === 'cors_allowed_origins',
    );
    expect(block(variable?.body, 'validation').condition).toContain('^https://[a-z0-9.-]+$');
    const callers = config.modules.filter((module) => 'cors_allowed_origins' in module.body);
    expect(callers.map((module) => [where(module), module.body.cors_allowed_origins])).toEqual([
      ['terraform/modules/storage/main.tf module.recordings', ['${var.app_origin}']],
    ]);
  });
});

describe('9. IAM: no wildcards that grant admin, PassRole scoped, OIDC trust pinned', () => {
  const documents = () => config.data.filter((data) => data.type === 'aws_iam_policy_document');

  test('no Allow statement grants "*", or iam:*/s3:* on every resource', () => {
    const violations = new Violations();
    for (const document of documents()) {
      for (const statement of blocks(document.body, 'statement')) {
        if (statement.effect === 'Deny') continue;
        const actions = stringList(config, document.dir, statement.actions);
        const resources = stringList(config, document.dir, statement.resources);
        const label = `${where(document)} statement ${String(statement.sid ?? '(no sid)')}`;
        violations.check(!actions.includes('*'), label, 'grants every action');
        const adminAction = actions.find((action) => action === 'iam:*' || action === 's3:*');
        violations.check(
          !(adminAction && resources.includes('*')),
          label,
          `${adminAction} on every resource`,
        );
        violations.check(!actions.includes('iam:*'), label, 'iam:* is never needed');
      }
    }
    expect(violations.list).toEqual([]);
  });

  test('iam:PassRole names its roles and the services they go to', () => {
    const violations = new Violations();
    let found = 0;
    for (const document of documents()) {
      for (const statement of blocks(document.body, 'statement')) {
        if (!stringList(config, document.dir, statement.actions).includes('iam:PassRole')) continue;
        found += 1;
        const label = `${where(document)} statement ${String(statement.sid)}`;
        violations.check(
          !stringList(config, document.dir, statement.resources).includes('*'),
          label,
          'PassRole on every role',
        );
        violations.check(
          blocks(statement, 'condition').some((c) => c.variable === 'iam:PassedToService'),
          label,
          'PassRole needs an iam:PassedToService condition',
        );
      }
    }
    expect(violations.list).toEqual([]);
    expect(found).toBeGreaterThan(0);
  });

  test('the GitHub OIDC trust pins audience and exact subjects with StringEquals', () => {
    const trusts = documents().filter((document) =>
      blocks(document.body, 'statement').some((s) =>
        blocks(s, 'principals').some((p) => p.type === 'Federated'),
      ),
    );
    expect(trusts.map(where)).toEqual([
      'terraform/modules/github-oidc/main.tf aws_iam_policy_document.trust',
    ]);
    const conditions = blocks(blocks(trusts[0]?.body, 'statement')[0], 'condition');
    expect(conditions.map((c) => [c.test, c.variable])).toEqual([
      ['StringEquals', '${local.oidc_host}:aud'],
      ['StringEquals', '${local.oidc_host}:sub'],
    ]);
    const dir = 'terraform/modules/github-oidc';
    expect(localValue(config, dir, 'oidc_host')).toBe('token.actions.githubusercontent.com');
    const subjects = Object.values(localValue(config, dir, 'subjects') as Record<string, string[]>)
      .flat()
      .map((subject) =>
        subject
          .replace('${local.repo_subject}', 'repo:owner/name')
          .replace('${var.environment}', 'production'),
      );
    for (const subject of subjects) {
      expect(subject).toMatch(/^repo:owner\/name:(environment:[a-z-]+|ref:refs\/heads\/main|pull_request)$/);
    }
  });

  test('no broad AWS managed policies on our roles (ReadOnlyAccess only for the plan role)', () => {
    const attachments = config.resources.filter(
      (resource) => resource.type === 'aws_iam_role_policy_attachment',
    );
    expect(attachments.map((a) => [where(a), a.body.role, a.body.policy_arn])).toEqual([
      [
        'terraform/modules/github-oidc/main.tf aws_iam_role_policy_attachment.plan_read_only',
        '${aws_iam_role.plan.name}',
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
      ],
    ]);
  });

  test('the read-only plan role cannot read secrets or objects', () => {
    const plan = documents().find((document) => document.name === 'plan');
    const denies = blocks(plan?.body, 'statement').filter((statement) => statement.effect === 'Deny');
    expect(denies.flatMap((statement) => stringList(config, plan!.dir, statement.actions)).sort()).toEqual(
      ['kms:Decrypt', 's3:GetObject', 's3:GetObjectVersion', 'secretsmanager:GetSecretValue'].sort(),
    );
    const kmsDeny = denies.find((statement) =>
      stringList(config, plan!.dir, statement.actions).includes('kms:Decrypt'),
    );
    expect(blocks(kmsDeny, 'condition')).toEqual([
      { test: 'StringLike', variable: 'kms:ViaService', values: ['ssm.*.amazonaws.com'] },
    ]);
  });
});
