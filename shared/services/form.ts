import { randomUUID } from 'node:crypto';
import { contactKey, mailboxKey, mailDomain } from '../domain/contact.js';
import type { TicketForm } from '../contract/ticket-form.js';
import type { Runtime } from './context.js';
import type { IntakeStore } from './ports.js';
import { RateLimitedError } from './errors.js';
import { IntakeService, type IntakeRequest, type IntakeResult } from './intake.js';
import { rateWindow, secondsLeftInHour } from '../domain/expiry.js';

/**
 * Maps a validated web form to an intake request. Without an idempotency key every post is a
 * new request; with one, a repeated post (a double click, a client retry) finds the same ticket.
 * The key is scoped to the submitter's normalised contact: a second customer who happens to send
 * the same key gets their own ticket, never the first customer's.
 */
function formRequest(form: TicketForm, idempotencyKey: string | undefined): IntakeRequest {
  const customer = { name: form.name, email: form.email?.toLowerCase(), phone: form.phone, account: form.account };
  return {
    channel: 'form',
    dedupeKey: idempotencyKey ? `form:${contactKey(customer)}:${idempotencyKey}` : `form:${randomUUID()}`,
    customer,
    order: form.order,
    subject: form.subject,
    description: form.description,
    stated: { type: form.type, urgency: form.urgency },
    language: form.language,
    // Anyone can type any address into a form: the words are the poster's, not provably the address owner's.
    message: { flags: ['unverified-sender'] },
    acknowledge: true,
  };
}

/**
 * The web form's way into intake, behind its limits: per client (source IP), per mailbox
 * (plus-addressing folded) and per domain, each per hour. Over a limit nothing is stored and the
 * caller hears when to try again; within them the same counts decide whether the acknowledgement
 * limit is spent (then the ticket is stored, flagged `rate-limited`, held and not acknowledged).
 */
export class FormIntakeService {
  constructor(private readonly runtime: Runtime<IntakeStore>) {}

  async submit(form: TicketForm, idempotencyKey: string | undefined, client: string): Promise<IntakeResult> {
    const { config, store, clock } = this.runtime;
    const limits = config.security.limits;
    const now = clock.now();
    const { hour, expiresAt } = rateWindow(now);
    const email = form.email?.toLowerCase();
    const request = formRequest(form, idempotencyKey);
    // A retry (same key, same contact: after a 503, a timeout, a cut connection) counts once, so a
    // customer retrying through an outage is not refused for the desk's own failures.
    const once = idempotencyKey ? request.dedupeKey : undefined;
    const [perClient, perAddress, perDomain] = await Promise.all([
      store.countInHour(`client:${client}`, hour, expiresAt, once),
      // A customer who left only a phone number is counted by it, as one who left an address is by the mailbox.
      email ? store.countInHour(`mailbox:${mailboxKey(email)}`, hour, expiresAt, once) : form.phone ? store.countInHour(contactKey({ phone: form.phone }), hour, expiresAt, once) : Promise.resolve(0),
      email ? store.countInHour(`domain:${mailDomain(email)}`, hour, expiresAt, once) : Promise.resolve(0),
    ]);
    const retryAfter = secondsLeftInHour(now);
    const refusal =
      perClient > limits.formPerClientPerHour
        ? new RateLimitedError('form posts from this client are over the hourly limit', retryAfter, 'client')
        : perAddress > limits.formPerAddressPerHour
          ? new RateLimitedError(`form posts for this ${email ? 'address' : 'phone number'} are over the hourly limit`, retryAfter, 'address')
          : perDomain > limits.formPerDomainPerHour
            ? new RateLimitedError('form posts for this domain are over the hourly limit', retryAfter, 'domain')
            : undefined;
    request.acknowledgementCounts = { address: perAddress, domain: perDomain };
    // A retry the counters no longer tell apart (another hour, a counter past what it remembers)
    // still gets the ticket its first try made rather than a refusal. Only a refusal pays for the lookup.
    if (refusal && !(idempotencyKey && (await store.findDedupe(request.dedupeKey)))) throw refusal;
    return new IntakeService(this.runtime).submit(request);
  }
}
