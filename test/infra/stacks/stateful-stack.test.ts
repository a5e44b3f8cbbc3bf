import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_FLAGS } from '../../../infra/build-app.js';
import { loadInfraConfig } from '../../../infra/config.js';
import { visibilityTimeoutSeconds } from '../../../infra/functions.js';
import { INBOUND_PREFIX } from '../../../shared/config/mail-bucket.js';
import { StatefulStack } from '../../../infra/stacks/stateful-stack.js';
import { TABLE } from '../../../shared/adapters/table-definition.js';

// The stateful stack has no bundled code, so each stage is a cheap synth of its own.
function synth(context: Record<string, unknown>): Template {
  const app = new App({ context: FEATURE_FLAGS, analyticsReporting: false });
  const stack = new StatefulStack(app, 'Test-Stateful', { config: loadInfraConfig(context) });
  return Template.fromStack(stack);
}

let dev: Template;
let prod: Template;
beforeAll(() => {
  dev = synth({});
  prod = synth({ stage: 'prod', alarmEmail: 'ops@example.com', activateReceiptRuleSet: false });
});

type Resources = Record<string, { Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

describe('table', () => {
  it('is built from the shared table definition with every index', () => {
    dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE.indexes.map((index) =>
        Match.objectLike({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: Match.objectLike({ ProjectionType: Array.isArray(index.projection) ? 'INCLUDE' : index.projection }),
        }),
      ),
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    });
  });

  it('is on demand, encrypted and has point-in-time recovery', () => {
    dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('is deletion-protected and retained in prod', () => {
    prod.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] }),
    });
  });

  it('can be removed with a dev stack', () => {
    dev.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
  });
});

describe('buckets', () => {
  it('are all encrypted, private and retained', () => {
    const buckets = dev.findResources('AWS::S3::Bucket') as Resources;

    expect(Object.keys(buckets)).toHaveLength(3);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.Properties?.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('deny every request without TLS', () => {
    const policies = dev.findResources('AWS::S3::BucketPolicy') as Resources;

    expect(Object.keys(policies)).toHaveLength(3);
    for (const policy of Object.values(policies)) {
      expect(policy.Properties?.PolicyDocument).toMatchObject({
        Statement: expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      });
    }
  });

  it('log mail and report access to the access-log bucket', () => {
    const logged = Object.values(dev.findResources('AWS::S3::Bucket') as Resources).filter((bucket) => bucket.Properties?.LoggingConfiguration);

    expect(logged.map((bucket) => (bucket.Properties?.LoggingConfiguration as { LogFilePrefix: string }).LogFilePrefix).sort()).toEqual(['mail/', 'reports/']);
  });

  it('keep versions of raw mail and move it to cheaper storage classes', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
              { StorageClass: 'GLACIER_IR', TransitionInDays: 180 },
            ],
          }),
        ]),
      },
    });
  });

  it('let SES write raw mail only under inbound/ and only for this account', () => {
    dev.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:PutObject',
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            Resource: { 'Fn::Join': ['', [Match.anyValue(), `/${INBOUND_PREFIX}*`]] },
          }),
        ]),
      },
    });
  });
});

describe('queues', () => {
  it('are all encrypted and refuse non-TLS access', () => {
    const queues = dev.findResources('AWS::SQS::Queue') as Resources;

    expect(Object.keys(queues).length).toBeGreaterThanOrEqual(4);
    for (const queue of Object.values(queues)) expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    for (const policy of Object.values(dev.findResources('AWS::SQS::QueuePolicy') as Resources)) {
      expect(JSON.stringify(policy.Properties?.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('send a message to a dead-letter queue after five failed receives', () => {
    const redriven = Object.values(dev.findResources('AWS::SQS::Queue') as Resources).filter((queue) => queue.Properties?.RedrivePolicy);

    expect(redriven).toHaveLength(2);
    for (const queue of redriven) expect(queue.Properties?.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
  });

  it('give each consumer six times its timeout before redelivery', () => {
    const timeouts = Object.values(dev.findResources('AWS::SQS::Queue') as Resources)
      .filter((queue) => queue.Properties?.RedrivePolicy)
      .map((queue) => queue.Properties?.VisibilityTimeout)
      .sort();

    expect(timeouts).toEqual([visibilityTimeoutSeconds('inbound-email'), visibilityTimeoutSeconds('notifier')].sort());
  });

  it('receive the mail bucket ObjectCreated events for inbound/ only', () => {
    dev.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: INBOUND_PREFIX }] } },
            QueueArn: Match.anyValue(),
          },
        ],
      },
    });
  });
});

describe('SES', () => {
  it('receives mail for the support address with scanning and TLS required', () => {
    dev.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Enabled: true,
        Recipients: ['support@support.example.com'],
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Actions: [{ S3Action: Match.objectLike({ ObjectKeyPrefix: INBOUND_PREFIX }) }],
      }),
    });
  });

  it('activates the receipt rule set when configured to', () => {
    const activations = Object.values(synth({ activateReceiptRuleSet: 'true' }).findResources('Custom::AWS') as Resources);

    expect(activations).toHaveLength(1);
    expect(JSON.stringify(activations[0]?.Properties?.Create)).toContain('setActiveReceiptRuleSet');
  });

  it('leaves activation to the operator when configured not to', () => {
    expect(Object.keys(prod.findResources('Custom::AWS'))).toHaveLength(0);
  });

  it('never touches the active rule set from a dev stage by default (another stage may own it)', () => {
    expect(Object.keys(dev.findResources('Custom::AWS'))).toHaveLength(0);
  });

  it('activates its own rule set in prod by default', () => {
    expect(Object.keys(synth({ stage: 'prod', alarmEmail: 'ops@example.com' }).findResources('Custom::AWS'))).toHaveLength(1);
  });

  it('has no queue nothing uses: the async-failure queue lives with its rules in the stateless stack', () => {
    expect(Object.keys(dev.findResources('AWS::SQS::Queue')).filter((id) => id.includes('AsyncFailure'))).toEqual([]);
  });

  it('signs mail for the domain with DKIM through the configuration set', () => {
    dev.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'support.example.com',
      DkimAttributes: { SigningEnabled: true },
      ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
    });
  });

  it('routes bounces and complaints to EventBridge', () => {
    dev.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(['bounce', 'complaint']),
        EventBridgeDestination: Match.anyValue(),
      }),
    });
  });
});

describe('agent directory', () => {
  it('has one group per role', () => {
    const groups = Object.values(dev.findResources('AWS::Cognito::UserPoolGroup') as Resources).map((group) => group.Properties?.GroupName);

    expect(groups.sort()).toEqual(['admin', 'agent', 'qa', 'supervisor']);
  });

  it('requires MFA, strong passwords and admin-created users', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
  });

  it('is deletion-protected and retained in prod', () => {
    prod.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }) });
  });
});

describe('survey key', () => {
  it('is a generated secret, retained in prod', () => {
    prod.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) }),
    });
  });
});
