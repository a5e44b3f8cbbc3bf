import { ListMessageMoveTasksCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SqsRedrive } from '../../../shared/adapters/sqs-redrive.js';
import { main } from '../../../local/redrive.js';

const sqs = mockClient(SQSClient);
const DLQ = 'arn:aws:sqs:eu-west-1:123456789012:TicketlineStateful-InboundDlq-ABC';

afterEach(() => sqs.reset());
// The stub sits on the client class itself: take it off for whatever runs after this file in the same process.
afterAll(() => sqs.restore());

describe('SqsRedrive (AWS)', () => {
  it('starts an SQS message move task from the dead-letter queue back to its source queue', async () => {
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [{ Status: 'COMPLETED', TaskHandle: 'old' }] });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    const result = await new SqsRedrive(new SQSClient({ region: 'eu-west-1' })).redrive({ sourceArn: DLQ });
    expect(result).toEqual({ status: 'started', taskHandle: 'task-1' });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({ SourceArn: DLQ, DestinationArn: undefined, MaxNumberOfMessagesPerSecond: undefined });
  });

  it('is idempotent: while a move task of the same queue runs, it starts nothing and reports it', async () => {
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [{ Status: 'RUNNING', TaskHandle: 'task-1', ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 7 }] });
    const result = await new SqsRedrive(new SQSClient({ region: 'eu-west-1' })).redrive({ sourceArn: DLQ });
    expect(result).toEqual({ status: 'already-running', taskHandle: 'task-1', movedSoFar: 3, toMove: 7 });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  it('the CLI passes the destination and rate through and refuses a queue name with --aws', async () => {
    sqs.on(ListMessageMoveTasksCommand).resolves({ Results: [] });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-2' });
    const lines: string[] = [];
    process.env.AWS_REGION ??= 'eu-west-1';
    expect(await main([DLQ, '--aws', '--to', 'arn:aws:sqs:eu-west-1:123456789012:Inbound', '--rate', '5'], (line) => lines.push(line))).toBe(0);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toMatchObject({ SourceArn: DLQ, DestinationArn: 'arn:aws:sqs:eu-west-1:123456789012:Inbound', MaxNumberOfMessagesPerSecond: 5 });
    expect(lines.join('\n')).toContain('task-2');
    expect(await main(['inbound', '--aws'], (line) => lines.push(line))).toBe(2);
  });
});
