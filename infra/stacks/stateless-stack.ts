import { CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { InfraConfig } from '../config.js';
import { FrontDoor } from '../constructs/front-door.js';
import { CONSOLE_BASE_PATH, cognitoConsoleConfig } from '../../shared/config/console.js';
import { Monitoring, SERVICE_NAME, SLA_METRIC } from '../constructs/monitoring.js';
import { TicketlineFunction } from '../constructs/ticketline-function.js';
import { FUNCTION_NAMES, TABLE_ACCESS, TICKET_PARTITION_PATTERN, WRITE_ACTIONS, type FunctionName } from '../functions.js';
import { acknowledge, acknowledgeMatching } from '../nag.js';
import { ATTACHMENTS_PREFIX, INBOUND_PREFIX, UPLOADS_PREFIX } from '../../shared/config/mail-bucket.js';
import type { StatefulStack } from './stateful-stack.js';

export interface StatelessStackProps extends StackProps {
  config: InfraConfig;
  stateful: StatefulStack;
  /** Repository root, where `functions/` and `package-lock.json` live. */
  projectRoot: string;
  /** The built agent console; skipped when it does not exist. */
  consoleDistDir: string;
  functionEntry: (name: FunctionName) => string;
  /** The edge stack's WAF web ACL, when WAF is on for this stage. */
  webAclArn?: string;
}

/** The sweeper's schedule: every minute, the resolution of the SLA timers. */
export const SWEEPER_SCHEDULE = 'rate(1 minute)';
/** Monday 09:00 in the desk's time zone. */
export const WEEKLY_REPORT_SCHEDULE = 'cron(0 9 ? * MON *)';
/** The user-pool calls the agent API makes to provision, regroup and disable agents; nothing else. */
export const AGENT_PROVISIONING_ACTIONS = [
  'AdminCreateUser',
  'AdminGetUser',
  'AdminListGroupsForUser',
  'AdminAddUserToGroup',
  'AdminRemoveUserFromGroup',
  'AdminDisableUser',
  'AdminEnableUser',
  'AdminUserGlobalSignOut',
] as const;
/** What the agent API may do on a dead-letter queue: count it and move its messages back (SQS's redrive). */
export const DEAD_LETTER_REPLAY_ACTIONS = ['GetQueueAttributes', 'StartMessageMoveTask', 'ListMessageMoveTasks', 'ReceiveMessage', 'DeleteMessage'] as const;
/** Steady-state and burst request limits of the HTTP API's default stage. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * Code and wiring: the functions, the HTTP API, schedules, event rules, alarms and the console.
 * Everything here can be destroyed and recreated without losing a ticket.
 */
export class StatelessStack extends Stack {
  readonly functions: Record<FunctionName, TicketlineFunction>;
  readonly api: apigw.HttpApi;
  readonly apiStage: apigw.HttpStage;
  readonly frontDoor: FrontDoor;
  readonly userPoolClient: cognito.UserPoolClient;
  private readonly userPoolProviderUrl: string;
  readonly monitoring: Monitoring;
  /** The table the functions use: the stateful stack's, or the restored one (`restoredTableName`). */
  readonly table: dynamodb.ITableV2;
  /** The value of the header CloudFront adds to requests for the API. */
  readonly originSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    this.userPoolProviderUrl = stateful.userPool.userPoolProviderUrl;

    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: `ticketline-${config.stage}`,
      createDefaultStage: false,
    });
    // The front door's proof to the API (shared/http/front-door.ts): CloudFront sends it, the HTTP
    // functions check it, so the execute-api address cannot be used to go around WAF.
    this.originSecret = new secretsmanager.Secret(this, 'OriginVerify', {
      description: `Ticketline ${config.stage}: header value CloudFront sends to the HTTP API (x-ticketline-origin)`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    acknowledge(
      this.originSecret,
      'AwsSolutions-SMG4',
      'Not a credential of a person or service: a shared value between CloudFront and the functions, both set by one deploy. docs/operations.md "Rotate the front-door secret" replaces it.',
    );
    const originSecretValue = this.originSecret.secretValue.unsafeUnwrap();
    this.frontDoor = new FrontDoor(this, 'FrontDoor', {
      originSecret: originSecretValue,
      fileOrigins: [`https://${stateful.mailBucket.bucketRegionalDomainName}`, `https://${stateful.mailBucket.bucketDomainName}`],
      api: this.api,
      distDir: props.consoleDistDir,
      logRetentionDays: config.accessLogRetentionDays,
      customDomain: config.customDomain && config.certificateArn ? { domainName: config.customDomain, certificateArn: config.certificateArn } : undefined,
      webAclArn: props.webAclArn,
    });
    // The console's address is the front door's, known now: the client's only callback and logout URL.
    const consoleUrl = `${this.frontDoor.origin}${CONSOLE_BASE_PATH}`;
    // Created in this stack (not with userPool.addClient, which would put it in the stateful stack).
    this.userPoolClient = new cognito.UserPoolClient(this, 'ConsoleClient', {
      userPool: stateful.userPool,
      // A browser application cannot keep a secret: PKCE protects the code instead.
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // A working day: the console renews the hourly access token with it, then the agent signs in again.
      refreshTokenValidity: Duration.hours(12),
      oAuth: {
        // Authorization code only (the console always sends a PKCE S256 challenge); never the implicit grant.
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [consoleUrl],
        logoutUrls: [consoleUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      // Users may not change who they are: no email, no custom attributes; the directory holds names and roles.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ locale: true, timezone: true }),
    });
    this.frontDoor.publishConsole(
      cognitoConsoleConfig({ origin: this.frontDoor.origin, cognitoDomain: stateful.userPoolDomain.baseUrl(), clientId: this.userPoolClient.userPoolClientId }),
    );
    const publicBaseUrl = config.publicBaseUrl ?? this.frontDoor.origin;
    // The restore switch: a table restored from PITR replaces the stateful stack's table for every function.
    this.table = config.restoredTableName ? dynamodb.TableV2.fromTableName(this, 'RestoredTable', config.restoredTableName) : stateful.table;

    // Only the values a function cannot default; the functions parse it with shared/config/load.ts.
    const deskConfig = this.toJsonString({
      ...config.deskOverrides,
      desk: { ...(config.deskOverrides.desk as Record<string, unknown>), publicBaseUrl },
    });
    const environment: Record<string, string> = {
      STAGE: config.stage,
      TABLE_NAME: this.table.tableName,
      NOTIFICATION_QUEUE_URL: stateful.notificationQueue.queueUrl,
      MAIL_BUCKET: stateful.mailBucket.bucketName,
      REPORT_BUCKET: stateful.reportBucket.bucketName,
      DESK_CONFIG: deskConfig,
      // The full ARN: an exact SecretId, matching the grant, with no partial-name lookup.
      SURVEY_KEY_PARAMETER: stateful.surveyKey.secretArn,
      SES_CONFIGURATION_SET: stateful.configurationSet.configurationSetName,
      ...(config.smsOriginationIdentity ? { SMS_ORIGINATION_IDENTITY: config.smsOriginationIdentity } : {}),
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: SLA_METRIC.namespace,
    };
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    // Reserved concurrency only where the operator set it: a new account's quota (often 10) cannot spare any.
    const make = (name: FunctionName, reservedConcurrency = config.reservedConcurrency[name]): TicketlineFunction =>
      new TicketlineFunction(this, pascal(name), {
        name,
        entry: props.functionEntry(name),
        projectRoot: props.projectRoot,
        stage: config.stage,
        environment,
        logRetention,
        logLevel: config.stage === 'prod' ? 'INFO' : 'DEBUG',
        reservedConcurrency,
      });
    this.functions = {
      'form-intake': make('form-intake'),
      'inbound-email': make('inbound-email'),
      // The SES send rate is bounded by the event source's maximum concurrency (below), not by a reservation.
      notifier: make('notifier'),
      // A sweep times out (55 s) before the next one starts (every minute) and is never retried, so sweeps do not overlap.
      'sla-sweeper': make('sla-sweeper'),
      'agent-api': make('agent-api'),
      survey: make('survey'),
      'ses-events': make('ses-events'),
      'weekly-report': make('weekly-report'),
    };
    const fn = (name: FunctionName): lambda.Function => this.functions[name].fn;
    // Only the functions behind the HTTP API check the front door's header.
    for (const name of ['form-intake', 'survey', 'agent-api'] as const) fn(name).addEnvironment('ORIGIN_VERIFY', originSecretValue);

    this.grantAccess(config, stateful, fn);
    this.wireTriggers(config, stateful, fn);
    this.apiStage = this.httpApi(config, fn);

    const deadLetterQueues: Record<string, sqs.IQueue> = {
      Inbound: stateful.inboundDlq,
      Notification: stateful.notificationDlq,
      AsyncFailure: this.asyncFailureDlq,
    };
    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: config.stage,
      api: this.api,
      sesDailyQuota: config.sesDailyQuota,
      alarmEmail: config.alarmEmail,
      functions: Object.fromEntries(FUNCTION_NAMES.map((name) => [name, fn(name)])),
      deadLetterQueues,
      inboundQueue: stateful.inboundQueue,
      notificationQueue: stateful.notificationQueue,
      slaBreachAlarmPerHour: config.slaBreachAlarmPerHour,
    });

    new CfnOutput(this, 'ConsoleUrl', { value: consoleUrl, description: 'The agent console (Cognito callback URL)' });
    new CfnOutput(this, 'PublicBaseUrl', { value: publicBaseUrl, description: 'Customer form and the base of every link in customer mail' });
    new CfnOutput(this, 'FrontDoorDomain', {
      value: this.frontDoor.distribution.distributionDomainName,
      description: 'CloudFront domain: the CNAME target of customDomain',
    });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    // What the runbook's steps name (docs/operations.md §9b, §10): the operator never has to dig in the console for them.
    new CfnOutput(this, 'ApiEndpoint', { value: this.api.apiEndpoint, description: 'The HTTP API’s own address: answers 403 outside the front door (§9b check)' });
    new CfnOutput(this, 'OriginVerifySecretArn', { value: this.originSecret.secretArn, description: 'The front door’s origin secret (§9b rotation)' });
    new CfnOutput(this, 'AsyncFailureDlqUrl', { value: this.asyncFailureDlq.queueUrl, description: 'Failed schedule and EventBridge deliveries (alarm AsyncFailureDepth)' });
    new CfnOutput(this, 'WeeklyReportFunctionName', { value: fn('weekly-report').functionName, description: 'Invoke to re-run the weekly report' });
  }

  /** Failed asynchronous deliveries (schedules, EventBridge rules); a rule's DLQ must live in the rule's stack. */
  private _asyncFailureDlq?: sqs.Queue;
  get asyncFailureDlq(): sqs.Queue {
    this._asyncFailureDlq ??= new sqs.Queue(this, 'AsyncFailureDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this._asyncFailureDlq, 'AwsSolutions-SQS3', 'This queue is itself a dead-letter queue: the target of the EventBridge rules and schedules.');
    return this._asyncFailureDlq;
  }

  /** Least privilege, one line per need; every action comes from a CDK grant or names its resource. */
  private grantAccess(config: InfraConfig, stateful: StatefulStack, fn: (name: FunctionName) => lambda.Function): void {
    const { notificationQueue, mailBucket, reportBucket, surveyKey } = stateful;
    const { table } = this;
    // Only the table actions each function issues (TABLE_ACCESS); the table is encrypted with the AWS-managed key, so no KMS grant.
    for (const name of FUNCTION_NAMES) {
      const access = TABLE_ACCESS[name];
      const confined = access.writesOnlyIn ? access.actions.filter((action) => WRITE_ACTIONS.has(action)) : [];
      fn(name).addToRolePolicy(
        new iam.PolicyStatement({
          actions: access.actions.filter((action) => !confined.includes(action)).map((action) => `dynamodb:${action}`),
          resources: [table.tableArn, `${table.tableArn}/index/*`],
        }),
      );
      if (access.writesOnlyIn && confined.length > 0) {
        fn(name).addToRolePolicy(
          new iam.PolicyStatement({
            actions: confined.map((action) => `dynamodb:${action}`),
            resources: [table.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...access.writesOnlyIn] } },
          }),
        );
      }
      if (access.deleteOnlyInTicketPartitions) {
        fn(name).addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['dynamodb:DeleteItem'],
            resources: [table.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [TICKET_PARTITION_PATTERN] } },
          }),
        );
      }
    }
    // The notifier queues what follows a notice: assignment notices after routing, a stage change's next batch.
    for (const name of ['form-intake', 'inbound-email', 'sla-sweeper', 'agent-api', 'survey', 'weekly-report', 'notifier'] as const) {
      notificationQueue.grantSendMessages(fn(name));
    }
    // inbound-email reads raw mail and writes attachments; nothing else. Large attachments go up as
    // multipart uploads (PutObject covers creating, uploading and completing them); a failed one is aborted.
    fn('inbound-email').addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [mailBucket.arnForObjects(`${INBOUND_PREFIX}*`)] }),
    );
    fn('inbound-email').addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'], resources: [mailBucket.arnForObjects(`${ATTACHMENTS_PREFIX}*`)] }),
    );
    // The console downloads attachments and the original mail through the agent API.
    fn('agent-api').addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [mailBucket.arnForObjects(`${ATTACHMENTS_PREFIX}*`), mailBucket.arnForObjects(`${INBOUND_PREFIX}*`)],
      }),
    );
    // Uploads (shared/services/uploads.ts): the agent API (reply files) and the survey function (the
    // status page) sign presigned POSTs for uploads/ with their own role, read the pending file back
    // (listed by its upload id's prefix), and copy it under attachments/ once checked. The notifier
    // reads checked files to mail them as MIME parts.
    for (const name of ['agent-api', 'survey'] as const) {
      fn(name).addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [mailBucket.arnForObjects(`${UPLOADS_PREFIX}*`)] }));
      fn(name).addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [mailBucket.arnForObjects(`${ATTACHMENTS_PREFIX}*`)] }));
      fn(name).addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [mailBucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${UPLOADS_PREFIX}*`] } } }));
    }
    // A reply refused after its files were copied removes its copies (UploadService.discard): they are keyed by upload id, so no other message names them.
    fn('agent-api').addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [mailBucket.arnForObjects(`${ATTACHMENTS_PREFIX}*`)] }));
    fn('notifier').addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [mailBucket.arnForObjects(`${ATTACHMENTS_PREFIX}*`)] }));
    fn('agent-api').addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [reportBucket.arnForObjects('*')] }));
    // Past weekly reports are listed by prefix.
    fn('agent-api').addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [reportBucket.bucketArn], conditions: { StringLike: { 's3:prefix': ['reports/*'] } } }));
    fn('weekly-report').addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [reportBucket.arnForObjects('*')] }));
    // The console lists and replays the dead-letter queues of the two SQS steps (shared/adapters/sqs-dead-letters.ts):
    // counting and StartMessageMoveTask need these actions on the DLQ, and the move sends back to its source queue.
    const replayable = { inbound: { dlq: stateful.inboundDlq, source: stateful.inboundQueue }, notifications: { dlq: stateful.notificationDlq, source: notificationQueue } };
    fn('agent-api').addEnvironment(
      'DEAD_LETTER_QUEUES',
      this.toJsonString(Object.fromEntries(Object.entries(replayable).map(([name, { dlq }]) => [name, { arn: dlq.queueArn, url: dlq.queueUrl }]))),
    );
    fn('agent-api').addToRolePolicy(
      new iam.PolicyStatement({
        actions: DEAD_LETTER_REPLAY_ACTIONS.map((action) => `sqs:${action}`),
        resources: Object.values(replayable).map(({ dlq }) => dlq.queueArn),
      }),
    );
    fn('agent-api').addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: Object.values(replayable).map(({ source }) => source.queueArn) }));
    // Admins provision agents' sign-in users from the console (shared/adapters/cognito-identities.ts): these calls, on this pool only.
    fn('agent-api').addEnvironment('USER_POOL_ID', stateful.userPool.userPoolId);
    fn('agent-api').addToRolePolicy(
      new iam.PolicyStatement({
        actions: AGENT_PROVISIONING_ACTIONS.map((action) => `cognito-idp:${action}`),
        resources: [stateful.userPool.userPoolArn],
      }),
    );
    // Links in mail (status page, one-click survey) are signed by the notifier and verified by the survey function.
    // The agent API never signs or verifies a link: it has no access to the key.
    for (const name of ['survey', 'notifier'] as const) surveyKey.grantRead(fn(name));
    // Sending is limited to our identity, our configuration set and a From address in our domain.
    fn('notifier').addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendRawEmail'],
        resources: [
          this.formatArn({ service: 'ses', resource: 'identity', resourceName: config.domain }),
          this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: stateful.configurationSet.configurationSetName }),
        ],
        conditions: { StringLike: { 'ses:FromAddress': `*@${config.domain}` } },
      }),
    );

    // SMS acknowledgements (phone-only customers) only from the stage's own origination identity.
    if (config.smsOriginationIdentity) {
      fn('notifier').addToRolePolicy(new iam.PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: [config.smsOriginationIdentity] }));
    }

    const iam5 = 'AwsSolutions-IAM5';
    for (const name of FUNCTION_NAMES) {
      acknowledgeMatching(
        this.functions[name].role,
        iam5,
        /^Resource::.*\/index\/\*$/,
        'Table access includes its secondary indexes (queue, customer, due timers, by day), which a CDK grant names as <table>/index/*.',
      );
    }
    for (const name of ['inbound-email', 'agent-api', 'survey', 'notifier'] as const) {
      acknowledgeMatching(
        this.functions[name].role,
        iam5,
        /^Resource::.*Mail.*\/(inbound|attachments|uploads)\/\*$/,
        'Object access limited to one key prefix of the mail bucket; object keys are generated per message or per upload (uploads/<ticket>/<random id>/).',
      );
    }
    for (const name of ['agent-api', 'weekly-report'] as const) {
      acknowledgeMatching(
        this.functions[name].role,
        iam5,
        /^Resource::.*Reports.*\/\*$/,
        'Object access to the report bucket, which holds nothing but generated reports with dated keys.',
      );
    }
  }

  private wireTriggers(config: InfraConfig, stateful: StatefulStack, fn: (name: FunctionName) => lambda.Function): void {
    fn('inbound-email').addEventSource(
      new SqsEventSource(stateful.inboundQueue, { batchSize: 5, reportBatchItemFailures: true, maxBatchingWindow: Duration.seconds(1) }),
    );
    fn('notifier').addEventSource(
      new SqsEventSource(stateful.notificationQueue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // Matches the reserved concurrency so the poller does not spin up invocations that would throttle.
        maxConcurrency: config.notifierConcurrency,
      }),
    );

    new events.Rule(this, 'SweepEveryMinute', {
      description: 'Runs the SLA sweeper every minute',
      schedule: events.Schedule.expression(SWEEPER_SCHEDULE),
      // A missed sweep is covered by the next one a minute later, so retries only add load.
      targets: [new eventTargets.LambdaFunction(fn('sla-sweeper'), { deadLetterQueue: this.asyncFailureDlq, retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });

    new events.Rule(this, 'SesBouncesAndComplaints', {
      description: 'SES bounce and complaint events of the Ticketline configuration set',
      eventPattern: {
        source: ['aws.ses'],
        detailType: ['Email Bounced', 'Email Complaint Received'],
        detail: { mail: { tags: { 'ses:configuration-set': [stateful.configurationSet.configurationSetName] } } },
      },
      targets: [new eventTargets.LambdaFunction(fn('ses-events'), { deadLetterQueue: this.asyncFailureDlq, retryAttempts: 8 })],
    });

    new scheduler.Schedule(this, 'WeeklyReportSchedule', {
      description: 'Weekly report, Monday 09:00 desk time',
      schedule: scheduler.ScheduleExpression.expression(WEEKLY_REPORT_SCHEDULE, TimeZone.of(config.timeZone)),
      target: new schedulerTargets.LambdaInvoke(fn('weekly-report'), { deadLetterQueue: this.asyncFailureDlq, retryAttempts: 2 }),
    });
    // The scheduler's role is created at stack level by the target.
    acknowledgeMatching(
      this,
      'AwsSolutions-IAM5',
      /^Resource::<WeeklyReport[A-Za-z0-9]+\.Arn>:\*$/,
      'EventBridge Scheduler may invoke the weekly-report function and its versions (<arn>:*), nothing else.',
    );
  }

  private httpApi(config: InfraConfig, fn: (name: FunctionName) => lambda.Function): apigw.HttpStage {
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: config.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        // Request metadata only: no query strings or bodies, which may carry personal data.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            requestTime: '$context.requestTime',
          }),
        ),
      },
    });
    // No CORS: the console calls the API on its own origin through the front door.

    const integration = (name: FunctionName): HttpLambdaIntegration => new HttpLambdaIntegration(`${pascal(name)}Integration`, fn(name));
    const form = integration('form-intake');
    const survey = integration('survey');
    const agentApi = integration('agent-api');
    const publicRoutes: [string, apigw.HttpMethod[], HttpLambdaIntegration][] = [
      ['/', [apigw.HttpMethod.GET], form],
      ['/tickets', [apigw.HttpMethod.POST], form],
      ['/status/{token}', [apigw.HttpMethod.GET, apigw.HttpMethod.POST], survey],
      ['/survey/{token}', [apigw.HttpMethod.GET, apigw.HttpMethod.POST], survey],
    ];
    for (const [path, methods, target] of publicRoutes) {
      for (const route of this.api.addRoutes({ path, methods, integration: target })) {
        acknowledge(
          route,
          'AwsSolutions-APIG4',
          'Customer-facing route: customers have no accounts. The form is rate-limited per sender and the status/survey routes check an HMAC-signed token.',
        );
      }
    }
    const authorizer = new HttpJwtAuthorizer('AgentJwt', this.userPoolProviderUrl, {
      jwtAudience: [this.userPoolClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
    this.api.addRoutes({ path: '/api/{proxy+}', methods: [apigw.HttpMethod.ANY], integration: agentApi, authorizer });
    return stage;
  }
}

function pascal(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
