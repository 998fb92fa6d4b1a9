// Checklist §6 items 3, 6 and 7 (infra.md): the ALB listeners and blue/green switch, the
// CloudFront distribution, and WAF. Each violation names the file and resource.
import {
  block,
  blocks,
  type HclBody,
  loadTerraform,
  localValue,
  resourcesOfType,
  variableDefault,
  Violations,
  where,
} from './support/hcl.js';
import { consoleHeaders } from '../../src/console-api/console-headers.js';

const config = await loadTerraform();
const ALB_DIR = 'terraform/modules/alb';
const EDGE_DIR = 'terraform/modules/edge';
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

function resource(type: string, name: string) {
  const found = resourcesOfType(config, type).find((candidate) => candidate.name === name);
  if (!found) throw new Error(`${type}.${name} not found`);
  return found;
}

describe('3. load balancer and the blue/green switch', () => {
  test('the ALB drops invalid headers, logs access and is deletion-protected by default', () => {
    const alb = resource('aws_lb', 'this');
    const violations = new Violations();
    violations.check(
      alb.body.drop_invalid_header_fields === true,
      where(alb),
      'drop_invalid_header_fields must be true',
    );
    violations.check(
      block(alb.body, 'access_logs').enabled === true,
      where(alb),
      'access logs must be enabled',
    );
    violations.check(
      alb.body.enable_deletion_protection === '${var.deletion_protection}',
      where(alb),
      'deletion protection must be wired',
    );
    violations.check(
      variableDefault(config, ALB_DIR, 'deletion_protection') === true,
      where(alb),
      'deletion protection defaults to true',
    );
    violations.check(
      variableDefault(config, 'terraform/envs/production', 'alb_deletion_protection') === true,
      'terraform/envs/production/variables.tf',
      'production keeps ALB deletion protection on',
    );
    expect(violations.list).toEqual([]);
  });

  test('HTTPS uses a TLS 1.3 policy and refuses requests without the CloudFront origin secret', () => {
    const https = resource('aws_lb_listener', 'https');
    const action = block(https.body, 'default_action');
    expect({
      policy: String(https.body.ssl_policy).startsWith('ELBSecurityPolicy-TLS13-'),
      defaultAction: action.type,
      status: block(action, 'fixed_response').status_code,
    }).toEqual({ policy: true, defaultAction: 'fixed-response', status: '403' });
  });

  test('plain HTTP only redirects to HTTPS', () => {
    const http = resource('aws_lb_listener', 'http');
    const action = block(http.body, 'default_action');
    expect({ type: action.type, protocol: block(action, 'redirect').protocol }).toEqual({
      type: 'redirect',
      protocol: 'HTTPS',
    });
  });

  test('every forwarding rule requires the origin secret; live traffic is split by weights from active_color', () => {
    const violations = new Violations();
    for (const rule of resourcesOfType(config, 'aws_lb_listener_rule')) {
      const headers = blocks(rule.body, 'condition').flatMap((condition) => blocks(condition, 'http_header'));
      const names = headers.map((header) => header.http_header_name);
      violations.check(
        names.includes('${local.origin_verify_header}'),
        where(rule),
        'must match the CloudFront origin secret header',
      );
      const action = block(rule.body, 'action');
      const targets = blocks(block(action, 'forward'), 'target_group');
      const isPreview = names.includes('${local.preview_token_header}');
      violations.check(
        isPreview ||
          (targets.length > 0 &&
            targets.every((target) => target.weight === '${local.traffic_weights[target_group.key]}')),
        where(rule),
        'a rule without the preview token must use the weighted forward over both colours',
      );
    }
    const weights = localValue(config, ALB_DIR, 'traffic_weights') as HclBody;
    violations.check(
      JSON.stringify(weights) ===
        JSON.stringify({
          '${(local.inactive_color)}': '${var.canary_weight}',
          '${(var.active_color)}': '${100 - var.canary_weight}',
        }),
      `${ALB_DIR} local.traffic_weights`,
      'the active colour gets 100 - canary_weight, the inactive colour canary_weight',
    );
    expect(violations.list).toEqual([]);
  });

  test.each(['terraform/envs/production', 'terraform/envs/staging', 'terraform/modules/stack', ALB_DIR])(
    '%s validates active_color to blue|green',
    (dir) => {
      const variable = config.variables.find(
        (candidate) => candidate.dir === dir && candidate.name === 'active_color',
      );
      expect(block(variable?.body, 'validation').condition).toBe(
        '${contains(["blue", "green"], var.active_color)}',
      );
    },
  );
});

describe('6. CloudFront: HTTPS only, modern TLS, security headers, origin locked to CloudFront', () => {
  const distribution = () => resource('aws_cloudfront_distribution', 'this');
  const behaviours = () => [
    block(distribution().body, 'default_cache_behavior'),
    ...blocks(distribution().body, 'ordered_cache_behavior'),
  ];

  test('the distribution has a web ACL and a TLSv1.2_2021 SNI certificate', () => {
    const body = distribution().body;
    const certificate = block(body, 'viewer_certificate');
    expect({
      webAcl: body.web_acl_id,
      minimumTls: certificate.minimum_protocol_version,
      sni: certificate.ssl_support_method,
    }).toEqual({ webAcl: '${aws_wafv2_web_acl.this.arn}', minimumTls: 'TLSv1.2_2021', sni: 'sni-only' });
  });

  test('every behaviour is HTTPS-only for viewers and sends the security headers', () => {
    const violations = new Violations();
    for (const behaviour of behaviours()) {
      const name = `${where(distribution())} behaviour ${String(behaviour.path_pattern ?? 'default')}`;
      violations.check(
        ['redirect-to-https', 'https-only'].includes(String(behaviour.viewer_protocol_policy)),
        name,
        'viewer_protocol_policy must force HTTPS',
      );
      // The console gets its own policy: the security headers plus the CSP the app sends for /console.
      const expected = String(behaviour.path_pattern ?? '').startsWith('/console/') ? 'console' : 'security';
      violations.check(
        behaviour.response_headers_policy_id === `\${aws_cloudfront_response_headers_policy.${expected}.id}`,
        name,
        `response_headers_policy_id must be the ${expected} headers policy`,
      );
    }
    expect(violations.list).toEqual([]);
  });

  test('/mcp and /webhooks/* reach the app uncached with all viewer headers', () => {
    const paths = localValue(config, EDGE_DIR, 'uncached_app_paths');
    const dynamic = blocks(distribution().body, 'ordered_cache_behavior').find(
      (b) => b.path_pattern === '${ordered_cache_behavior.value}',
    );
    expect({ paths, cache: dynamic?.cache_policy_id, origin: dynamic?.origin_request_policy_id }).toEqual({
      paths: ['/mcp', '/mcp/*', '/webhooks/*'],
      cache: '${local.managed_cache_policy_caching_disabled}',
      origin: '${local.managed_origin_request_all_viewer_except_host}',
    });
    expect(localValue(config, EDGE_DIR, 'managed_cache_policy_caching_disabled')).toBe(CACHING_DISABLED);
    expect(localValue(config, EDGE_DIR, 'managed_origin_request_all_viewer_except_host')).toBe(
      ALL_VIEWER_EXCEPT_HOST,
    );
  });

  test('console assets come from S3: hashed assets long-cached, the shell for at most 5 minutes', () => {
    const byPath = Object.fromEntries(behaviours().map((b) => [String(b.path_pattern), b]));
    const shellPolicy = resource('aws_cloudfront_cache_policy', 'console_shell');
    expect({
      assetsOrigin: byPath['/console/assets/*']?.target_origin_id,
      assetsPolicy: byPath['/console/assets/*']?.cache_policy_id,
      shellOrigin: byPath['/console/*']?.target_origin_id,
      shellMaxTtl: Number(shellPolicy.body.max_ttl) <= 300,
    }).toEqual({
      assetsOrigin: '${local.static_origin_id}',
      assetsPolicy: '${local.managed_cache_policy_caching_optimized}',
      shellOrigin: '${local.static_origin_id}',
      shellMaxTtl: true,
    });
  });

  test.each(['security', 'console'])(
    'the %s response headers policy sets HSTS (≥ 1 year), nosniff and frame DENY',
    (name) => {
      const policy = resource('aws_cloudfront_response_headers_policy', name);
      const headers = block(policy.body, 'security_headers_config');
      expect({
        hsts: Number(block(headers, 'strict_transport_security').access_control_max_age_sec) >= 31_536_000,
        nosniff: 'content_type_options' in headers,
        frame: block(headers, 'frame_options').frame_option,
      }).toEqual({ hsts: true, nosniff: true, frame: 'DENY' });
    },
  );

  describe('the console gets the same headers from CloudFront as from the app', () => {
    const policy = () => resource('aws_cloudfront_response_headers_policy', 'console');
    const SUPABASE = 'https://abcdefgh.supabase.co';

    /** The edge's CSP with its connect-src filled in the way Terraform does for a given supabase_url. */
    function edgeCsp(supabaseUrl: string): string {
      const template = String(localValue(config, EDGE_DIR, 'console_csp'));
      const connect = ["'self'", ...(supabaseUrl ? [/^https:\/\/[^/]+/.exec(supabaseUrl)?.[0]] : [])];
      expect(template).toContain('${local.console_connect_src}');
      return template.replace('${local.console_connect_src}', connect.join(' '));
    }

    test("the CSP is the app's, with and without a Supabase project", () => {
      expect(edgeCsp('')).toBe(consoleHeaders({ SUPABASE_URL: undefined })['Content-Security-Policy']);
      expect(edgeCsp(`${SUPABASE}/`)).toBe(
        consoleHeaders({ SUPABASE_URL: `${SUPABASE}/` })['Content-Security-Policy'],
      );
      const connectSrc = String(localValue(config, EDGE_DIR, 'console_connect_src'));
      expect(connectSrc).toContain("'self'");
      expect(connectSrc).toContain('var.supabase_url');
    });

    test("the policy sends that CSP, overriding the origin, with the app's referrer and opener policies", () => {
      const headers = block(policy().body, 'security_headers_config');
      const app = consoleHeaders({ SUPABASE_URL: undefined });
      const custom = blocks(block(policy().body, 'custom_headers_config'), 'items');
      expect({
        csp: block(headers, 'content_security_policy'),
        referrer: block(headers, 'referrer_policy').referrer_policy,
        opener: custom.find((h) => h.header === 'Cross-Origin-Opener-Policy')?.value,
      }).toEqual({
        csp: { content_security_policy: '${local.console_csp}', override: true },
        referrer: app['Referrer-Policy'],
        opener: app['Cross-Origin-Opener-Policy'],
      });
    });

    test('the stack and both environments pass supabase_url through to the edge', () => {
      const passes = (dir: string, name: string) =>
        config.modules.find((m) => m.dir === dir && m.name === name)?.body.supabase_url;
      expect({
        stack: passes('terraform/modules/stack', 'edge'),
        production: passes('terraform/envs/production', 'stack'),
        staging: passes('terraform/envs/staging', 'stack'),
      }).toEqual({
        stack: '${var.supabase_url}',
        production: '${var.supabase_url}',
        staging: '${var.supabase_url}',
      });
    });
  });

  test('the app origin is HTTPS-only and carries the secret header the ALB checks', () => {
    const origins = blocks(distribution().body, 'origin');
    const app = origins.find((origin) => 'custom_origin_config' in origin);
    const stackEdge = config.modules.find(
      (module) => module.dir === 'terraform/modules/stack' && module.name === 'edge',
    );
    expect({
      protocol: block(app, 'custom_origin_config').origin_protocol_policy,
      tls: block(app, 'custom_origin_config').origin_ssl_protocols,
      header: block(app, 'custom_header').name,
      wiredFromAlb: stackEdge?.body.origin_verify_header,
      albHeader: localValue(config, ALB_DIR, 'origin_verify_header'),
      s3UsesOac: origins.some(
        (origin) => origin.origin_access_control_id === '${aws_cloudfront_origin_access_control.static.id}',
      ),
    }).toEqual({
      protocol: 'https-only',
      tls: ['TLSv1.2'],
      header: '${var.origin_verify_header}',
      wiredFromAlb: '${module.alb.origin_verify_header}',
      albHeader: 'X-Origin-Verify',
      s3UsesOac: true,
    });
  });
});

describe('7. WAF: CLOUDFRONT scope in us-east-1, managed rules, per-IP rate limit, logging', () => {
  const acl = () => resource('aws_wafv2_web_acl', 'this');
  const rules = () => blocks(acl().body, 'rule');

  test('the web ACL is CLOUDFRONT-scoped through the us-east-1 provider', () => {
    expect({ scope: acl().body.scope, provider: acl().body.provider }).toEqual({
      scope: 'CLOUDFRONT',
      provider: '${aws.us_east_1}',
    });
  });

  test('IP reputation, common and known-bad-inputs managed rule groups are on', () => {
    const groups = Object.keys(localValue(config, EDGE_DIR, 'managed_rule_groups') as HclBody);
    expect(groups.sort()).toEqual(
      [
        'AWSManagedRulesAmazonIpReputationList',
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
      ].sort(),
    );
    const managed = rules().find((rule) => rule.name === '${rule.key}');
    expect(block(block(managed, 'statement'), 'managed_rule_group_statement').name).toBe('${rule.key}');
  });

  test('a per-IP rate rule allows 100 requests per 60 s (AWS minimum limit is 10)', () => {
    const rate = rules()
      .map((rule) => block(block(rule, 'statement'), 'rate_based_statement'))
      .find((statement) => 'limit' in statement);
    const limit = variableDefault(config, EDGE_DIR, 'waf_rate_limit_per_minute');
    expect({
      limit: rate?.limit,
      defaultLimit: limit,
      window: [60, 120, 300, 600].includes(Number(rate?.evaluation_window_sec))
        ? rate?.evaluation_window_sec
        : 'invalid',
      key: rate?.aggregate_key_type,
    }).toEqual({ limit: '${var.waf_rate_limit_per_minute}', defaultLimit: 100, window: 60, key: 'IP' });
  });

  test('internal paths (/metrics, /admin) are blocked at the edge', () => {
    expect(variableDefault(config, EDGE_DIR, 'blocked_path_prefixes')).toEqual(['/metrics', '/admin']);
    const blocking = rules().find((rule) => rule.name === 'BlockInternalPaths');
    expect(Object.keys(block(blocking, 'action'))).toEqual(['block']);
  });

  test('metrics are on for the ACL and every rule', () => {
    const violations = new Violations();
    for (const body of [acl().body, ...rules()]) {
      violations.check(
        block(body, 'visibility_config').cloudwatch_metrics_enabled === true,
        `${where(acl())} ${String(body.name ?? 'web ACL')}`,
        'cloudwatch_metrics_enabled must be true',
      );
    }
    expect(violations.list).toEqual([]);
  });

  test('WAF logs to an aws-waf-logs- group with the Authorization header redacted', () => {
    const logging = resource('aws_wafv2_web_acl_logging_configuration', 'this');
    const group = resource('aws_cloudwatch_log_group', 'waf');
    expect({
      acl: logging.body.resource_arn,
      prefix: String(group.body.name).startsWith('aws-waf-logs-'),
      redacted: blocks(logging.body, 'redacted_fields').map((field) => block(field, 'single_header').name),
    }).toEqual({
      acl: '${aws_wafv2_web_acl.this.arn}',
      prefix: true,
      redacted: ['authorization', '${lower(var.preview_token_header)}'],
    });
  });
});
