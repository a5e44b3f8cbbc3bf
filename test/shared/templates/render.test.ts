import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../shared/domain/ticket.js';
import { defaultTemplates, templateFor } from '../../../shared/templates/catalogue.js';
import { TemplateSyntaxError, TemplateVariableError } from '../../../shared/templates/errors.js';
import { MAX_SUBJECT_CHARS, renderTemplate } from '../../../shared/templates/render.js';
import { NOTICE_KINDS } from '../../../shared/domain/vocabulary.js';
import type { TemplateDefinition } from '../../../shared/templates/types.js';
import { fullVars, requiredVars } from './fixtures.js';

const templates = defaultTemplates();
const cases = NOTICE_KINDS.flatMap((id) => LANGUAGES.map((language) => [id, language] as const));
const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';

describe('renderTemplate', () => {
  describe('default catalogue', () => {
    it.each(cases)('renders %s in %s with every placeholder filled and none left over', (id, language) => {
      const vars = fullVars(templates[id]);
      const { subject, text, html } = renderTemplate(templates[id], language, vars);
      for (const out of [subject, text, html]) expect(out).not.toMatch(/\{\{|\}\}/);
      for (const value of Object.values(vars)) expect(`${subject}\n${text}`).toContain(value);
    });

    it.each(cases)('renders %s in %s with only the required values', (id, language) => {
      const { subject, text } = renderTemplate(templates[id], language, requiredVars(templates[id]));
      expect(`${subject}${text}`).not.toMatch(/\{\{|\}\}|undefined/);
      expect(text).not.toMatch(/\n{3,}/);
    });

    it.each(NOTICE_KINDS.filter((id) => templates[id].audience === 'customer'))('greets and thanks the customer in both languages in %s', (id) => {
      const zh = renderTemplate(templates[id], 'zh-CN', fullVars(templates[id])).text;
      const en = renderTemplate(templates[id], 'en', fullVars(templates[id])).text;
      expect(zh).toMatch(/^value-of-customerName，您好！/);
      expect(zh).toContain('感谢');
      expect(en).toMatch(/^Hello value-of-customerName,/);
      expect(en).toContain('Thank you');
    });

    it('offers all five survey links in order from 1 to 5 in the resolution mail', () => {
      const vars = { ...fullVars(templates.resolution), ...Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`surveyLink${n}`, `https://d.example.com/s/${n}`])) };
      const { html } = renderTemplate(templates.resolution, 'en', vars);
      const hrefs = [...html.matchAll(/href="https:\/\/d\.example\.com\/s\/(\d)"/g)].map((m) => m[1]);
      expect(hrefs).toEqual(['1', '2', '3', '4', '5']);
    });
  });

  describe('sections', () => {
    it('omits an optional section when its value is missing', () => {
      const vars = { ...requiredVars(templates.acknowledgement) };
      const { text } = renderTemplate(templates.acknowledgement, 'en', vars);
      expect(text.startsWith('Hello,')).toBe(true);
    });

    it('omits an optional section when its value is blank', () => {
      const vars = { ...requiredVars(templates.acknowledgement), customerName: '   ' };
      expect(renderTemplate(templates.acknowledgement, 'zh-CN', vars).text.startsWith('您好！')).toBe(true);
    });

    it('keeps an optional section when its value is set', () => {
      const vars = { ...requiredVars(templates.acknowledgement), customerName: '张*' };
      expect(renderTemplate(templates.acknowledgement, 'zh-CN', vars).text.startsWith('张*，您好！')).toBe(true);
    });
  });

  describe('errors', () => {
    it('names the required values that were not supplied', () => {
      const { ticketNo: _ticketNo, summary: _summary, ...vars } = requiredVars(templates.acknowledgement);
      const act = (): unknown => renderTemplate(templates.acknowledgement, 'en', vars);
      expect(act).toThrow(TemplateVariableError);
      expect(act).toThrow(/ticketNo, .*summary|summary, .*ticketNo/);
    });

    it('refuses a malformed template text', () => {
      const broken: TemplateDefinition = { ...templates.reply, texts: { ...templates.reply.texts, en: { subject: '[{{ticketNo}}]', body: '{{#if body}}' } } };
      expect(() => renderTemplate(broken, 'en', fullVars(templates.reply))).toThrow(TemplateSyntaxError);
    });
  });

  describe('escaping', () => {
    it('escapes a script payload in the HTML', () => {
      const vars = { ...fullVars(templates.reply), body: XSS, customerName: XSS };
      const { html } = renderTemplate(templates.reply, 'en', vars);
      expect(html).not.toMatch(/<script|<img/i);
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    });

    it('keeps a script payload as inert plain text in the text part', () => {
      const vars = { ...fullVars(templates.reply), body: XSS };
      expect(renderTemplate(templates.reply, 'en', vars).text).toContain(XSS);
    });

    it('escapes the subject in the HTML title', () => {
      const vars = { ...fullVars(templates.reply), subject: '</title><script>x</script>' };
      expect(renderTemplate(templates.reply, 'en', vars).html).not.toMatch(/<script/i);
    });

    it('prints a value containing placeholder syntax literally instead of expanding it', () => {
      const vars = { ...fullVars(templates.reply), body: 'see {{ticketNo}} and {{#if x}}' };
      expect(renderTemplate(templates.reply, 'en', vars).text).toContain('see {{ticketNo}} and {{#if x}}');
    });

    it('produces a self-contained document without scripts or external resources', () => {
      const { html } = renderTemplate(templates.resolution, 'zh-CN', fullVars(templates.resolution));
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).not.toMatch(/<script|<img|<link|<style|<iframe|src=|url\(/i);
    });
  });

  describe('links', () => {
    it('makes an http(s) URL a link with an escaped href', () => {
      const vars = { ...fullVars(templates.acknowledgement), statusLink: 'https://desk.example.com/t/CS20240520001?k=a&v=1' };
      const { html } = renderTemplate(templates.acknowledgement, 'en', vars);
      expect(html).toContain('<a href="https://desk.example.com/t/CS20240520001?k=a&amp;v=1"');
    });

    it.each(['javascript:alert(document.cookie)', ' JavaScript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', '//evil.example.com/x'])(
      'does not make %j a link',
      (url) => {
        const vars = { ...fullVars(templates.acknowledgement), statusLink: url };
        const { html } = renderTemplate(templates.acknowledgement, 'en', vars);
        expect(html).not.toMatch(/href="(?!https?:\/\/)/i);
        expect(html).toContain(url.trim().replace(/&/g, '&amp;'));
      },
    );

    it('does not make a URL a link when the placeholder is not a URL placeholder', () => {
      const vars = { ...fullVars(templates.reply), body: 'https://desk.example.com/x' };
      expect(renderTemplate(templates.reply, 'en', vars).html).not.toContain('href="https://desk.example.com/x"');
    });
  });

  describe('line breaks', () => {
    it('turns line breaks in a multi-line value into <br>', () => {
      const vars = { ...fullVars(templates.reply), body: 'Step 1\r\nStep 2' };
      expect(renderTemplate(templates.reply, 'en', vars).html).toContain('Step 1<br>\nStep 2');
    });

    it('turns blank lines into paragraphs', () => {
      const vars = { ...fullVars(templates.reply), body: 'First part\n\nSecond part' };
      expect(renderTemplate(templates.reply, 'en', vars).html).toContain('First part</p>\n<p style="margin:0 0 16px 0;">Second part');
    });

    it('puts a one-line value on one line even when it contains line breaks', () => {
      const vars = { ...fullVars(templates.acknowledgement), summary: 'cannot\nlog in' };
      expect(renderTemplate(templates.acknowledgement, 'en', vars).text).toContain('Description: cannot log in\n');
    });

    it('removes control and bidi-override characters from values', () => {
      const vars = { ...fullVars(templates.reply), body: 'a\u0000b\u001bc\u202Ed\u2066e' };
      expect(renderTemplate(templates.reply, 'en', vars).text).toContain('abcde');
    });
  });

  describe('subject', () => {
    it('never carries a line break from a value', () => {
      const vars = { ...fullVars(templates.reply), subject: 'Help\r\nBcc: evil@x.com\n\rX-Other: 1' };
      const { subject } = renderTemplate(templates.reply, 'en', vars);
      expect(subject).not.toMatch(/[\r\n]/);
      expect(subject).toBe('[CS20240520001] Re: Help Bcc: evil@x.com X-Other: 1');
    });

    it('replaces other control characters and line separators with spaces', () => {
      const vars = { ...fullVars(templates.reply), subject: 'a\u0000b\u2028c\u0085d\te' };
      expect(renderTemplate(templates.reply, 'en', vars).subject).toBe('[CS20240520001] Re: a b c d e');
    });

    it('caps the length and keeps the ticket number', () => {
      const vars = { ...fullVars(templates.reply), subject: '很长'.repeat(500) };
      const { subject } = renderTemplate(templates.reply, 'zh-CN', vars);
      expect([...subject].length).toBeLessThanOrEqual(MAX_SUBJECT_CHARS);
      expect(subject.startsWith('[CS20240520001]')).toBe(true);
    });

    it('caps the whole subject when an edited template strings many values together', () => {
      const template = templateFor('escalation', {
        escalation: { texts: { en: { subject: '[{{ticketNo}}] {{reason}} {{summary}} {{teamName}}' } } },
      });
      const vars = { ...fullVars(template), reason: 'r'.repeat(150), summary: 's'.repeat(150), teamName: 't'.repeat(150) };
      expect([...renderTemplate(template, 'en', vars).subject]).toHaveLength(MAX_SUBJECT_CHARS);
    });
  });

  describe('for any values', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc
        .array(fc.constantFrom('<script>', '<SCRIPT src=x>', '</script>', '\r\n', '\n', 'Bcc: a@b.c', 'javascript:', 'https://x.example.com/', '"', "'", '&', '{{', '}}', '\u0000', '\u2028', '<', 'script'), { maxLength: 12 })
        .map((parts) => parts.join('')),
    );
    const arbitraryCase = fc.constantFrom(...cases).chain(([id, language]) =>
      fc
        .record(Object.fromEntries(Object.keys(templates[id].placeholders).map((name) => [name, hostile])) as Record<string, fc.Arbitrary<string>>)
        .map((vars) => ({ id, language, vars })),
    );

    it('never lets a variable inject a script into the HTML nor a line break into the subject', () => {
      fc.assert(
        fc.property(arbitraryCase, ({ id, language, vars }) => {
          const { subject, html } = renderTemplate(templates[id], language, vars);
          expect(html).not.toMatch(/<script/i);
          expect(subject).not.toMatch(/[\r\n]/);
          expect([...subject].length).toBeLessThanOrEqual(MAX_SUBJECT_CHARS);
        }),
        { numRuns: 300 },
      );
    });
  });
});
