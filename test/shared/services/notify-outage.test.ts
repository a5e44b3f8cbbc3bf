import { describe, expect, it } from 'vitest';
import { FUNCTION_SIZING } from '../../../infra/functions.js';
import { CLAIM_LEASE_SECONDS, NotifierService } from '../../../shared/services/notify.js';
import { testRuntime } from '../../support/runtime.js';
import { createTicket } from '../../support/tickets.js';

describe('notifier during a database outage', () => {
  it('sizes the claim lease from the notifier timeout: no live invocation still holds a claim that old', () => {
    expect(CLAIM_LEASE_SECONDS).toBeGreaterThanOrEqual(2 * FUNCTION_SIZING.notifier.timeoutSeconds);
  });

  it('a mail the provider accepted but the table could not record is recorded by the retry, not sent again', async () => {
    const runtime = await testRuntime();
    await createTicket(runtime);
    const acknowledgement = runtime.queue.sent.find((notification) => notification.kind === 'acknowledgement');
    expect(acknowledgement).toBeDefined();
    const store = runtime.store;
    // The database goes away right after the send: completing and finishing the claim both fail.
    const down = new Error('connect ECONNREFUSED 127.0.0.1:8000');
    const outage = Object.create(store) as typeof store;
    outage.completeNotification = async () => {
      throw down;
    };
    outage.finishNotification = async () => {
      throw down;
    };
    await expect(new NotifierService({ ...runtime, store: outage }).deliver(acknowledgement!)).rejects.toThrow('ECONNREFUSED');
    expect(runtime.mailer.raw).toHaveLength(1);

    // The database is back, the lease has long run out, and the queue delivers the notice again.
    runtime.clock.advanceMinutes(10);
    expect(await new NotifierService(runtime).deliver(acknowledgement!)).toBe('sent');
    expect(runtime.mailer.raw).toHaveLength(1);
    expect(await new NotifierService(runtime).deliver(acknowledgement!)).toBe('duplicate');
    expect(runtime.mailer.raw).toHaveLength(1);
  });
});
