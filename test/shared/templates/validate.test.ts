import { describe, expect, it } from 'vitest';
import type { Language } from '../../../shared/domain/ticket.js';
import { defaultTemplates } from '../../../shared/templates/catalogue.js';
import type { NoticeKind } from '../../../shared/domain/vocabulary.js';
import { MAX_BODY_TEMPLATE_CHARS, MAX_SUBJECT_TEMPLATE_CHARS, validateTemplate } from '../../../shared/templates/validate.js';

const reminder = defaultTemplates().reminder.texts.en;

function errorsOf(result: ReturnType<typeof validateTemplate>): string[] {
  return result.ok ? [] : result.errors;
}

describe('validateTemplate', () => {
  it('accepts a valid edit', () => {
    expect(validateTemplate('reminder', 'en', '[{{ticketNo}}] Please reply', reminder.body)).toEqual({ ok: true });
  });

  it('reports an unknown placeholder by name', () => {
    const errors = errorsOf(validateTemplate('reminder', 'en', reminder.subject, `${reminder.body} {{customerEmail}}`));
    expect(errors).toEqual([expect.stringContaining('{{customerEmail}}')]);
  });

  it('reports an unknown placeholder used only as a section condition', () => {
    const errors = errorsOf(validateTemplate('reminder', 'en', reminder.subject, `${reminder.body}{{#if vipNote}}x{{/if}}`));
    expect(errors).toEqual([expect.stringContaining('{{vipNote}}')]);
  });

  it('reports a missing required placeholder', () => {
    const body = reminder.body.replaceAll('{{missingInfo}}', 'the details');
    expect(errorsOf(validateTemplate('reminder', 'en', reminder.subject, body))).toEqual([expect.stringContaining('{{missingInfo}}')]);
  });

  it('reports a required placeholder hidden inside another value\'s section', () => {
    const body = reminder.body.replaceAll('{{missingInfo}}', '{{#if followUpDue}}{{missingInfo}}{{/if}}');
    expect(errorsOf(validateTemplate('reminder', 'en', reminder.subject, body))).toEqual([expect.stringContaining('{{missingInfo}}')]);
  });

  it('accepts a required placeholder that appears only in the subject', () => {
    const body = reminder.body.replaceAll('{{summary}}', 'your request');
    expect(validateTemplate('reminder', 'en', '[{{ticketNo}}] {{summary}}', body)).toEqual({ ok: true });
  });

  it('requires the bracketed ticket number in the subject', () => {
    const errors = errorsOf(validateTemplate('reminder', 'en', 'Ticket {{ticketNo}}: please reply', reminder.body));
    expect(errors).toEqual([expect.stringContaining('[{{ticketNo}}]')]);
  });

  it('does not require a ticket number in the weekly report subject', () => {
    const { body } = defaultTemplates()['weekly-report'].texts.en;
    expect(validateTemplate('weekly-report', 'en', 'Weekly report {{periodStart}}', body)).toEqual({ ok: true });
  });

  it('reports an unbalanced section', () => {
    const errors = errorsOf(validateTemplate('reminder', 'en', reminder.subject, `${reminder.body}{{#if followUpDue}}`));
    expect(errors).toEqual([expect.stringMatching(/^body: .*never closed/)]);
  });

  it('reports a stray closing tag in the subject', () => {
    const errors = errorsOf(validateTemplate('reminder', 'en', `${reminder.subject}{{/if}}`, reminder.body));
    expect(errors).toEqual([expect.stringMatching(/^subject: /)]);
  });

  it('rejects a line break in the subject', () => {
    const errors = errorsOf(validateTemplate('reminder', 'en', `${reminder.subject}\nBcc: x@example.com`, reminder.body));
    expect(errors).toEqual([expect.stringContaining('single line')]);
  });

  it('rejects an over-long subject', () => {
    const errors = errorsOf(validateTemplate('reminder', 'en', `${reminder.subject} ${'x'.repeat(MAX_SUBJECT_TEMPLATE_CHARS)}`, reminder.body));
    expect(errors).toEqual([expect.stringContaining('subject is longer')]);
  });

  it('rejects an over-long body', () => {
    const errors = errorsOf(validateTemplate('reminder', 'en', reminder.subject, `${reminder.body}${'好'.repeat(MAX_BODY_TEMPLATE_CHARS)}`));
    expect(errors).toEqual([expect.stringContaining('body is longer')]);
  });

  it('rejects an empty body', () => {
    expect(errorsOf(validateTemplate('weekly-report', 'en', 'Weekly report', '  '))).toContain('body is empty');
  });

  it('reports an unknown template id instead of throwing', () => {
    expect(errorsOf(validateTemplate('rate-limited' as NoticeKind, 'en', 'x', 'y'))).toEqual([expect.stringContaining('unknown template id')]);
  });

  it('reports an unknown language instead of throwing', () => {
    expect(errorsOf(validateTemplate('reminder', 'fr' as Language, reminder.subject, reminder.body))).toEqual([expect.stringContaining('unknown language')]);
  });
});
