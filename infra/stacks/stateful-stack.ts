import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { ROLES } from '../../shared/config/schema.js';
import { INBOUND_PREFIX, UPLOADS_PREFIX } from '../../shared/config/mail-bucket.js';
import { TABLE, type IndexDefinition, type TableDefinition } from '../../shared/adapters/table-definition.js';
import type { InfraConfig } from '../config.js';
import { visibilityTimeoutSeconds } from '../functions.js';
import { acknowledge } from '../nag.js';


export interface StatefulStackProps extends StackProps {
  config: InfraConfig;
}

/**
 * Everything that holds data or identity: the table, buckets, queues, the user pool, the survey
 * key and the SES identity and receipt rules. Code deploys go to the stateless stack and never
 * replace anything here; in prod nothing here is deleted with the stack.
 */
export class StatefulStack extends Stack {
  readonly table: dynamodb.TableV2;
  readonly mailBucket: s3.Bucket;
  readonly reportBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly inboundQueue: sqs.Queue;
  readonly inboundDlq: sqs.Queue;
  readonly notificationQueue: sqs.Queue;
  readonly notificationDlq: sqs.Queue;
  readonly userPool: cognito.UserPool;
  /** Managed login (authorization code + PKCE) lives here; the app client is in the stateless stack, next to the front door it calls back to. */
  readonly userPoolDomain: cognito.UserPoolDomain;
  readonly surveyKey: secretsmanager.Secret;
  readonly configurationSet: ses.ConfigurationSet;
  readonly emailIdentity: ses.EmailIdentity;
  readonly receiptRuleSet: ses.ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prod = config.stage === 'prod';
    // Data survives the stack in prod; dev stacks clean up after themselves where that is safe.
    const dataRemoval = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(config.accessLogRetentionDays) }],
      // Non-empty buckets cannot be deleted by CloudFormation anyway; keeping them avoids a failed delete.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.accessLogsBucket, 'AwsSolutions-S1', 'This is the server access log bucket; logging it into itself would loop.');

    this.mailBucket = new s3.Bucket(this, 'Mail', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Raw mail is the record of what the customer sent: versions protect it from overwrite and deletion.
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'mail/',
      lifecycleRules: [
        {
          id: 'raw-mail-tiering',
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(config.mailInfrequentAccessDays) },
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(config.mailGlacierDays) },
          ],
          noncurrentVersionExpiration: Duration.days(90),
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        // A checked upload is copied under attachments/; what is left here was never used (or refused).
        { id: 'expire-pending-uploads', prefix: UPLOADS_PREFIX, expiration: Duration.days(1), noncurrentVersionExpiration: Duration.days(1) },
      ],
      // Browsers upload agents' and customers' files straight here with a presigned POST (one key,
      // one size range, 15 minutes); the console reads the answer, so the front door's origin may
      // POST. Without a custom domain the CloudFront name is only known in the stateless stack.
      cors: [{ allowedMethods: [s3.HttpMethods.POST], allowedOrigins: [config.publicBaseUrl ?? 'https://*.cloudfront.net'], maxAge: 3600 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.reportBucket = new s3.Bucket(this, 'Reports', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Reports are regenerated from the table, so versions would only add cost.
      versioned: false,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'reports/',
      lifecycleRules: [
        config.reportRetentionDays > 0
          ? { id: 'expire-reports', expiration: Duration.days(config.reportRetentionDays) }
          : { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.TableV2(this, 'Table', {
      ...tablePropsFrom(TABLE),
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: prod,
      removalPolicy: dataRemoval,
    });

    const queue = (name: string, props: sqs.QueueProps): sqs.Queue =>
      new sqs.Queue(this, name, {
        // SQS-managed SSE: S3 event notifications cannot publish to a queue encrypted with the AWS managed KMS key.
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        removalPolicy: dataRemoval,
        ...props,
      });
    const dlqRetention = Duration.days(14);
    this.inboundDlq = queue('InboundDlq', { retentionPeriod: dlqRetention });
    this.inboundQueue = queue('Inbound', {
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds('inbound-email')),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.inboundDlq, maxReceiveCount: 5 },
    });
    this.notificationDlq = queue('NotificationDlq', { retentionPeriod: dlqRetention });
    this.notificationQueue = queue('Notifications', {
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds('notifier')),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.notificationDlq, maxReceiveCount: 5 },
    });
    // Failed asynchronous invocations (schedules, EventBridge rules) go to a queue in the stateless
    // stack, next to the rules that use it (a rule's dead-letter queue must be in its own stack).

    // The raw .eml is durable before any code runs; the queue then gives retries and a DLQ.
    this.mailBucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.inboundQueue), {
      prefix: INBOUND_PREFIX,
    });

    this.surveyKey = new secretsmanager.Secret(this, 'SurveyKey', {
      description: 'HMAC key that signs survey and status-page links',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: dataRemoval,
    });
    acknowledge(
      this.surveyKey,
      'AwsSolutions-SMG4',
      'Rotation is a documented manual step (docs/operations.md): links already mailed must stay valid for the survey window, which a blind rotation would break.',
    );

    ({ userPool: this.userPool, domain: this.userPoolDomain } = this.agentDirectory(config, dataRemoval));
    ({ configurationSet: this.configurationSet, identity: this.emailIdentity } = this.sending(config));
    this.receiptRuleSet = this.receiving(config);
    this.acknowledgeCdkHelpers();

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'MailBucketName', { value: this.mailBucket.bucketName });
    new CfnOutput(this, 'ReportBucketName', { value: this.reportBucket.bucketName });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolDomain', { value: this.userPoolDomain.baseUrl() });
    new CfnOutput(this, 'SurveyKeySecretName', { value: this.surveyKey.secretName });
    new CfnOutput(this, 'ReceiptRuleSetName', { value: this.receiptRuleSet.receiptRuleSetName });
    // `npm run redrive -- <arn> --aws` takes these (docs/operations.md §10).
    new CfnOutput(this, 'InboundDlqArn', { value: this.inboundDlq.queueArn });
    new CfnOutput(this, 'NotificationDlqArn', { value: this.notificationDlq.queueArn });
    this.emailIdentity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        description: 'Publish as a CNAME in the domain DNS to verify the domain and sign mail (DKIM)',
        value: `${record.name} CNAME ${record.value}`,
      });
    });
  }

  /** Singleton functions CDK itself adds for bucket notifications and SDK calls. */
  private acknowledgeCdkHelpers(): void {
    const helpers: [string, string][] = [
      ['BucketNotificationsHandler050a0587b7544547bf325f094a3db834', 'configures the mail bucket\'s event notification at deploy time'],
      ['AWS679f53fac002430cb0da5b7982bd2287', 'activates the SES receipt rule set at deploy time'],
    ];
    for (const [id, purpose] of helpers) {
      const helper = this.node.tryFindChild(id);
      if (!helper) continue;
      acknowledge(
        helper,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        `CDK-provided helper function that ${purpose}; it only writes its own logs with this managed policy and its role is not configurable.`,
      );
    }
  }

  private agentDirectory(config: InfraConfig, removal: RemovalPolicy): { userPool: cognito.UserPool; domain: cognito.UserPoolDomain } {
    const prod = config.stage === 'prod';
    const userPool = new cognito.UserPool(this, 'Agents', {
      // Agents are created by an administrator (the agent directory's admin API); nobody signs up from the internet.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed address takes effect only once verified; until then the user keeps the old one.
      keepOriginal: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Agents read customers' personal data: a second factor is required, by authenticator app only.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: prod,
      removalPolicy: removal,
    });
    acknowledge(
      userPool,
      'AwsSolutions-COG8',
      'Threat protection needs the Cognito Plus feature plan (billed per active user); with admin-created users and mandatory TOTP MFA the remaining risk is accepted.',
    );
    for (const role of ROLES) {
      new cognito.CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: userPool.userPoolId,
        groupName: role,
        description: `Ticketline ${role}s; the agent API reads this group from the token's cognito:groups claim (no group, no role)`,
      });
    }
    // Unique per account and stage, so two stages (or two accounts) never ask for the same prefix.
    const domainPrefix = config.cognitoDomainPrefix ?? Fn.join('-', ['ticketline', config.stage, Aws.ACCOUNT_ID]);
    const domain = userPool.addDomain('Login', { cognitoDomain: { domainPrefix } });
    return { userPool, domain };
  }

  private sending(config: InfraConfig): { configurationSet: ses.ConfigurationSet; identity: ses.EmailIdentity } {
    const configurationSet = new ses.ConfigurationSet(this, 'Sending', {
      reputationMetrics: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // Bounces and complaints go to the default event bus, where the stateless stack's rule sends them to ses-events.
    configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    const identity = new ses.EmailIdentity(this, 'Domain', {
      identity: ses.Identity.domain(config.domain),
      configurationSet,
      dkimSigning: true,
    });
    return { configurationSet, identity };
  }

  private receiving(config: InfraConfig): ses.ReceiptRuleSet {
    const ruleSet = new ses.ReceiptRuleSet(this, 'Receiving', {});
    // The S3 action adds the bucket policy statement for ses.amazonaws.com, limited by aws:Referer to this account.
    ruleSet.addRule('SupportAddress', {
      recipients: [config.supportAddress],
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      enabled: true,
      actions: [new sesActions.S3({ bucket: this.mailBucket, objectKeyPrefix: INBOUND_PREFIX })],
    });
    if (config.activateReceiptRuleSet ?? config.stage === 'prod') {
      // Only one rule set can be active per region, and CloudFormation has no resource for it.
      const activate = new cr.AwsCustomResource(this, 'ActivateReceiptRuleSet', {
        onUpdate: {
          service: 'SES',
          action: 'setActiveReceiptRuleSet',
          parameters: { RuleSetName: ruleSet.receiptRuleSetName },
          physicalResourceId: cr.PhysicalResourceId.of(`active-rule-set-${config.stage}`),
        },
        // Deactivates receiving when the stack goes; an omitted name means "no active rule set".
        onDelete: { service: 'SES', action: 'setActiveReceiptRuleSet', parameters: {} },
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          // SetActiveReceiptRuleSet supports no resource-level permissions.
          new iam.PolicyStatement({ actions: ['ses:SetActiveReceiptRuleSet'], resources: ['*'] }),
        ]),
        installLatestAwsSdk: false,
      });
      activate.node.addDependency(ruleSet);
      acknowledge(activate, 'AwsSolutions-IAM5[Resource::*]', 'ses:SetActiveReceiptRuleSet has no resource-level permissions; the statement allows that single action.');
    }
    return ruleSet;
  }
}

/** Maps the shared table description to TableV2 props: every key attribute is a string. */
export function tablePropsFrom(definition: TableDefinition): Pick<
  dynamodb.TablePropsV2,
  'partitionKey' | 'sortKey' | 'timeToLiveAttribute' | 'globalSecondaryIndexes'
> {
  const key = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
  return {
    partitionKey: key(definition.partitionKey),
    sortKey: key(definition.sortKey),
    timeToLiveAttribute: definition.ttlAttribute,
    globalSecondaryIndexes: definition.indexes.map((index) => indexProps(index, key)),
  };
}

function indexProps(index: IndexDefinition, key: (name: string) => dynamodb.Attribute): dynamodb.GlobalSecondaryIndexPropsV2 {
  const base = { indexName: index.name, partitionKey: key(index.partitionKey), sortKey: key(index.sortKey) };
  if (index.projection === 'ALL') return { ...base, projectionType: dynamodb.ProjectionType.ALL };
  if (index.projection === 'KEYS_ONLY') return { ...base, projectionType: dynamodb.ProjectionType.KEYS_ONLY };
  return { ...base, projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: index.projection };
}

