import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseConfig } from '../config/load.js';
import { systemClock } from '../services/ports.js';
import type { LinkKeys, Runtime } from '../services/context.js';
import { createDocumentClient, createDynamoDbClient } from './aws-clients.js';
import { S3BlobStore } from './blob-store.js';
import { DynamoStore } from './dynamo-store.js';
import { SesMailer } from './ses-mailer.js';
import { SqsNotificationQueue } from './sqs-queue.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

let runtime: Promise<Runtime> | undefined;

/**
 * The runtime of a Lambda function: built once per cold start from the environment the stack
 * sets, with SDK clients shared by every invocation.
 */
export function awsRuntime(): Promise<Runtime> {
  runtime ??= Promise.resolve().then(() => {
    const config = parseConfig(JSON.parse(process.env.DESK_CONFIG ?? '{}'));
    const store = new DynamoStore(createDocumentClient(createDynamoDbClient()), { tableName: required('TABLE_NAME'), timeZone: config.calendar.timeZone });
    const s3 = new S3Client({});
    let keys: Promise<LinkKeys> | undefined;
    const mailBucketName = process.env.MAIL_BUCKET ?? '';
    return {
      config,
      store,
      clock: systemClock,
      queue: new SqsNotificationQueue(new SQSClient({}), process.env.NOTIFICATION_QUEUE_URL ?? ''),
      mailer: new SesMailer(new SESClient({}), process.env.SES_CONFIGURATION_SET),
      mailBlobs: new S3BlobStore(s3, mailBucketName),
      reportBlobs: new S3BlobStore(s3, process.env.REPORT_BUCKET ?? ''),
      mailBucketName,
      linkKeys: () => (keys ??= loadLinkKeys(new SecretsManagerClient({}), required('SURVEY_KEY_PARAMETER'))),
    };
  });
  return runtime;
}

/**
 * The link-signing keys live in one Secrets Manager secret. A generated secret holds just the key
 * (kid "k0"); after a rotation it holds JSON `{ "current": {kid,key}, "previous": [...] }` so links
 * already mailed keep working (docs/operations.md, "Rotating the survey key").
 */
async function loadLinkKeys(client: SecretsManagerClient, secretId: string): Promise<LinkKeys> {
  const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const value = (result.SecretString ?? '').trim();
  if (!value) throw new Error(`secret ${secretId} is empty`);
  if (!value.startsWith('{')) return { current: { kid: 'k0', key: value } };
  const parsed = JSON.parse(value) as LinkKeys;
  if (!parsed.current?.kid || !parsed.current.key) throw new Error(`secret ${secretId} holds no current link key`);
  return parsed;
}
