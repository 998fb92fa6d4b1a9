// Checklist §6 items 1, 2, 4 and 5 (infra.md): instances, the two colours, health checks and
// security groups, read from the HCL source. Each violation names the file and resource.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  block,
  blocks,
  expression,
  loadTerraform,
  localValue,
  repoRoot,
  resourcesOfType,
  variableDefault,
  Violations,
  where,
} from './support/hcl.js';

const config = await loadTerraform();
const SECRET_PATTERN = /AKIA[0-9A-Z]{16}|(password|secret|token)\s*[:=]\s*\S/i;

describe('1. instances: IMDSv2, encrypted disks, no SSH keys, no public IPs, no secrets in user data', () => {
  test('every launch template requires IMDSv2 with hop limit 1', () => {
    const violations = new Violations();
    for (const template of resourcesOfType(config, 'aws_launch_template')) {
      const metadata = block(template.body, 'metadata_options');
      violations.check(
        metadata.http_tokens === 'required',
        where(template),
        'metadata_options.http_tokens must be "required"',
      );
      violations.check(
        metadata.http_put_response_hop_limit === 1,
        where(template),
        'http_put_response_hop_limit must be 1',
      );
    }
    expect(violations.list).toEqual([]);
  });

  test('every EC2 instance (the NAT) requires IMDSv2 and encrypts its root volume', () => {
    const violations = new Violations();
    for (const instance of resourcesOfType(config, 'aws_instance')) {
      violations.check(
        block(instance.body, 'metadata_options').http_tokens === 'required',
        where(instance),
        'IMDSv2 must be required',
      );
      violations.check(
        block(instance.body, 'root_block_device').encrypted === true,
        where(instance),
        'root volume must be encrypted',
      );
    }
    expect(violations.list).toEqual([]);
  });

  test('every launch template volume is encrypted', () => {
    const violations = new Violations();
    for (const template of resourcesOfType(config, 'aws_launch_template')) {
      const mappings = blocks(template.body, 'block_device_mappings');
      violations.check(
        mappings.length > 0,
        where(template),
        'declare the root volume so its encryption is explicit',
      );
      for (const mapping of mappings) {
        violations.check(
          block(mapping, 'ebs').encrypted === true,
          where(template),
          `${String(mapping.device_name)} must be encrypted`,
        );
      }
    }
    expect(violations.list).toEqual([]);
  });

  test('no instance has an SSH key pair or a public IP on the app tier', () => {
    const violations = new Violations();
    for (const resource of [
      ...resourcesOfType(config, 'aws_launch_template'),
      ...resourcesOfType(config, 'aws_instance'),
    ]) {
      violations.check(
        !('key_name' in resource.body),
        where(resource),
        'key_name is not allowed (use Session Manager)',
      );
    }
    for (const template of resourcesOfType(config, 'aws_launch_template')) {
      for (const nic of blocks(template.body, 'network_interfaces')) {
        violations.check(
          nic.associate_public_ip_address !== true,
          where(template),
          'app instances get no public IP',
        );
      }
    }
    expect(violations.list).toEqual([]);
  });

  test('user data carries no credentials', () => {
    const violations = new Violations();
    const appLocals = config.locals.filter((entry) => entry.dir === 'terraform/modules/app');
    violations.check(
      !SECRET_PATTERN.test(JSON.stringify(appLocals)),
      'terraform/modules/app locals',
      'user data looks like it contains a secret',
    );
    const natUserData = readFileSync(
      path.join(repoRoot, 'terraform/modules/network/nat-user-data.sh'),
      'utf8',
    );
    violations.check(
      !SECRET_PATTERN.test(natUserData),
      'terraform/modules/network/nat-user-data.sh',
      'looks like it contains a secret',
    );
    expect(violations.list).toEqual([]);
  });
});

describe('2. exactly two colours, each with its own launch template, group and target group', () => {
  const colourKeyed = ['aws_launch_template', 'aws_autoscaling_group', 'aws_lb_target_group'];

  test.each(colourKeyed)('%s is created once per colour (for_each over blue and green)', (type) => {
    const violations = new Violations();
    for (const resource of resourcesOfType(config, type)) {
      violations.check(
        resource.body.for_each === '${local.colors}',
        where(resource),
        'for_each must be local.colors',
      );
      violations.check(
        localValue(config, resource.dir, 'colors') === '${toset(["blue", "green"])}',
        where(resource),
        'local.colors must be exactly toset(["blue", "green"])',
      );
    }
    expect(violations.list).toEqual([]);
  });

  test('each group uses its own colour’s launch template (numbered version) and target group, with ELB health checks', () => {
    const violations = new Violations();
    for (const group of resourcesOfType(config, 'aws_autoscaling_group')) {
      const template = block(group.body, 'launch_template');
      violations.check(
        template.id === '${aws_launch_template.app[each.key].id}',
        where(group),
        'launch_template.id must be its colour’s template',
      );
      violations.check(
        template.version === '${aws_launch_template.app[each.key].latest_version}',
        where(group),
        'launch_template.version must be the numbered latest_version, never $Latest/$Default',
      );
      violations.check(
        JSON.stringify(group.body.target_group_arns) ===
          JSON.stringify(['${var.target_group_arns[each.key]}']),
        where(group),
        'target_group_arns must be its colour’s target group only',
      );
      violations.check(
        group.body.health_check_type === 'ELB',
        where(group),
        'health_check_type must be "ELB"',
      );
      violations.check(
        block(group.body, 'lifecycle').create_before_destroy === true &&
          group.body.wait_for_elb_capacity !== undefined,
        where(group),
        'a replacement group must be healthy behind the ALB before the old one is destroyed',
      );
    }
    expect(violations.list).toEqual([]);
  });
});

describe('4. target group health checks', () => {
  test('every target group checks /health/ready and expects 200', () => {
    const violations = new Violations();
    for (const group of resourcesOfType(config, 'aws_lb_target_group')) {
      const check = block(group.body, 'health_check');
      const path =
        expression(check.path) === 'var.health_check_path'
          ? variableDefault(config, group.dir, 'health_check_path')
          : check.path;
      violations.check(
        path === '/health/ready',
        where(group),
        `health check path is ${String(path)}, want /health/ready`,
      );
      violations.check(check.matcher === '200', where(group), 'health check matcher must be "200"');
    }
    expect(violations.list).toEqual([]);
  });
});

describe('5. security groups: CloudFront → ALB → app port, nothing open to the world', () => {
  const ingressRules = () => resourcesOfType(config, 'aws_vpc_security_group_ingress_rule');

  test('no ingress from 0.0.0.0/0 or ::/0, and no SSH/RDP ports', () => {
    const violations = new Violations();
    for (const rule of ingressRules()) {
      violations.check(
        rule.body.cidr_ipv4 !== '0.0.0.0/0' && rule.body.cidr_ipv6 !== '::/0',
        where(rule),
        'ingress open to the internet',
      );
      const from = Number(rule.body.from_port ?? 0);
      const to = Number(rule.body.to_port ?? 65535);
      for (const port of [22, 3389]) {
        violations.check(!(from <= port && port <= to), where(rule), `ingress covers port ${port}`);
      }
    }
    expect(violations.list).toEqual([]);
  });

  test('rules are separate resources: no inline or legacy rules that hide in a group', () => {
    const violations = new Violations();
    for (const group of resourcesOfType(config, 'aws_security_group')) {
      violations.check(
        !('ingress' in group.body) && !('egress' in group.body),
        where(group),
        'use aws_vpc_security_group_*_rule resources',
      );
    }
    violations.check(
      !config.resources.some((resource) => resource.type === 'aws_security_group_rule'),
      'terraform/',
      'aws_security_group_rule is not used',
    );
    expect(violations.list).toEqual([]);
  });

  test('the ALB accepts HTTPS only from CloudFront’s origin-facing prefix list', () => {
    const albRules = ingressRules().filter(
      (rule) => rule.body.security_group_id === '${aws_security_group.alb.id}',
    );
    expect(
      albRules.map((rule) => ({
        rule: where(rule),
        port: rule.body.from_port,
        source: rule.body.prefix_list_id,
      })),
    ).toEqual([
      {
        rule: 'terraform/modules/alb/main.tf aws_vpc_security_group_ingress_rule.https_from_cloudfront',
        port: 443,
        source: '${data.aws_ec2_managed_prefix_list.cloudfront.id}',
      },
    ]);
    const prefixList = config.data.find(
      (data) => data.type === 'aws_ec2_managed_prefix_list' && data.name === 'cloudfront',
    );
    expect(prefixList?.body.name).toBe('com.amazonaws.global.cloudfront.origin-facing');
  });

  test('the instances accept the app port only from the ALB security group', () => {
    const appRules = ingressRules().filter(
      (rule) => rule.body.security_group_id === '${aws_security_group.instance.id}',
    );
    expect(
      appRules.map((rule) => [where(rule), rule.body.referenced_security_group_id, rule.body.from_port]),
    ).toEqual([
      [
        'terraform/modules/app/main.tf aws_vpc_security_group_ingress_rule.app_from_alb',
        '${var.alb_security_group_id}',
        '${var.app_port}',
      ],
    ]);
    const app = config.modules.find(
      (module) => module.dir === 'terraform/modules/stack' && module.name === 'app',
    );
    expect(app?.body.alb_security_group_id).toBe('${module.alb.security_group_id}');
  });

  test('the VPC’s default security group is emptied', () => {
    const [defaultGroup] = resourcesOfType(config, 'aws_default_security_group');
    expect(
      Object.keys(defaultGroup?.body ?? {}).filter((key) => key === 'ingress' || key === 'egress'),
    ).toEqual([]);
  });
});
