import { GetQueueAttributesCommand, ListMessageMoveTasksCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SqsDeadLetters, sqsDeadLetters } from '../../../shared/adapters/sqs-dead-letters.js';
import { NotFoundError, TransientError } from '../../../shared/services/errors.js';

/** Issue 13: the console's dead-letter replay works deployed (SQS's redrive, no message read). */

const sqs = mockClient(SQSClient);
const QUEUES = {
  inbound: { arn: 'arn:aws:sqs:eu-west-1:123456789012:InboundDlq', url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/InboundDlq' },
  notifications: { arn: 'arn:aws:sqs:eu-west-1:123456789012:NotificationDlq', url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/NotificationDlq' },
};
// The stub sits on the client class itself: take it off for whatever runs after this file in the same process.
afterAll(() => sqs.restore());
const deadLetters = () => new SqsDeadLetters(new SQSClient({ region: 'eu-west-1' }), QUEUES);

afterEach(() => {
  sqs.reset();
  vi.unstubAllEnvs();
});

describe('SqsDeadLetters', () => {
  it('lists each queue with the approximate count SQS keeps, without receiving (consuming) a message', async () => {
    sqs.on(GetQueueAttributesCommand, { QueueUrl: QUEUES.inbound.url }).resolves({ Attributes: { ApproximateNumberOfMessages: '3' } });
    sqs.on(GetQueueAttributesCommand, { QueueUrl: QUEUES.notifications.url }).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
    expect(await deadLetters().list()).toEqual([
      { queue: 'inbound', count: 3 },
      { queue: 'notifications', count: 0 },
    ]);
    expect(sqs.calls().map((call) => call.args[0].constructor.name)).toEqual(['GetQueueAttributesCommand', 'GetQueueAttributesCommand']);
  });

  it('replays a queue by its name with a move task back to its source, once at a time', async () => {
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    expect(await deadLetters().replay('notifications')).toEqual({ status: 'started' });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toMatchObject({ SourceArn: QUEUES.notifications.arn });

    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [{ Status: 'RUNNING', TaskHandle: 'task-1' }] });
    expect(await deadLetters().replay('notifications')).toEqual({ status: 'already-running' });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(1);
  });

  it('knows only the queues the stack named (no ARN from the caller, no prototype keys)', async () => {
    for (const queue of ['arn:aws:sqs:eu-west-1:123456789012:Other', 'constructor', '__proto__', 'toString']) {
      await expect(deadLetters().replay(queue)).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(sqs.calls()).toHaveLength(0);
  });

  it('turns SQS throttling into try-again-later', async () => {
    sqs.on(GetQueueAttributesCommand).rejects(Object.assign(new Error('slow down'), { name: 'RequestThrottled' }));
    await expect(deadLetters().list()).rejects.toBeInstanceOf(TransientError);
  });

  it('reads the queues from DEAD_LETTER_QUEUES, as the stack sets it', async () => {
    vi.stubEnv('DEAD_LETTER_QUEUES', JSON.stringify(QUEUES));
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '1' } });
    expect((await sqsDeadLetters().list()).map((entry) => entry.queue)).toEqual(['inbound', 'notifications']);
  });
});
