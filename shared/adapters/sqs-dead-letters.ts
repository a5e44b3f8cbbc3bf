import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterQueues } from '../services/context.js';
import { NotFoundError, TransientError } from '../services/errors.js';
import { requiredEnvironment } from './environment.js';
import { SqsRedrive } from './sqs-redrive.js';

/** A dead-letter queue as the stack names it to the agent API. */
export interface DeadLetterQueueAddress {
  arn: string;
  url: string;
}

const THROTTLES = new Set(['ThrottlingException', 'RequestThrottled', 'AWS.SimpleQueueService.RequestThrottled', 'ServiceUnavailable']);

/**
 * The deployed desk's dead-letter queues for the console (admins): how many messages each holds
 * (SQS's approximate count; the letters themselves are not read, so nothing is consumed and no
 * customer text leaves the queue) and their replay with SQS's own redrive (StartMessageMoveTask
 * back to the queue they failed on), the same as `npm run redrive -- <arn> --aws`. The names are
 * the local runtime's (`inbound`, `notifications`), so the console is the same on both.
 */
export class SqsDeadLetters implements DeadLetterQueues {
  private readonly redrive: SqsRedrive;

  constructor(
    private readonly client: SQSClient,
    private readonly queues: Readonly<Record<string, DeadLetterQueueAddress>>,
  ) {
    this.redrive = new SqsRedrive(client);
  }

  async list(): Promise<Array<{ queue: string; count: number }>> {
    return Promise.all(
      Object.entries(this.queues).map(async ([queue, address]) => {
        const { Attributes } = await this.send(() => this.client.send(new GetQueueAttributesCommand({ QueueUrl: address.url, AttributeNames: ['ApproximateNumberOfMessages'] })));
        return { queue, count: Number(Attributes?.ApproximateNumberOfMessages ?? 0) };
      }),
    );
  }

  async replay(queue: string): Promise<{ status: 'started' | 'already-running' }> {
    const address = Object.hasOwn(this.queues, queue) ? this.queues[queue] : undefined;
    if (!address) throw new NotFoundError('dead-letter queue', queue);
    const result = await this.send(() => this.redrive.redrive({ sourceArn: address.arn }));
    return { status: result.status };
  }

  private async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (THROTTLES.has((error as { name?: string }).name ?? '')) throw new TransientError('SQS refused the request for now', 'sqs', { cause: error });
      throw error;
    }
  }
}

/** The agent API's dead-letter queues, named by the stack in `DEAD_LETTER_QUEUES` (`{ "<name>": { arn, url } }`). */
export function sqsDeadLetters(): DeadLetterQueues {
  const queues = JSON.parse(requiredEnvironment('DEAD_LETTER_QUEUES')) as Record<string, DeadLetterQueueAddress>;
  return new SqsDeadLetters(new SQSClient({}), queues);
}
