import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_ALARMS } from '../../../cost/model.js';
import { PROJECT_ROOT, type TicketlineApp } from '../../../infra/build-app.js';
import { bundleSizes, type BundleSize } from '../../../infra/bundle-sizes.js';
import { SLA_METRIC } from '../../../infra/constructs/monitoring.js';
import { ESM_REQUIRE_BANNER, SDK_NEVER_LOADED_ON_LAMBDA } from '../../../infra/constructs/ticketline-function.js';
import { FUNCTION_NAMES, TABLE_ACCESS } from '../../../infra/functions.js';
import { validateTemplate } from '../../support/cfn-schema.js';
import { type NagFinding } from '../../../infra/nag.js';
import { AGENT_PROVISIONING_ACTIONS, API_THROTTLE, DEAD_LETTER_REPLAY_ACTIONS, SWEEPER_SCHEDULE, WEEKLY_REPORT_SCHEDULE } from '../../../infra/stacks/stateless-stack.js';
import { synthApp, type SynthesisedApp } from '../../support/synth.js';

/*
 * One synth of the whole app, as `npm run synth` does it: the real function entries bundled with
 * esbuild, cdk-nag on, and a built console so the upload path is checked too. Every test below
 * reads that single cloud assembly.
 */
let synth: SynthesisedApp;
let built: TicketlineApp;
let template: Template;
let findings: NagFinding[];
let sizes: BundleSize[];

type Resources = Record<string, { Properties?: Record<string, unknown> }>;
const resources = (type: string): Resources => template.findResources(type) as Resources;

beforeAll(() => {
  synth = synthApp('infra', { context: { alarmEmail: 'ops@example.com', timeZone: 'Europe/Berlin' } });
  ({ built, findings } = synth);
  template = Template.fromStack(built.stateless);
  sizes = bundleSizes(built.stateless, synth.assembly);
}, 600_000);

afterAll(() => synth?.cleanUp());

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding', () => {
    expect(findings.map((finding) => `${finding.rule} ${finding.path}`)).toEqual([]);
  });
});

describe('functions', () => {
  it('are eight, each on nodejs22.x and arm64 with active tracing and JSON logs', () => {
    const functions = Object.values(resources('AWS::Lambda::Function')).filter((fn) => fn.Properties?.Runtime === 'nodejs22.x');

    expect(functions).toHaveLength(FUNCTION_NAMES.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: expect.objectContaining({ LogFormat: 'JSON' }),
      });
    }
  });

  it('run on nodejs22.x on arm64 everywhere except CDK helper functions', () => {
    const others = Object.values(resources('AWS::Lambda::Function')).filter((fn) => fn.Properties?.Runtime !== 'nodejs22.x');

    // Only the BucketDeployment's own upload function (Python) is allowed besides ours.
    expect(others.map((fn) => String(fn.Properties?.Runtime))).toEqual([expect.stringMatching(/^python/)]);
  });

  it('write to log groups with the configured retention', () => {
    const groups = Object.values(resources('AWS::Logs::LogGroup'));

    expect(groups.length).toBeGreaterThanOrEqual(FUNCTION_NAMES.length);
    for (const group of groups) expect(group.Properties?.RetentionInDays).toBe(built.config.logRetentionDays);
  });

  it('receive the table, queue and desk configuration in their environment', () => {
    for (const fn of Object.values(resources('AWS::Lambda::Function')).filter((f) => f.Properties?.Runtime === 'nodejs22.x')) {
      const variables = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(variables)).toEqual(
        expect.arrayContaining(['TABLE_NAME', 'NOTIFICATION_QUEUE_URL', 'MAIL_BUCKET', 'REPORT_BUCKET', 'DESK_CONFIG', 'SURVEY_KEY_PARAMETER', 'SES_CONFIGURATION_SET', 'STAGE', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL']),
      );
      expect(JSON.stringify(variables.DESK_CONFIG)).toContain('Europe/Berlin');
    }
  });

  it('reserve no concurrency unless configured (a new account has none to spare)', () => {
    for (const fn of Object.values(resources('AWS::Lambda::Function'))) expect(fn.Properties?.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('bound the notifier by its event source concurrency instead', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: built.config.notifierConcurrency } });
  });

  it('are ESM bundles with the require banner and their SDK clients bundled in', () => {
    for (const size of sizes) {
      const code = readFileSync(join(size.assetDir, 'index.mjs'), 'utf8');
      expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      // Only the credential providers Lambda never reaches are left to the runtime's SDK.
      const external = [...code.matchAll(/(?:from|import\()\s*["'](@aws-sdk\/[^"']+)["']/g)].map((match) => match[1]);
      expect(external.filter((specifier) => !SDK_NEVER_LOADED_ON_LAMBDA.includes(specifier as string))).toEqual([]);
      expect(code).toMatch(/DynamoDB_20120810/);
      expect(size.sourceMapBytes).toBeGreaterThan(0);
    }
  });
});

describe('permissions', () => {
  const policyStatements = (): { Action: string | string[]; Resource: unknown }[] =>
    Object.values(resources('AWS::IAM::Policy')).flatMap(
      (policy) => (policy.Properties?.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement,
    );

  it('never grant a wildcard action', () => {
    const actions = policyStatements().flatMap((statement) => [statement.Action].flat());

    expect(actions.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
  });

  it('never allow data actions on every resource', () => {
    const onEverything = policyStatements().filter((statement) => statement.Resource === '*');
    const dataActions = onEverything.flatMap((statement) => [statement.Action].flat()).filter((action) => /^(dynamodb|s3|sqs|secretsmanager|ses):/.test(action));

    expect(dataActions).toEqual([]);
  });

  it('let only the notifier send mail, from the domain identity and configuration set', () => {
    const sends = policyStatements().filter((statement) => [statement.Action].flat().some((action) => action.startsWith('ses:Send')));

    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ Action: 'ses:SendRawEmail', Condition: { StringLike: { 'ses:FromAddress': '*@support.example.com' } } });
    expect(JSON.stringify(sends[0]?.Resource)).toContain(':identity/support.example.com');
  });
});

describe('least privilege per function (issue 19 item 6)', () => {
  type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
  /** The statements of a function's role (its inline policies and the policies attached to it), found by the role's description. */
  const statementsOf = (name: string): Statement[] => {
    const roles = Object.entries(resources('AWS::IAM::Role')).filter(([, role]) => String(role.Properties?.Description ?? '').endsWith(` ${name}`));
    expect(roles, `role of ${name}`).toHaveLength(1);
    const [roleId, role] = roles[0]!;
    const inline = ((role.Properties?.Policies ?? []) as Array<{ PolicyDocument: { Statement: Statement[] } }>).flatMap((policy) => policy.PolicyDocument.Statement);
    return [
      ...inline,
      ...Object.values(resources('AWS::IAM::Policy'))
        .filter((policy) => JSON.stringify(policy.Properties?.Roles).includes(`"${roleId}"`))
        .flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement),
    ];
  };
  const actionsOf = (name: string, prefix: string) => [...new Set(statementsOf(name).flatMap((statement) => [statement.Action].flat()).filter((action) => action.startsWith(prefix)))].sort();

  it.each(FUNCTION_NAMES)('%s holds exactly the table actions its code issues, and no function scans or batch-writes', (name) => {
    const expected = [...TABLE_ACCESS[name].actions, ...(TABLE_ACCESS[name].deleteOnlyInTicketPartitions ? ['DeleteItem'] : [])].map((action) => `dynamodb:${action}`);
    expect(actionsOf(name, 'dynamodb:')).toEqual([...new Set(expected)].sort());
    expect(actionsOf(name, 'dynamodb:')).not.toContain('dynamodb:Scan');
    expect(actionsOf(name, 'dynamodb:')).not.toContain('dynamodb:BatchWriteItem');
  });

  it('lets the public functions (form, survey, SES events) delete nothing outside ticket partitions, and the form nothing at all', () => {
    expect(actionsOf('form-intake', 'dynamodb:')).not.toContain('dynamodb:DeleteItem');
    for (const name of ['survey', 'ses-events']) {
      const deletes = statementsOf(name).filter((statement) => [statement.Action].flat().includes('dynamodb:DeleteItem'));
      expect(deletes).toEqual([expect.objectContaining({ Action: 'dynamodb:DeleteItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TICKET#*'] } } })]);
    }
  });

  it('confines the form’s writes to its own partitions (no directory, settings or suppression writes from the public form)', () => {
    const writes = statementsOf('form-intake').filter((statement) => [statement.Action].flat().some((action) => ['dynamodb:PutItem', 'dynamodb:UpdateItem'].includes(action)));
    expect(writes).toEqual([
      expect.objectContaining({ Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...(TABLE_ACCESS['form-intake'].writesOnlyIn ?? [])] } } }),
    ]);
    expect(TABLE_ACCESS['form-intake'].writesOnlyIn).not.toContain('*');
  });

  it('gives the agent API no link key, mail-bucket reads for downloads and held raw mail, and writes only under uploads/ and attachments/', () => {
    expect(actionsOf('agent-api', 'secretsmanager:')).toEqual([]);
    const s3 = statementsOf('agent-api').filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')));
    const writes = s3.filter((statement) => [statement.Action].flat().includes('s3:PutObject'));
    expect(writes.map((statement) => JSON.stringify(statement.Resource))).toEqual([expect.stringContaining('/uploads/*'), expect.stringContaining('/attachments/*')]);
    expect(s3.flatMap((statement) => [statement.Action].flat()).filter((action) => !['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:DeleteObject'].includes(action))).toEqual([]);
    // Deleting: only its own copies of a refused reply's files, under attachments/.
    const deletes = s3.filter((statement) => [statement.Action].flat().includes('s3:DeleteObject'));
    expect(deletes.map((statement) => JSON.stringify(statement.Resource))).toEqual([expect.stringContaining('/attachments/*')]);
    for (const name of FUNCTION_NAMES.filter((candidate) => candidate !== 'agent-api')) expect(actionsOf(name, 's3:DeleteObject')).toEqual([]);
    const lists = s3.filter((statement) => [statement.Action].flat().includes('s3:ListBucket') && JSON.stringify(statement.Condition).includes('uploads/'));
    expect(lists).toHaveLength(1);
    expect(actionsOf('survey', 'secretsmanager:')).toContain('secretsmanager:GetSecretValue');
  });

  it('lets inbound-email read raw mail and write, stream (multipart, aborted on failure) and read attachments, nothing more in S3', () => {
    const s3 = statementsOf('inbound-email').filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')));
    const byResource = s3.map((statement) => ({ resource: JSON.stringify(statement.Resource), actions: [statement.Action].flat().sort() }));
    expect(byResource).toEqual([
      { resource: expect.stringContaining('/inbound/*'), actions: ['s3:GetObject'] },
      { resource: expect.stringContaining('/attachments/*'), actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'] },
    ]);
  });

  it('lets only the agent API count and replay the two SQS dead-letter queues, moving letters back only to their own source queues', () => {
    const replay = statementsOf('agent-api').filter((statement) => [statement.Action].flat().includes('sqs:StartMessageMoveTask'));
    expect(replay).toHaveLength(1);
    expect([replay[0]!.Action].flat().sort()).toEqual(DEAD_LETTER_REPLAY_ACTIONS.map((action) => `sqs:${action}`).sort());
    expect(JSON.stringify(replay[0]!.Resource)).toMatch(/InboundDlq.*NotificationDlq|NotificationDlq.*InboundDlq/);
    // Receiving or deleting messages: on the dead-letter queues only, never on a working queue.
    for (const statement of statementsOf('agent-api').filter((candidate) => [candidate.Action].flat().some((action) => action === 'sqs:ReceiveMessage' || action === 'sqs:DeleteMessage'))) {
      expect(statement).toBe(replay[0]);
    }
    const sendBack = statementsOf('agent-api').filter((statement) => [statement.Action].flat().includes('sqs:SendMessage') && /Inbound[0-9A-F]{8}Arn/.test(JSON.stringify(statement.Resource)));
    expect(sendBack).toHaveLength(1);
    for (const name of FUNCTION_NAMES.filter((candidate) => candidate !== 'agent-api')) expect(actionsOf(name, 'sqs:StartMessageMoveTask')).toEqual([]);
    const agentApi = Object.values(resources('AWS::Lambda::Function')).find((fn) => fn.Properties?.Description === 'Agent console API (JWT-protected)')!;
    const variables = (agentApi.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(variables.DEAD_LETTER_QUEUES)).toMatch(/\\"inbound\\":\{\\"arn\\":/);
    expect(JSON.stringify(variables.DEAD_LETTER_QUEUES)).toContain('notifications');
  });

  it('lets the notifier queue what follows a notice (assignment notices after routing, a stage change\'s next batch) on the notifications queue only', () => {
    const sends = statementsOf('notifier').filter((statement) => [statement.Action].flat().includes('sqs:SendMessage'));
    expect(sends).toHaveLength(1);
    expect(JSON.stringify(sends[0]!.Resource)).toMatch(/GetAttNotifications[0-9A-F]{8}Arn/);
    expect(JSON.stringify(sends[0]!.Resource)).not.toMatch(/Dlq/);
  });

  it('lets only the agent API provision agents, on this user pool only', () => {
    const provisioning = AGENT_PROVISIONING_ACTIONS.map((action) => `cognito-idp:${action}`).sort();
    expect(actionsOf('agent-api', 'cognito-idp:')).toEqual(provisioning);
    for (const name of FUNCTION_NAMES.filter((candidate) => candidate !== 'agent-api')) expect(actionsOf(name, 'cognito-idp:')).toEqual([]);
    const statement = statementsOf('agent-api').find((candidate) => [candidate.Action].flat().some((action) => action.startsWith('cognito-idp:')));
    expect(JSON.stringify(statement?.Resource)).toMatch(/Agents[0-9A-F]{8}Arn/);
  });
});

describe('CloudFormation resource schemas (dev)', () => {
  it('knows every resource type and property of both stacks, and every literal has its property’s type', () => {
    const reports = [Template.fromStack(built.stateful), template].map((stack) => validateTemplate(stack.toJSON()));
    expect(reports.flatMap((report) => report.issues)).toEqual([]);
    expect(reports.reduce((sum, report) => sum + report.checked, 0)).toBeGreaterThan(100);
  });
});

describe('triggers', () => {
  it('feed inbound mail in batches of five with partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  it('feed notifications with partial batch failures and bounded concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: built.config.notifierConcurrency },
    });
  });

  it('run the sweeper every minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: SWEEPER_SCHEDULE });
    expect(SWEEPER_SCHEDULE).toBe('rate(1 minute)');
  });

  it('run the weekly report on Monday 09:00 in the desk time zone', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: WEEKLY_REPORT_SCHEDULE,
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: Match.objectLike({ DeadLetterConfig: Match.anyValue() }),
    });
  });

  it('route SES bounces and complaints of our configuration set to ses-events', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.ses'], 'detail-type': ['Email Bounced', 'Email Complaint Received'] }),
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue() })],
    });
  });
});

describe('HTTP API', () => {
  const routes = (): { RouteKey: string; AuthorizationType?: string }[] =>
    Object.values(resources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties as { RouteKey: string; AuthorizationType?: string });

  it('has exactly the product routes', () => {
    expect(routes().map((route) => route.RouteKey).sort()).toEqual(
      ['ANY /api/{proxy+}', 'GET /', 'GET /status/{token}', 'GET /survey/{token}', 'POST /status/{token}', 'POST /survey/{token}', 'POST /tickets'].sort(),
    );
  });

  it('never exposes a /dev route', () => {
    expect(routes().filter((route) => route.RouteKey.split(' ')[1]?.startsWith('/dev'))).toEqual([]);
  });

  it('protects every /api route with the Cognito JWT authoriser', () => {
    const api = routes().filter((route) => route.RouteKey.includes(' /api'));

    expect(api.length).toBeGreaterThan(0);
    for (const route of api) expect(route.AuthorizationType).toBe('JWT');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [Match.anyValue()], Issuer: Match.anyValue() },
    });
  });

  it('throttles the default stage and logs access', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: API_THROTTLE.rateLimit, ThrottlingBurstLimit: API_THROTTLE.burstLimit },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('has no CORS configuration: the console calls it on its own origin', () => {
    for (const api of Object.values(resources('AWS::ApiGatewayV2::Api'))) expect(api.Properties?.CorsConfiguration).toBeUndefined();
  });
});

describe('console', () => {
  it('is served by CloudFront over HTTPS from a bucket reachable only through origin access control', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Logging: Match.anyValue(),
      }),
    });
  });

  it('is uploaded under /console/', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    template.hasResourceProperties('Custom::CDKBucketDeployment', { DestinationBucketKeyPrefix: 'console/', DistributionPaths: ['/console/*'] });
  });
});

describe('alarms', () => {
  const alarms = (): Record<string, unknown>[] => Object.values(resources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties ?? {});

  it('fire on any message in any dead-letter queue', () => {
    const dlq = alarms().filter((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible');

    expect(dlq).toHaveLength(3);
    for (const alarm of dlq) expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('watch errors of every function and throttling anywhere in the account', () => {
    const errors = alarms().filter((alarm) => alarm.MetricName === 'Errors');
    expect(errors).toHaveLength(FUNCTION_NAMES.length);
    for (const alarm of errors) expect(alarm.Dimensions).toEqual([expect.objectContaining({ Name: 'FunctionName' })]);
    const throttles = alarms().filter((alarm) => alarm.MetricName === 'Throttles');
    expect(throttles).toEqual([expect.objectContaining({ Namespace: 'AWS/Lambda', Threshold: 0, AlarmName: 'Ticketline-dev-LambdaThrottles' })]);
    expect(throttles[0]?.Dimensions).toBeUndefined();
  });

  it('carry the names docs/operations.md lists, each once, with the stage in front', () => {
    const names = alarms().map((alarm) => alarm.AlarmName as string);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^Ticketline-dev-[A-Za-z0-9-]+$/);
    const operations = readFileSync(join(PROJECT_ROOT, 'docs/operations.md'), 'utf8');
    const runbook = operations.slice(operations.indexOf('## 10. Reading alarms'), operations.indexOf('## 11.'));
    const listed = [...runbook.matchAll(/`Ticketline-<stage>-([A-Za-z0-9<>-]+)`/g)].map((match) => match[1] as string);
    const actual = names.map((name) => name.replace('Ticketline-dev-', ''));
    const functionErrors = new Set(FUNCTION_NAMES.map((fn) => `${fn}Errors`));
    // Every alarm is in the runbook (function errors by the `<function>Errors` row), and the runbook names no alarm that does not exist.
    for (const name of actual) expect(listed.includes(name) || (functionErrors.has(name) && listed.includes('<function>Errors'))).toBe(true);
    for (const name of listed.filter((name) => name !== '<what>')) expect(name === '<function>Errors' || actual.includes(name), name).toBe(true);
  });

  it('watch SES reputation, SLA breaches and the age of inbound mail', () => {
    const names = alarms().map((alarm) => alarm.MetricName);

    expect(names).toEqual(expect.arrayContaining(['Reputation.BounceRate', 'Reputation.ComplaintRate', 'ApproximateAgeOfOldestMessage', SLA_METRIC.metricName]));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: SLA_METRIC.namespace, MetricName: SLA_METRIC.metricName, Period: 3600 });
  });

  it('watch API 5xx, the SES daily quota and the age of waiting mail', () => {
    expect(alarms().filter((alarm) => alarm.MetricName === '5xx' && alarm.Namespace === 'AWS/ApiGateway')).toHaveLength(1);
    expect(alarms().find((alarm) => alarm.MetricName === 'Send')).toMatchObject({ Namespace: 'AWS/SES', Period: 86_400, Threshold: 40_000 });
    expect(alarms().filter((alarm) => alarm.MetricName === 'ApproximateAgeOfOldestMessage')).toHaveLength(2);
  });

  it('all notify the operations topic on ALARM only, never on OK (no recovery noise)', () => {
    const topic = Object.keys(resources('AWS::SNS::Topic'))[0];
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
      expect(alarm.OKActions).toBeUndefined();
      expect(alarm.InsufficientDataActions).toBeUndefined();
    }
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('are as many as the cost model counts', () => {
    expect(alarms()).toHaveLength(STACK_ALARMS);
  });

  it('come with a dashboard within the always-free allowance (3 dashboards of up to 50 metrics)', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const [dashboard] = Object.values(resources('AWS::CloudWatch::Dashboard'));
    const body = dashboard?.Properties?.DashboardBody as { 'Fn::Join': [string, unknown[]] };
    // The body is JSON with tokens spliced in; the literal parts are enough to count the metric arrays.
    const literal = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'x')).join('');
    const widgets = (JSON.parse(literal) as { widgets: Array<{ properties: { metrics?: unknown[]; title?: string } }> }).widgets;
    const metrics = widgets.reduce((sum, widget) => sum + (widget.properties.metrics?.length ?? 0), 0);
    expect(metrics).toBeGreaterThan(30);
    expect(metrics).toBeLessThanOrEqual(50);
    expect(widgets.map((widget) => widget.properties.title)).toEqual(expect.arrayContaining(['Errors', 'Throttles', 'Queues', 'API 5xx and SES sends', 'Alarms']));
  });
});
