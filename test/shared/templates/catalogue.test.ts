import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../shared/domain/ticket.js';
import { defaultTemplates, templateFor } from '../../../shared/templates/catalogue.js';
import { NOTICE_KINDS } from '../../../shared/domain/vocabulary.js';
import { validateTemplate } from '../../../shared/templates/validate.js';

const cases = NOTICE_KINDS.flatMap((id) => LANGUAGES.map((language) => [id, language] as const));

describe('defaultTemplates', () => {
  it('defines every template id', () => {
    expect(Object.keys(defaultTemplates()).sort()).toEqual([...NOTICE_KINDS].sort());
  });

  it.each(cases)('ships a default %s text in %s that validates', (id, language) => {
    const { subject, body } = defaultTemplates()[id].texts[language];
    expect(validateTemplate(id, language, subject, body)).toEqual({ ok: true });
  });

  it.each(NOTICE_KINDS.filter((id) => defaultTemplates()[id].audience === 'customer'))(
    'starts every customer subject of %s with the bracketed ticket number',
    (id) => {
      for (const language of LANGUAGES) expect(defaultTemplates()[id].texts[language].subject.startsWith('[{{ticketNo}}]')).toBe(true);
    },
  );

  it.each(NOTICE_KINDS)('describes %s and each of its placeholders in both console languages', (id) => {
    const { description, placeholders } = defaultTemplates()[id];
    const described = [['(template)', description] as const, ...Object.entries(placeholders).map(([name, spec]) => [name, spec.description] as const)];
    for (const [name, text] of described) {
      expect(text.en.trim(), `${id}.${name} en`).not.toBe('');
      // The zh text is written in Chinese, not the English one copied over.
      expect(text['zh-CN'], `${id}.${name} zh-CN`).toMatch(/[\u4e00-\u9fff]/);
      expect(text['zh-CN'], `${id}.${name} zh-CN`).not.toBe(text.en);
    }
  });

  it('returns a fresh copy each time, so a caller cannot change the defaults', () => {
    const first = defaultTemplates();
    (first.reply.texts.en as { subject: string }).subject = 'changed';
    expect(defaultTemplates().reply.texts.en.subject).not.toBe('changed');
  });
});

describe('templateFor', () => {
  it('returns the default when there are no overrides', () => {
    expect(templateFor('reminder')).toEqual(defaultTemplates().reminder);
  });

  it('lays an edited subject over one language and keeps the rest', () => {
    const subject = '[{{ticketNo}}] Still waiting for you';
    const template = templateFor('reminder', { reminder: { texts: { en: { subject } } } });
    const defaults = defaultTemplates().reminder;
    expect(template.texts.en).toEqual({ subject, body: defaults.texts.en.body });
    expect(template.texts['zh-CN']).toEqual(defaults.texts['zh-CN']);
  });

  it('uses an edited body in full', () => {
    const body = '您好！工单 {{ticketNo}}（{{summary}}）还缺：{{missingInfo}}。{{deskName}} 感谢您的耐心！';
    const template = templateFor('reminder', { reminder: { texts: { 'zh-CN': { body } } } });
    expect(template.texts['zh-CN'].body).toBe(body);
  });

  it('falls back to the default text when an edit does not validate', () => {
    const template = templateFor('reminder', { reminder: { texts: { en: { subject: 'No ticket number {{unknownThing}}' } } } });
    expect(template.texts.en).toEqual(defaultTemplates().reminder.texts.en);
  });

  it('ignores overrides for other templates', () => {
    const template = templateFor('progress', { reminder: { texts: { en: { subject: '[{{ticketNo}}] x' } } } });
    expect(template).toEqual(defaultTemplates().progress);
  });

  it('keeps a saved edit working when a placeholder it uses was renamed (raisedAt is now receivedAt)', () => {
    const en = defaultTemplates().escalation.texts.en;
    const body = en.body.replaceAll('{{receivedAt}}', '{{raisedAt}}').replace('Received:', 'Came in:');
    expect(body).toContain('{{raisedAt}}');
    const template = templateFor('escalation', { escalation: { texts: { en: { body } } } });
    expect(template.texts.en.body).toContain('Came in: {{receivedAt}}');
  });
});
