import type { Context } from 'aws-lambda';
import { expect } from 'vitest';
import { createNotifierHandler } from '../../functions/notifier/handler.js';
import { IntakeService, type IntakeRequest } from '../../shared/services/intake.js';
import { RoutingService } from '../../shared/services/routing.js';
import type { Ticket } from '../../shared/domain/ticket.js';
import type { TestRuntime } from './runtime.js';

export const lambdaContext = { awsRequestId: 'test', functionName: 'test', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

let counter = 0;

/** A ticket as the form or the mail intake would create it, optionally routed as the intake handlers do. */
export async function createTicket(runtime: TestRuntime, overrides: Partial<IntakeRequest> = {}, options: { route?: boolean } = {}): Promise<Ticket> {
  counter += 1;
  const request: IntakeRequest = {
    channel: 'form',
    dedupeKey: `form:test-${counter}-${Math.random()}`,
    customer: { name: 'Amy Smith', email: 'amy@example.com' },
    description: 'The site is down for everyone, production down since this morning',
    language: 'en',
    acknowledge: true,
    ...overrides,
  };
  const { ticket } = await new IntakeService(runtime).submit(request);
  if (options.route ?? true) await new RoutingService(runtime).route(ticket.ticketNo);
  return (await runtime.store.getTicket(ticket.ticketNo)) as Ticket;
}

/** Hands every queued notification to the real notifier handler, as SQS would. */
export async function sendQueued(runtime: TestRuntime): Promise<void> {
  const notifier = createNotifierHandler(async () => runtime);
  await runtime.queue.drain(async (notification) => {
    const result = await notifier({ Records: [{ messageId: notification.notificationId, body: JSON.stringify(notification) }] } as never, lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
  });
}
