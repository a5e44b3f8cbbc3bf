import { LANGUAGES, type Language } from '../domain/ticket.js';
import { TEMPLATE_PLACEHOLDERS } from './placeholders.js';
import { parseTemplate, placeholderNames, unconditionalNames } from './syntax.js';
import { NOTICE_KINDS, type NoticeKind } from '../domain/vocabulary.js';
import type { PlaceholderSpec } from './types.js';

/** Longest subject template a supervisor may save; the rendered subject is capped separately. */
export const MAX_SUBJECT_TEMPLATE_CHARS = 200;
/** Longest body template a supervisor may save. */
export const MAX_BODY_TEMPLATE_CHARS = 10_000;

export type TemplateValidation = { ok: true } | { ok: false; errors: string[] };

/**
 * Checks a subject/body pair against a set of placeholders: syntax, unknown and missing
 * placeholders, the `[{{ticketNo}}]` subject rule, line breaks in the subject, length.
 */
export function checkTemplateText(placeholders: Readonly<Record<string, PlaceholderSpec>>, subject: string, body: string): string[] {
  const errors: string[] = [];
  if (typeof subject !== 'string' || typeof body !== 'string') return ['subject and body must be strings'];

  if (subject.trim() === '') errors.push('subject is empty');
  if (body.trim() === '') errors.push('body is empty');
  if ([...subject].length > MAX_SUBJECT_TEMPLATE_CHARS) errors.push(`subject is longer than ${MAX_SUBJECT_TEMPLATE_CHARS} characters`);
  if ([...body].length > MAX_BODY_TEMPLATE_CHARS) errors.push(`body is longer than ${MAX_BODY_TEMPLATE_CHARS} characters`);
  if (/[\r\n\u2028\u2029]/.test(subject)) errors.push('subject must be a single line');

  const parsedSubject = parseTemplate(subject);
  const parsedBody = parseTemplate(body);
  if (!parsedSubject.ok) errors.push(...parsedSubject.errors.map((e) => `subject: ${e}`));
  if (!parsedBody.ok) errors.push(...parsedBody.errors.map((e) => `body: ${e}`));
  if (!parsedSubject.ok || !parsedBody.ok) return errors;

  const allowed = new Set(Object.keys(placeholders));
  for (const [part, nodes] of [['subject', parsedSubject.nodes], ['body', parsedBody.nodes]] as const) {
    for (const name of placeholderNames(nodes)) {
      if (!allowed.has(name)) errors.push(`${part}: unknown placeholder {{${name}}}; allowed: ${[...allowed].join(', ')}`);
    }
  }

  const shown = new Set([...unconditionalNames(parsedSubject.nodes), ...unconditionalNames(parsedBody.nodes)]);
  for (const [name, spec] of Object.entries(placeholders)) {
    if (spec.required && !shown.has(name)) errors.push(`required placeholder {{${name}}} is missing (or only inside another value's {{#if}})`);
  }

  // Replies are threaded by the bracketed ticket number in the subject.
  if ('ticketNo' in placeholders && !subject.includes('[{{ticketNo}}]')) errors.push('subject must contain [{{ticketNo}}]');

  return errors;
}

/**
 * Validates an edited template before it is stored, e.g. from the supervisors' template API.
 * Takes untyped input at run time into account (unknown id or language are errors, not throws).
 *
 * @example
 * validateTemplate('reminder', 'en', '[{{ticketNo}}] Still waiting', 'Hello...');
 * // { ok: false, errors: ['required placeholder {{missingInfo}} is missing ...', ...] }
 */
export function validateTemplate(id: NoticeKind, language: Language, subject: string, body: string): TemplateValidation {
  if (!(NOTICE_KINDS as readonly string[]).includes(id)) return { ok: false, errors: [`unknown template id "${String(id)}"`] };
  if (!(LANGUAGES as readonly string[]).includes(language)) return { ok: false, errors: [`unknown language "${String(language)}"`] };
  const errors = checkTemplateText(TEMPLATE_PLACEHOLDERS[id], subject, body);
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
