import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, PAGES_CSP, consoleCsp, pagesCsp } from '../../../shared/http/content-security.js';
import { FRONT_DOOR_HEADER } from '../../../shared/http/front-door.js';
import { validateTemplate } from '../../support/cfn-schema.js';
import { parseConsoleConfig } from '../../../console/src/config.js';
import { buildApp, type TicketlineApp } from '../../../infra/build-app.js';
import { ConsoleNotBuiltError } from '../../../infra/constructs/front-door.js';
import { readNagFindings } from '../../../infra/nag.js';
import { PUBLIC_POST_PREFIXES, WAF_WINDOW_SECONDS } from '../../../infra/stacks/edge-stack.js';
import { STUB_HANDLER, synthApp, type SynthesisedApp } from '../../support/synth.js';

/*
 * The front door, sign-in wiring and WAF of a prod stage with a custom domain, synthesised with
 * stub handlers (the bundles are checked in stateless-stack.test.ts). The console's config.json
 * is read back from the cloud assembly, its deploy-time values filled in as CloudFormation would,
 * and parsed by the console's own reader.
 */
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
let synth: SynthesisedApp;
let workDir: string;
let built: TicketlineApp;
let stateless: Template;
let stateful: Template;
let edge: Template;

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

beforeAll(() => {
  synth = synthApp('front-door', {
    stubHandlers: true,
    context: {
      stage: 'prod',
      region: 'eu-west-1',
      alarmEmail: 'ops@example.com',
      customDomain: 'help.example.com',
      certificateArn: CERTIFICATE,
      wafRateLimit: '50',
    },
  });
  ({ workDir, built } = synth);
  stateless = Template.fromStack(built.stateless);
  stateful = Template.fromStack(built.stateful);
  edge = Template.fromStack(built.edge!);
}, 600_000);

afterAll(() => synth?.cleanUp());

/** Values CloudFormation would put in place of the tokens, by what they refer to. */
function resolveLike(value: unknown, template: Template): string {
  const v = value as Record<string, unknown>;
  const resources = template.toJSON().Resources as Resources;
  if (v.Ref === 'AWS::Region') return 'eu-west-1';
  if (typeof v.Ref === 'string') {
    const type = resources[v.Ref]?.Type;
    if (type === 'AWS::Cognito::UserPoolClient') return '4v7n2example0client0id00000';
    throw new Error(`unexpected Ref to ${type}`);
  }
  if (Array.isArray(v['Fn::GetAtt'])) {
    const [id, attribute] = v['Fn::GetAtt'] as [string, string];
    if (resources[id]?.Type === 'AWS::CloudFront::Distribution' && attribute === 'DomainName') return 'd111111abcdef8.cloudfront.net';
    throw new Error(`unexpected GetAtt ${id}.${attribute}`);
  }
  if (v['Fn::ImportValue']) return 'ticketline-prod-123456789012';
  throw new Error(`unexpected token ${JSON.stringify(value)}`);
}

function writtenConsoleConfig(): { text: string; resolved: unknown } {
  const deployment = Object.values(stateless.findResources('Custom::CDKBucketDeployment') as Resources)[0]!;
  const props = deployment.Properties as { SourceObjectKeys: string[]; SourceMarkers: Record<string, unknown>[] };
  const assembly = join(workDir, 'cdk.out');
  for (const [i, key] of props.SourceObjectKeys.entries()) {
    const dir = join(assembly, `asset.${key.replace(/\.zip$/, '')}`);
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    if (!files.includes('config.json')) continue;
    const text = readFileSync(join(dir, 'config.json'), 'utf8');
    let filled = text;
    for (const [marker, token] of Object.entries(props.SourceMarkers[i] ?? {})) filled = filled.split(marker).join(resolveLike(token, stateless));
    return { text, resolved: JSON.parse(filled) };
  }
  throw new Error('no config.json among the console upload sources');
}

describe('config.json written by the stack', () => {
  it('is read by the console’s own reader as Cognito sign-in on the same origin', () => {
    const config = parseConsoleConfig(writtenConsoleConfig().resolved);

    expect(config.apiBaseUrl).toBe('');
    expect(config.auth).toEqual({
      kind: 'cognito',
      cognitoDomain: 'https://ticketline-prod-123456789012.auth.eu-west-1.amazoncognito.com',
      clientId: '4v7n2example0client0id00000',
      redirectUri: 'https://help.example.com/console/',
      logoutUri: 'https://help.example.com/console/',
      scopes: ['openid', 'email', 'profile'],
    });
  });

  it('names the app client’s only callback and logout URL as its redirect', () => {
    const config = parseConsoleConfig(writtenConsoleConfig().resolved);
    const client = Object.values(stateless.findResources('AWS::Cognito::UserPoolClient') as Resources)[0]!.Properties!;
    if (config.auth === 'local') throw new Error('expected Cognito sign-in');

    expect(client.CallbackURLs).toEqual([config.auth.redirectUri]);
    expect(client.LogoutURLs).toEqual([config.auth.logoutUri]);
  });

  it('is refused by the reader in the old shape, instead of falling back to local sign-in', () => {
    expect(() => parseConsoleConfig({ apiUrl: 'https://x.execute-api.eu-west-1.amazonaws.com', region: 'eu-west-1', userPoolId: 'p', userPoolClientId: 'c' })).toThrow(
      /apiUrl|Unrecognized/i,
    );
  });
});

describe('Cognito app client', () => {
  const client = () => Object.values(stateless.findResources('AWS::Cognito::UserPoolClient') as Resources)[0]!.Properties!;

  it('exists once in the whole app, with the authorization code grant only', () => {
    expect(Object.keys(stateful.findResources('AWS::Cognito::UserPoolClient'))).toHaveLength(0);
    stateless.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    expect(client().AllowedOAuthFlows).toEqual(['code']);
    expect(JSON.stringify(client())).not.toContain('implicit');
    expect(client().GenerateSecret).toBe(false);
    expect(client().SupportedIdentityProviders).toEqual(['COGNITO']);
  });

  it('calls back only to the real console address, never a placeholder', () => {
    expect(client().CallbackURLs).toEqual(['https://help.example.com/console/']);
    expect(JSON.stringify(client())).not.toMatch(/example\.com\/?"/);
  });

  it('lets users write neither email nor custom attributes', () => {
    const writable = client().WriteAttributes as string[];

    expect(writable).not.toContain('email');
    expect(writable.filter((attribute) => attribute.startsWith('custom:'))).toEqual([]);
  });

  it('renews tokens for a working day', () => {
    expect(client()).toMatchObject({ RefreshTokenValidity: 720, TokenValidityUnits: { RefreshToken: 'minutes' } });
    expect(client().EnableTokenRevocation).toBe(true);
  });

  it('is the audience of the API’s JWT authoriser', () => {
    const clientId = Object.keys(stateless.findResources('AWS::Cognito::UserPoolClient'))[0];
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { JwtConfiguration: { Audience: [{ Ref: clientId }] } });
  });

  it('keeps the original email until a change is verified, and has a managed-login domain per stage and account', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', { UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
    stateful.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: { 'Fn::Join': ['-', ['ticketline-prod', { Ref: 'AWS::AccountId' }]] } });
  });
});

describe('front door', () => {
  const distribution = () => Object.values(stateless.findResources('AWS::CloudFront::Distribution') as Resources)[0]!.Properties!.DistributionConfig as Record<string, unknown>;
  const behaviors = () => distribution().CacheBehaviors as Array<{ PathPattern: string; TargetOriginId: string; AllowedMethods?: string[] }>;
  const origins = () => distribution().Origins as Array<{ Id: string; DomainName: unknown; S3OriginConfig?: unknown }>;

  it('is one distribution in the whole app', () => {
    stateless.resourceCountIs('AWS::CloudFront::Distribution', 1);
    stateful.resourceCountIs('AWS::CloudFront::Distribution', 0);
    edge.resourceCountIs('AWS::CloudFront::Distribution', 0);
  });

  it('sends the API and the customer pages to the HTTP API, the console to its bucket', () => {
    const apiOrigin = origins().find((origin) => JSON.stringify(origin.DomainName).includes('ApiEndpoint') || JSON.stringify(origin.DomainName).includes('Api'))!;
    const bucketOrigin = origins().find((origin) => origin !== apiOrigin)!;
    const target = (pattern: string) => behaviors().find((behavior) => behavior.PathPattern === pattern)?.TargetOriginId;

    expect(origins()).toHaveLength(2);
    for (const pattern of ['/api/*', '/tickets', '/status/*', '/survey/*']) expect(target(pattern)).toBe(apiOrigin.Id);
    expect(target('/console/*')).toBe(bucketOrigin.Id);
    // The customer form is the home page.
    expect((distribution().DefaultCacheBehavior as { TargetOriginId: string }).TargetOriginId).toBe(apiOrigin.Id);
    for (const behavior of behaviors().filter((b) => b.TargetOriginId === apiOrigin.Id)) expect(behavior.AllowedMethods).toContain('POST');
  });

  it('caches nothing from the API and forwards everything but Host', () => {
    const api = behaviors().filter((behavior) => behavior.PathPattern.startsWith('/api'));
    for (const behavior of api) {
      expect(behavior).toMatchObject({
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      });
    }
  });

  it('answers on the custom domain with its certificate and TLS 1.2 at least', () => {
    expect(distribution()).toMatchObject({
      Aliases: ['help.example.com'],
      ViewerCertificate: { AcmCertificateArn: CERTIFICATE, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
    });
  });

  it('puts the custom domain in customer mail links', () => {
    for (const fn of Object.values(stateless.findResources('AWS::Lambda::Function') as Resources).filter((f) => f.Properties?.Runtime === 'nodejs22.x')) {
      const variables = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(JSON.stringify(variables.DESK_CONFIG)).toContain('https://help.example.com');
      expect(JSON.stringify(variables.DESK_CONFIG)).not.toContain('execute-api');
    }
  });

  it('is protected by the edge stack’s web ACL', () => {
    expect(distribution().WebACLId).toBeDefined();
    expect(JSON.stringify(distribution().WebACLId)).toMatch(/WebAcl|ExportsReader|Fn::GetAtt/);
  });
});

describe('AWS WAF (prod)', () => {
  const acl = () => Object.values(edge.findResources('AWS::WAFv2::WebACL') as Resources)[0]!.Properties!;

  it('lives in us-east-1 with CLOUDFRONT scope', () => {
    expect(built.edge!.region).toBe('us-east-1');
    expect(acl().Scope).toBe('CLOUDFRONT');
    expect(acl().DefaultAction).toEqual({ Allow: {} });
  });

  it('blocks a client IP above the configured rate on the public POST routes only, with 429 and Retry-After', () => {
    const rule = (acl().Rules as Array<Record<string, unknown>>)[0] as { Statement: { RateBasedStatement: Record<string, unknown> }; Action: unknown };
    const rate = rule.Statement.RateBasedStatement;
    const scope = JSON.stringify(rate.ScopeDownStatement);

    expect(rate).toMatchObject({ Limit: 50, AggregateKeyType: 'IP', EvaluationWindowSec: WAF_WINDOW_SECONDS });
    expect(scope).toContain('"SearchString":"post"');
    for (const prefix of PUBLIC_POST_PREFIXES) expect(scope).toContain(`"SearchString":"${prefix}"`);
    expect(scope).not.toContain('/api');
    expect(rule.Action).toMatchObject({ Block: { CustomResponse: { ResponseCode: 429, ResponseHeaders: [{ Name: 'retry-after', Value: String(WAF_WINDOW_SECONDS) }] } } });
  });
});

describe('safe defaults', () => {
  it('stops synth with a clear message when the console is not built', () => {
    expect(() =>
      buildApp({ outdir: join(workDir, 'missing'), consoleDistDir: join(workDir, 'no-such-dist'), functionEntry: () => STUB_HANDLER, nag: false }),
    ).toThrow(ConsoleNotBuiltError);
    expect(() => buildApp({ outdir: join(workDir, 'missing2'), consoleDistDir: join(workDir, 'no-such-dist'), functionEntry: () => STUB_HANDLER, nag: false })).toThrow(
      /npm run build:console/,
    );
  });

  it('has no unacknowledged cdk-nag finding with WAF and a custom domain', () => {
    expect(readNagFindings(join(workDir, 'cdk.out')).map((finding) => `${finding.rule} ${finding.path}`)).toEqual([]);
  });
});

describe('CloudFormation resource schemas (prod, every stack)', () => {
  it('knows every resource type and property, and every literal has its property’s type', () => {
    const reports = [stateful, stateless, edge].map((template) => validateTemplate(template.toJSON()));
    expect(reports.flatMap((report) => report.issues)).toEqual([]);
    // Everything but custom resources was checked: the distribution, WAF, user pool client among them.
    const types = new Set(reports.flatMap((report) => [...report.types]));
    for (const type of ['AWS::CloudFront::Distribution', 'AWS::CloudFront::ResponseHeadersPolicy', 'AWS::WAFv2::WebACL', 'AWS::Cognito::UserPoolClient', 'AWS::DynamoDB::GlobalTable', 'AWS::Lambda::Function']) {
      expect(types).toContain(type);
    }
    expect(reports.reduce((sum, report) => sum + report.checked, 0)).toBeGreaterThan(100);
  });

  it('catches what it should: an unknown property, a missing required one, a wrong literal type', () => {
    const bad = validateTemplate({
      Resources: {
        Q: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon', Colour: 'red' } },
        T: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'email' } },
        X: { Type: 'AWS::Nope::Thing', Properties: {} },
      },
    });
    expect(bad.issues).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Q (AWS::SQS::Queue).VisibilityTimeout: expected integer'),
        expect.stringContaining('Q (AWS::SQS::Queue).Colour: not a property'),
        expect.stringContaining('T (AWS::SNS::Subscription).TopicArn: required but missing'),
        'X: unknown resource type AWS::Nope::Thing',
      ]),
    );
  });
});

describe('Content-Security-Policy at the front door', () => {
  const policies = () => Object.values(stateless.findResources('AWS::CloudFront::ResponseHeadersPolicy')) as Array<{ Properties: { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } } } } }>;
  /** The policy as text; a deploy-time value (the mail bucket's host, imported from the stateful stack) reads `BUCKET_HOST`. */
  const cspOf = (policy: ReturnType<typeof policies>[number]): string => {
    const value = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
    if (typeof value === 'string') return value;
    const [separator, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return parts.map((part) => (typeof part === 'string' ? part : 'BUCKET_HOST')).join(separator);
  };
  /** What the console's policy must be: the module's, with the mail bucket's regional and global hosts for presigned attachment links. */
  const CONSOLE_ON_AWS = consoleCsp({ fileOrigins: ['https://BUCKET_HOST', 'https://BUCKET_HOST'] });
  /** The pages' policy: the status page's file form posts to the same bucket hosts. */
  const PAGES_ON_AWS = pagesCsp({ fileOrigins: ['https://BUCKET_HOST', 'https://BUCKET_HOST'] });

  it('sends the console’s policy on /console/* and the pages’ policy on the API and customer pages: the module’s strings', () => {
    expect(policies().map(cspOf).sort()).toEqual([CONSOLE_ON_AWS, PAGES_ON_AWS].sort());
    expect(PAGES_ON_AWS).toContain("form-action 'self' https://BUCKET_HOST");
    const distribution = Object.values(stateless.findResources('AWS::CloudFront::Distribution'))[0] as { Properties: { DistributionConfig: { DefaultCacheBehavior: { ResponseHeadersPolicyId: unknown }; CacheBehaviors: Array<{ PathPattern: string; ResponseHeadersPolicyId: unknown }> } } };
    const config = distribution.Properties.DistributionConfig;
    const idOf = (csp: string) => ({ Ref: Object.entries(stateless.findResources('AWS::CloudFront::ResponseHeadersPolicy')).find(([, policy]) => cspOf(policy as never) === csp)![0] });
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual(idOf(PAGES_ON_AWS));
    for (const behavior of config.CacheBehaviors) {
      expect([behavior.PathPattern, behavior.ResponseHeadersPolicyId]).toEqual([behavior.PathPattern, idOf(behavior.PathPattern.startsWith('/console') ? CONSOLE_ON_AWS : PAGES_ON_AWS)]);
    }
  });

  it('lets the console preview images from, and upload to, the mail bucket by presigned URL, and nothing else foreign', () => {
    const consolePolicy = policies().find((policy) => cspOf(policy).includes("script-src 'self'"))!;
    const imports = JSON.stringify(consolePolicy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    // Both hosts are the stateful stack's mail bucket: https://<bucket>.s3.<region>.amazonaws.com and https://<bucket>.s3.amazonaws.com.
    expect(imports).toMatch(/Mail[A-Za-z0-9]*RegionalDomainName/);
    expect(imports).toMatch(/Mail[A-Za-z0-9]*DomainName/);
    expect(cspOf(consolePolicy)).toContain("img-src 'self' data: blob: https://BUCKET_HOST https://BUCKET_HOST;");
    expect(cspOf(consolePolicy)).toContain('connect-src \'self\' https://*.amazoncognito.com https://BUCKET_HOST https://BUCKET_HOST;');
    expect(CONSOLE_CSP).not.toContain('s3');
  });

  it('allows no inline or foreign script anywhere', () => {
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONSOLE_ON_AWS).toContain("script-src 'self';");
    expect(PAGES_CSP).toContain("default-src 'none'");
    expect(PAGES_CSP).not.toContain('script-src');
    for (const csp of [CONSOLE_CSP, CONSOLE_ON_AWS, PAGES_CSP]) expect(csp).toContain("frame-ancestors 'none'");
  });
});

describe('the API’s own address (execute-api) is closed to anyone but the front door', () => {
  type Fn = { Properties: { Description?: string; Environment?: { Variables: Record<string, unknown> } } };
  const functions = () => Object.values(stateless.findResources('AWS::Lambda::Function') as Record<string, Fn>);
  const secretRef = () => {
    const secrets = Object.entries(stateless.findResources('AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(1);
    return secrets[0]![0];
  };

  it('has CloudFront send a generated secret in x-ticketline-origin to the API origin only', () => {
    const distribution = Object.values(stateless.findResources('AWS::CloudFront::Distribution'))[0] as { Properties: { DistributionConfig: { Origins: Array<{ S3OriginConfig?: unknown; OriginCustomHeaders?: Array<{ HeaderName: string; HeaderValue: unknown }> }> } } };
    const all = distribution.Properties.DistributionConfig.Origins;
    const apiOrigin = all.find((origin) => origin.S3OriginConfig === undefined);
    const others = all.filter((origin) => origin !== apiOrigin);
    expect(apiOrigin?.OriginCustomHeaders).toEqual([{ HeaderName: FRONT_DOOR_HEADER, HeaderValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretRef() }, ':SecretString:::}}']] } }]);
    for (const origin of others) expect(origin.OriginCustomHeaders).toBeUndefined();
    const secret = Object.values(stateless.findResources('AWS::SecretsManager::Secret'))[0] as { Properties: { GenerateSecretString: { PasswordLength: number; ExcludePunctuation: boolean } } };
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
  });

  it('gives the same secret to exactly the three functions behind the HTTP API, which refuse requests without it', () => {
    const checking = functions().filter((fn) => fn.Properties.Environment?.Variables.ORIGIN_VERIFY !== undefined);
    expect(checking.map((fn) => fn.Properties.Description).sort()).toEqual(['Agent console API (JWT-protected)', 'Customer status page and satisfaction survey', 'Web form intake: POST /tickets and the form page']);
    for (const fn of checking) expect(fn.Properties.Environment?.Variables.ORIGIN_VERIFY).toEqual({ 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretRef() }, ':SecretString:::}}']] });
  });
});

describe('the runbook (docs/operations.md) names outputs the stacks have', () => {
  it('lists every output of the three prod stacks, and each output it names exists in the stack it says', () => {
    const operations = readFileSync(resolve('docs/operations.md'), 'utf8');
    const table = operations.slice(operations.indexOf('| stack | output | used in |'), operations.indexOf('### Custom domain'));
    const named = table
      .split('\n')
      .slice(2)
      .filter((line) => line.startsWith('|'))
      .flatMap((line) => {
        const [stack, outputs] = line.split('|').slice(1, 3).map((cell) => cell.trim());
        return [...(outputs ?? '').matchAll(/`([A-Za-z0-9]+)`/g)].map((match) => ({ stack: (stack ?? '').split(' ')[0], output: match[1] as string }));
      });
    const byStack: Record<string, Template> = { Stateless: stateless, Stateful: stateful, Edge: edge };
    const outputsOf = (template: Template) => Object.keys(template.toJSON().Outputs ?? {}).filter((name) => !name.startsWith('ExportsOutput'));
    expect(named.length).toBeGreaterThan(15);
    for (const { stack, output } of named) expect(outputsOf(byStack[stack as string] as Template), `${stack} ${output}`).toContain(output);
    for (const [stack, template] of Object.entries(byStack)) {
      for (const output of outputsOf(template)) expect(named, `${stack} output ${output} is not in the runbook`).toContainEqual({ stack, output });
    }
  });
});
