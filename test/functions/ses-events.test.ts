import type { EventBridgeEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createSesEventsHandler } from '../../functions/ses-events/handler.js';
import { lambdaContext } from '../support/inbound.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';

function sesEvent(detailType: string, detail: unknown): EventBridgeEvent<string, unknown> {
  return { version: '0', id: 'e-1', 'detail-type': detailType, source: 'aws.ses', account: '0', time: '2024-05-20T02:00:00Z', region: 'ap-east-1', resources: [], detail };
}

async function invoke(runtime: TestRuntime, event: EventBridgeEvent<string, unknown>) {
  return createSesEventsHandler(async () => runtime)(event, lambdaContext);
}

const bounce = (bounceType: string, ...addresses: string[]) => ({
  eventType: 'Bounce',
  bounce: { bounceType, bounceSubType: 'General', bouncedRecipients: addresses.map((emailAddress) => ({ emailAddress, status: '5.1.1' })) },
  mail: { messageId: 'ses-1' },
});

describe('ses-events handler', () => {
  it('suppresses every recipient of a permanent bounce', async () => {
    const runtime = await testRuntime();

    await invoke(runtime, sesEvent('Email Bounced', bounce('Permanent', 'Gone@Customer.example.com', 'Also Gone <also@customer.example.com>')));

    expect(await runtime.store.isSuppressed('gone@customer.example.com', runtime.clock.now())).toBe(true);
    expect(await runtime.store.isSuppressed('also@customer.example.com', runtime.clock.now())).toBe(true);
  });

  it('leaves the address alone on a transient bounce', async () => {
    const runtime = await testRuntime();

    const outcome = await invoke(runtime, sesEvent('Email Bounced', bounce('Transient', 'full@customer.example.com')));

    expect(outcome).toMatchObject({ action: 'ignored' });
    expect(await runtime.store.isSuppressed('full@customer.example.com', runtime.clock.now())).toBe(false);
  });

  it('suppresses an address that complained', async () => {
    const runtime = await testRuntime();
    const detail = { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'angry@customer.example.com' }], complaintFeedbackType: 'abuse' } };

    await invoke(runtime, sesEvent('Email Complaint Received', detail));

    expect(await runtime.store.isSuppressed('angry@customer.example.com', runtime.clock.now())).toBe(true);
  });

  it('never suppresses the desk itself', async () => {
    const runtime = await testRuntime();

    await invoke(runtime, sesEvent('Email Bounced', bounce('Permanent', 'support@support.example.com')));

    expect(await runtime.store.isSuppressed('support@support.example.com', runtime.clock.now())).toBe(false);
  });

  it('ignores other SES event types', async () => {
    const runtime = await testRuntime();

    const outcome = await invoke(runtime, sesEvent('Email Delivered', { eventType: 'Delivery' }));

    expect(outcome).toMatchObject({ action: 'ignored' });
  });

  it('throws on a malformed bounce so EventBridge retries and dead-letters it', async () => {
    const runtime = await testRuntime();

    await expect(invoke(runtime, sesEvent('Email Bounced', { bounce: { bouncedRecipients: 'nope' } }))).rejects.toMatchObject({ name: 'SesEventError' });
  });
});
