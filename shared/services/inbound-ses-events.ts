/**
 * SES's own reports on mail we sent (bounce and complaint events published to EventBridge): a
 * permanent bounce or a complaint puts the address on the suppression list, so the notifier never
 * mails it again. Transient bounces (mailbox full, greylisting) are only logged: SES retries them.
 */
import * as z from 'zod';
import type { Runtime } from './context.js';
import { SesEventError } from './inbound-errors.js';
import { isOwnAddress, safeAddress } from './inbound-fields.js';

const SES_DETAIL_TYPES = ['Email Bounced', 'Email Complaint Received'] as const;

const recipient = z.object({ emailAddress: z.string() }).passthrough();

const sesDetail = z
  .object({
    eventType: z.string().optional(),
    bounce: z.object({ bounceType: z.string(), bounceSubType: z.string().optional(), bouncedRecipients: z.array(recipient) }).passthrough().optional(),
    complaint: z.object({ complainedRecipients: z.array(recipient), complaintFeedbackType: z.string().optional() }).passthrough().optional(),
    mail: z.object({ messageId: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

export interface SesEventOutcome {
  action: 'suppressed' | 'ignored';
  reason: string;
  addresses: string[];
}

export class SesEventService {
  constructor(private readonly runtime: Pick<Runtime, 'store' | 'clock' | 'config'>) {}

  /**
   * Handles one EventBridge event from SES.
   *
   * @throws SesEventError when the detail is not an SES event of its type (EventBridge retries, then dead-letters)
   * @example
   * await new SesEventService(runtime).handle('Email Bounced', event.detail);
   * // { action: 'suppressed', reason: 'bounce Permanent/General', addresses: ['gone@example.com'] }
   */
  async handle(detailType: string, detail: unknown): Promise<SesEventOutcome> {
    if (!(SES_DETAIL_TYPES as readonly string[]).includes(detailType)) return { action: 'ignored', reason: `detail-type ${detailType}`, addresses: [] };
    const parsed = sesDetail.safeParse(detail);
    if (!parsed.success) throw new SesEventError(`malformed ${detailType} detail`, detailType, { cause: parsed.error });
    const { bounce, complaint } = parsed.data;
    if (detailType === 'Email Bounced') {
      if (!bounce) throw new SesEventError('bounce event without bounce', detailType);
      const reason = `bounce ${bounce.bounceType}${bounce.bounceSubType ? `/${bounce.bounceSubType}` : ''}`;
      if (bounce.bounceType !== 'Permanent') return { action: 'ignored', reason, addresses: [] };
      return this.suppress(bounce.bouncedRecipients.map((r) => r.emailAddress), reason, 'bounce');
    }
    if (!complaint) throw new SesEventError('complaint event without complaint', detailType);
    return this.suppress(complaint.complainedRecipients.map((r) => r.emailAddress), `complaint ${complaint.complaintFeedbackType ?? 'unspecified'}`, 'complaint');
  }

  /** SES's own word is the source of truth; a bounce suppression still lifts itself after the configured days. */
  private async suppress(raw: string[], reason: string, kind: 'bounce' | 'complaint'): Promise<SesEventOutcome> {
    const now = this.runtime.clock.now();
    const at = now.toISOString();
    const until = kind === 'bounce' ? new Date(now.getTime() + this.runtime.config.security.bounceSuppressionDays * 86_400_000).toISOString() : undefined;
    const addresses: string[] = [];
    for (const value of raw) {
      // SES may report `"Name" <a@b.c>`; the suppression list is keyed by the bare address.
      const address = safeAddress(/<([^<>]+)>/.exec(value)?.[1] ?? value);
      if (!address || isOwnAddress(address, this.runtime.config.desk.domain) || addresses.includes(address)) continue;
      await this.runtime.store.suppress(address, { reason: kind, source: 'ses-event', detail: reason }, at, until);
      addresses.push(address);
    }
    return { action: addresses.length > 0 ? 'suppressed' : 'ignored', reason, addresses };
  }
}
