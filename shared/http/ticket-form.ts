import { z } from 'zod';
import { LANGUAGES, TICKET_TYPES } from '../domain/ticket.js';
import { URGENCIES } from '../domain/classification.js';
import type { ProblemField } from './errors.js';

/** Control characters other than tab and newline never belong in what a customer typed. */
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200D\u2028\u2029\uFEFF]/g;
const LINE_BREAKS = /[\r\n\t]+/g;

/** One-line fields (names, subjects) lose line breaks, so nothing typed there can ever become a mail header. */
const optionalOneLine = (max: number) =>
  z
    .string({ error: 'expected text' })
    .nullish()
    .transform((value) => (typeof value === 'string' ? value.replace(LINE_BREAKS, ' ').replace(CONTROL, '').trim() : ''))
    .pipe(z.string().max(max, `at most ${max} characters`))
    .transform((value) => value || undefined);

/**
 * The request types and urgencies the form offers, as the procedures name them; the API takes the
 * ids, and the Chinese and English labels are accepted too (a hand-made form or a client may send them).
 */
export const REQUEST_TYPE_LABELS: Record<(typeof TICKET_TYPES)[number], { 'zh-CN': string; en: string }> = {
  consultation: { 'zh-CN': '咨询', en: 'Question' },
  fault: { 'zh-CN': '报障', en: 'Something is broken' },
  'after-sales': { 'zh-CN': '售后', en: 'After-sales (return, refund, delivery)' },
  complaint: { 'zh-CN': '投诉', en: 'Complaint' },
  suggestion: { 'zh-CN': '建议', en: 'Suggestion' },
  other: { 'zh-CN': '其他', en: 'Other' },
};
export const URGENCY_LABELS: Record<(typeof URGENCIES)[number], { 'zh-CN': string; en: string }> = {
  high: { 'zh-CN': '高', en: 'High' },
  medium: { 'zh-CN': '中', en: 'Medium' },
  low: { 'zh-CN': '低', en: 'Low' },
};

function fromLabel<T extends string>(labels: Record<T, { 'zh-CN': string; en: string }>) {
  return (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    const lower = trimmed.toLowerCase();
    const found = (Object.keys(labels) as T[]).find((id) => id === lower || labels[id]['zh-CN'] === trimmed || labels[id].en.toLowerCase() === lower);
    return found ?? trimmed;
  };
}

export const PHONE_PATTERN = /^\+?[0-9][0-9 ()\-.]{5,22}[0-9]$/;

export const ticketFormSchema = z
  .object({
    description: z
      .string({ error: 'expected text' })
      .transform((value) => value.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim())
      .pipe(z.string().min(1, 'required').max(5000, 'at most 5000 characters')),
    email: optionalOneLine(254).pipe(z.email('not a valid email address').optional()),
    phone: optionalOneLine(30).refine((value) => value === undefined || (PHONE_PATTERN.test(value) && value.replace(/\D/g, '').length >= 7), {
      message: 'not a valid phone number',
    }),
    name: optionalOneLine(100),
    account: optionalOneLine(100),
    order: optionalOneLine(100),
    subject: optionalOneLine(200),
    language: z
      .union([z.enum(LANGUAGES), z.literal('')], { error: 'expected zh-CN or en' })
      .nullish()
      .transform((value) => (value ? value : undefined)),
    /** What the customer says the request is; the classification weighs it with the text. */
    type: z.preprocess(fromLabel(REQUEST_TYPE_LABELS), z.enum(TICKET_TYPES, { error: `expected one of ${TICKET_TYPES.join(', ')}` }).nullish()).transform((value) => value ?? undefined),
    /** How urgent the customer says it is; medium when not given. */
    urgency: z
      .preprocess(fromLabel(URGENCY_LABELS), z.enum(URGENCIES, { error: 'expected high, medium or low' }).nullish())
      .transform((value) => value ?? 'medium'),
    /** The honeypot: hidden from people, filled in by bots. */
    website: z.string().nullish(),
    idempotencyKey: optionalOneLine(200),
  })
  .superRefine((form, context) => {
    if (!form.email && !form.phone) {
      context.addIssue({ code: 'custom', path: ['email'], message: 'give an email address or a phone number so we can reply' });
    }
  });

export type TicketForm = z.output<typeof ticketFormSchema>;

export type FormValidation = { ok: true; form: TicketForm } | { ok: false; fields: ProblemField[] };

export function validateTicketForm(input: unknown): FormValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, fields: [{ field: '(body)', message: 'expected an object with the form fields' }] };
  }
  const result = ticketFormSchema.safeParse(input);
  if (result.success) return { ok: true, form: result.data };
  const raw = input as Record<string, unknown>;
  const fields = new Map<string, string>();
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '(body)');
    const missing = raw[field] === undefined || raw[field] === null;
    if (!fields.has(field)) fields.set(field, issue.code === 'invalid_type' && missing ? 'required' : issue.message);
  }
  // The object-level rule only runs when every field parsed; name the missing contact anyway.
  const hasContact = [raw.email, raw.phone].some((value) => typeof value === 'string' && value.trim() !== '');
  if (!hasContact && !fields.has('email')) fields.set('email', 'give an email address or a phone number so we can reply');
  return { ok: false, fields: [...fields].map(([field, message]) => ({ field, message })) };
}

export function oneLineClean(value: string): string {
  return value.replace(LINE_BREAKS, ' ').replace(CONTROL, '').trim();
}
