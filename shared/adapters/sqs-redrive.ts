import { ListMessageMoveTasksCommand, StartMessageMoveTaskCommand, type SQSClient } from '@aws-sdk/client-sqs';

export type RedriveResult =
  | { status: 'started'; taskHandle: string }
  | { status: 'already-running'; taskHandle?: string; movedSoFar?: number; toMove?: number };

/**
 * Replays a dead-letter queue on AWS with SQS's own redrive (StartMessageMoveTask): the messages go
 * back to the queue they failed on (or `destinationArn`). Idempotent: while a move task of the same
 * DLQ is running, asking again starts nothing and reports it; the handlers' dedupe keys make a
 * replayed message that was in fact processed harmless.
 */
export class SqsRedrive {
  constructor(private readonly client: SQSClient) {}

  async redrive(input: { sourceArn: string; destinationArn?: string; maxMessagesPerSecond?: number }): Promise<RedriveResult> {
    const { Results: tasks = [] } = await this.client.send(new ListMessageMoveTasksCommand({ SourceArn: input.sourceArn, MaxResults: 10 }));
    const running = tasks.find((task) => task.Status === 'RUNNING');
    if (running) {
      return { status: 'already-running', taskHandle: running.TaskHandle, movedSoFar: running.ApproximateNumberOfMessagesMoved, toMove: running.ApproximateNumberOfMessagesToMove };
    }
    const started = await this.client.send(
      new StartMessageMoveTaskCommand({ SourceArn: input.sourceArn, DestinationArn: input.destinationArn, MaxNumberOfMessagesPerSecond: input.maxMessagesPerSecond }),
    );
    return { status: 'started', taskHandle: started.TaskHandle ?? '' };
  }
}
