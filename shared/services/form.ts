import { randomUUID } from 'node:crypto';
import type { TicketForm } from '../http/ticket-form.js';
import type { IntakeRequest } from './intake.js';

/**
 * Maps a validated web form to an intake request. Without an idempotency key every post is a
 * new request; with one, a repeated post (a double click, a client retry) finds the same ticket.
 */
export function formRequest(form: TicketForm, idempotencyKey: string | undefined): IntakeRequest {
  return {
    channel: 'form',
    dedupeKey: `form:${idempotencyKey ?? randomUUID()}`,
    customer: { name: form.name, email: form.email?.toLowerCase(), phone: form.phone, account: form.account },
    order: form.order,
    subject: form.subject,
    description: form.description,
    stated: { type: form.type, urgency: form.urgency },
    language: form.language,
    acknowledge: true,
  };
}
