import * as z from 'zod/mini';
import '../config/zod-messages.js';
import { LANGUAGES, TICKET_TYPES, type Language } from '../domain/ticket.js';
import { URGENCIES } from '../domain/classification.js';
import type { ProblemField } from '../http/errors.js';

/** Control characters other than tab and newline never belong in what a customer typed. */
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200D\u2028\u2029\uFEFF]/g;
const LINE_BREAKS = /[\r\n\t]+/g;

/** One-line fields (names, subjects) lose line breaks, so nothing typed there can ever become a mail header. */
const optionalOneLine = (max: number) =>
  z.pipe(
    z.pipe(
      z.pipe(
        z.nullish(z.string({ error: 'expected text' })),
        z.transform((value: string | null | undefined) => (typeof value === 'string' ? value.replace(LINE_BREAKS, ' ').replace(CONTROL, '').trim() : '')),
      ),
      z.string().check(z.maxLength(max, `at most ${max} characters`)),
    ),
    z.transform((value: string) => value || undefined),
  );

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

const PHONE_PATTERN = /^\+?[0-9][0-9 ()\-.]{5,22}[0-9]$/;

// zod/mini on this hot path: the form-intake bundle stays small (docs/performance.md).
export const ticketFormSchema = z
  .object({
    description: z.pipe(
      z.pipe(
        z.string({ error: 'expected text' }),
        z.transform((value: string) => value.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim()),
      ),
      z.string().check(z.minLength(1, 'required'), z.maxLength(5000, 'at most 5000 characters')),
    ),
    email: z.pipe(optionalOneLine(254), z.optional(z.email('not a valid email address'))),
    phone: optionalOneLine(30).check(
      z.refine((value) => value === undefined || (PHONE_PATTERN.test(value) && value.replace(/\D/g, '').length >= 7), { message: 'not a valid phone number' }),
    ),
    name: optionalOneLine(100),
    account: optionalOneLine(100),
    order: optionalOneLine(100),
    subject: optionalOneLine(200),
    language: z.pipe(
      z.nullish(z.union([z.enum(LANGUAGES), z.literal('')], { error: 'expected zh-CN or en' })),
      z.transform((value: Language | '' | null | undefined) => (value ? value : undefined)),
    ),
    /** What the customer says the request is; the classification weighs it with the text. */
    type: z.pipe(
      z.pipe(z.transform(fromLabel(REQUEST_TYPE_LABELS)), z.nullish(z.enum(TICKET_TYPES, { error: `expected one of ${TICKET_TYPES.join(', ')}` }))),
      z.transform((value: (typeof TICKET_TYPES)[number] | null | undefined) => value ?? undefined),
    ),
    /** How urgent the customer says it is; medium when not given. */
    urgency: z.pipe(
      z.pipe(z.transform(fromLabel(URGENCY_LABELS)), z.nullish(z.enum(URGENCIES, { error: 'expected high, medium or low' }))),
      z.transform((value: (typeof URGENCIES)[number] | null | undefined) => value ?? 'medium'),
    ),
    /** The honeypot: hidden from people, filled in by bots. */
    website: z.nullish(z.string()),
    idempotencyKey: optionalOneLine(200),
  })
  .check(
    z.superRefine((form, context) => {
      if (!form.email && !form.phone) {
        context.addIssue({ code: 'custom', path: ['email'], message: 'give an email address or a phone number so we can reply' });
      }
    }),
  );

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
