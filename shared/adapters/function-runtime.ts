import { parseConfig } from '../config/load.js';
import { systemClock } from '../services/ports.js';
import type { BlobStore, DeadLetterQueues, LinkKeys, Runtime } from '../services/context.js';
import type { TextChannelName } from '../services/channels/index.js';
import type { AgentIdentities, Mailer, NotificationQueue, TextSender } from '../services/ports.js';
import { refreshDeskSettings } from '../services/desk-settings.js';
import { refreshDirectory } from '../services/directory.js';
import type { RuntimeStore, Store } from '../services/ports.js';
import type { DynamoStoreOptions } from './dynamodb/table.js';
import { requiredEnvironment } from './environment.js';


/**
 * The AWS adapters a function uses, each a factory from its own module (so a function's bundle
 * holds, and its cold start imports, only the clients it names here). The table is the one part
 * every function has: the SDK's (`sdkTable`, through `awsRuntime`) or signed HTTP (`httpTable`,
 * form-intake).
 *
 * @example
 * import { sqsNotificationQueue } from '../../shared/adapters/sqs-queue.js';
 * export const handler = createSurveyHandler(awsRuntime('survey', { queue: sqsNotificationQueue }));
 */
export interface FunctionRuntimeParts<StoreParts extends RuntimeStore = Store> {
  /**
   * The table named by TABLE_NAME, as a store: every port (`Store`), or only those the function's
   * services use (form-intake: `IntakeStore & RuntimeStore`), which keeps the other record families
   * out of its bundle.
   */
  table: (options: DynamoStoreOptions) => StoreParts;
  queue?: () => NotificationQueue;
  mailer?: () => Mailer;
  /** Senders of the text channels (SMS), each undefined where the stage configures no origination identity. */
  senders?: { [Channel in TextChannelName]?: () => TextSender | undefined };
  /** The mail bucket (raw mail and attachments), named by MAIL_BUCKET. */
  mailBlobs?: (bucket: string) => BlobStore;
  /** The report bucket, named by REPORT_BUCKET. */
  reportBlobs?: (bucket: string) => BlobStore;
  linkKeys?: () => () => Promise<LinkKeys>;
  /** The Cognito user pool behind the agent directory (the agent API's admin routes). */
  identities?: () => AgentIdentities;
  /** The dead-letter queues the console lists and replays (the agent API), named by DEAD_LETTER_QUEUES. */
  deadLetters?: () => DeadLetterQueues;
}

/** A part the function was not built with: using it is a programming error, so say which. */
class MissingPartError extends Error {
  constructor(functionName: string, part: string, options?: ErrorOptions) {
    super(`${functionName} was built without ${part}: add it to the awsRuntime(...) parts in its handler (and grant it in infra/)`, options);
    this.name = 'MissingPartError';
  }
}

/**
 * The runtime of one Lambda function: built once per cold start from the environment the stack
 * sets. Every client is constructed on first use, and only the clients the function lists in
 * `parts` exist at all; asking for another throws `MissingPartError` naming it. This module
 * imports no AWS SDK client: `awsRuntime` (./aws-runtime.ts) adds the SDK's table.
 */
export function functionRuntime<StoreParts extends RuntimeStore = Store>(functionName: string, parts: FunctionRuntimeParts<StoreParts>): () => Promise<Runtime<StoreParts>> {
  let runtime: Promise<Runtime<StoreParts>> | undefined;
  return async () => {
    runtime ??= Promise.resolve().then(() => buildRuntime(functionName, parts));
    const built = await runtime;
    // The agent directory and the desk settings live in the table: read at the first invocation,
    // then refreshed in the background every 30 s.
    await Promise.all([refreshDirectory(built), refreshDeskSettings(built)]);
    return built;
  };
}

function buildRuntime<StoreParts extends RuntimeStore>(functionName: string, parts: FunctionRuntimeParts<StoreParts>): Runtime<StoreParts> {
  const raw = JSON.parse(process.env.DESK_CONFIG ?? '{}') as Record<string, unknown>;
  // Agents come from the directory in the table (shared/services/directory.ts), never from the
  // environment: the demo agents are for the local desk only.
  const config = parseConfig({ ...raw, agents: [] });
  const once = <T>(part: string, make: (() => T) | undefined): (() => T) => {
    let value: T | undefined;
    return () => {
      if (!make) throw new MissingPartError(functionName, part);
      value ??= make();
      return value;
    };
  };
  const store = once('a table', () => parts.table({ tableName: requiredEnvironment('TABLE_NAME'), timeZone: config.calendar.timeZone }));
  const queue = once('a notification queue', parts.queue);
  const mailer = once('a mailer', parts.mailer);
  const mailBlobs = once('the mail bucket', parts.mailBlobs && (() => parts.mailBlobs?.(process.env.MAIL_BUCKET ?? '') as BlobStore));
  const reportBlobs = once('the report bucket', parts.reportBlobs && (() => parts.reportBlobs?.(process.env.REPORT_BUCKET ?? '') as BlobStore));
  const linkKeys = once('link keys', parts.linkKeys);
  const identities = parts.identities && once('the user pool', parts.identities);
  const deadLetters = parts.deadLetters && once('the dead-letter queues', parts.deadLetters);
  let senders: Runtime<StoreParts>['senders'];
  return {
    config,
    clock: systemClock,
    mailBucketName: process.env.MAIL_BUCKET ?? '',
    get store() {
      return store();
    },
    get queue() {
      return queue();
    },
    get mailer() {
      return mailer();
    },
    get identities() {
      return identities?.();
    },
    get deadLetters() {
      return deadLetters?.();
    },
    get senders() {
      senders ??= Object.fromEntries(Object.entries(parts.senders ?? {}).map(([channel, make]) => [channel, make()]));
      return senders;
    },
    get mailBlobs() {
      return mailBlobs();
    },
    get reportBlobs() {
      return reportBlobs();
    },
    linkKeys: () => linkKeys()(),
  };
}
