import { describe, expect, it } from 'vitest';
import { readSurveyAnswer } from '../../shared/domain/survey.js';
import { parseBounce } from '../../shared/mail/bounce.js';
import { parseInboundMail, type ParsedMail } from '../../shared/mail/parse.js';
import { addressInHeader } from '../../shared/services/inbound-fields.js';
import { renderTemplate } from '../../shared/templates/render.js';
import type { TemplateDefinition } from '../../shared/templates/types.js';

/*
 * Regular expressions that backtrack over what an outsider writes. Each input below is one a
 * stranger can send (a mail body, a From field, a survey reply, a subject the desk restates) and
 * made the old pattern try every split of one long run of blanks: its cost grew with the square
 * of the run. Measured on the old code, in CPU: a quoted-printable body of 30,000 tabs took 2.5 s
 * to parse (a 1 MB mail, the better part of an hour, so the inbound function timed out and retried
 * it to the dead-letter queue); a From field of 30,000 characters 1.2 s (the local SMTP listener
 * reads every mail's From, blocking the whole desk); a survey line 0.9 s; a delivery notice of
 * 40,000 blank lines 14 s. The fixed patterns start only where a run starts, so each run is read
 * once: the same inputs at 3 MB take 24-104 ms.
 *
 * The inputs are 200,000 characters (the old code needed one to several minutes for each); the
 * tests assert the outcome, not the time (30 s for what now takes about 30 ms), and each test on
 * the old code fails by its timeout.
 */

const RUN = 200_000;
const GENEROUS = 30_000;

describe('long runs of blanks cost a linear pass, never the square of the run', () => {
  it(
    'a quoted-printable body with a line of 200,000 tabs is parsed, its text kept',
    async () => {
      const raw = Buffer.from(
        `From: <amy@customer.example.com>\r\nTo: support@support.example.com\r\nSubject: hi\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCaf=C3=A9 is closed${'\t'.repeat(RUN)}x\r\nsecond line   \r\nsoft=\r\n break\r\n`,
        'latin1',
      );
      const result = await parseInboundMail(raw);
      expect(result.ok).toBe(true);
      const text = result.ok ? result.mail.text : '';
      // Booleans, not the text: a failing match on 200,000 characters would spend minutes on its diff.
      expect(text.startsWith('Café is closed\t')).toBe(true);
      // Positive control: a soft line break joins its two halves (RFC 2045).
      expect(text.endsWith('x\nsecond line   \nsoft break\n')).toBe(true);
    },
    GENEROUS,
  );

  it(
    'a delivery notice of 100,000 blank lines still yields the returned Message-ID',
    () => {
      const text = `Your message could not be delivered.${'\n\t'.repeat(RUN / 2)}\nMessage-ID: <ack.1@support.example.com>\n`;
      const mail = { text, attachments: [], headers: {} } as unknown as ParsedMail;
      expect(parseBounce(mail).originalMessageId).toBe('ack.1@support.example.com');
      // Positive control: the field folded onto the next line, as a notice may quote it.
      expect(parseBounce({ text: 'x\n  Message-ID:\n <b.2@support.example.com>\n', attachments: [], headers: {} } as unknown as ParsedMail).originalMessageId).toBe('b.2@support.example.com');
    },
    GENEROUS,
  );

  it(
    'a From field of 200,000 characters without an address gives none; ordinary fields give theirs',
    () => {
      expect(addressInHeader('\u0001'.repeat(RUN) + '@')).toBeUndefined();
      expect(addressInHeader(`<@${'@\u0001'.repeat(RUN / 2)}<\u0001@\u0001>`)).toBeUndefined();
      // Positive controls: the same answers as before.
      expect(addressInHeader('"Amy" <Amy@Customer.Example.com>')).toBe('amy@customer.example.com');
      expect(addressInHeader('amy@customer.example.com (Amy)')).toBe('amy@customer.example.com');
      expect(addressInHeader('"a@b" <amy@customer.example.com>')).toBe('amy@customer.example.com');
      expect(addressInHeader('<x> Amy <amy@customer.example.com>')).toBe('amy@customer.example.com');
    },
    GENEROUS,
  );

  it(
    'a survey reply with a 200,000-blank line is read (no score), and scored replies are read as before',
    () => {
      expect(readSurveyAnswer(`good${'\t'.repeat(RUN)}x`)).toBeUndefined();
      expect(readSurveyAnswer(`满意${' '.repeat(RUN)}，快递有点慢${'、'.repeat(RUN)}`)).toMatchObject({ score: 4, comment: '快递有点慢' });
      // Positive controls from the survey's own examples.
      expect(readSurveyAnswer('满意度 4，快递有点慢')).toMatchObject({ score: 4, comment: '快递有点慢' });
      expect(readSurveyAnswer('3/5 delivery was slow')).toMatchObject({ score: 3, comment: 'delivery was slow' });
    },
    GENEROUS,
  );

  it(
    'a one-line value with 200,000 blanks and no line break is rendered once, blanks kept',
    () => {
      const template = {
        id: 'acknowledgement',
        audience: 'customer',
        description: { en: 'x', 'zh-CN': 'x' },
        placeholders: { name: { kind: 'text', required: true, description: { en: 'x', 'zh-CN': 'x' } } },
        texts: { en: { subject: 'Hi', body: 'Hello {{name}}!' }, 'zh-CN': { subject: 'Hi', body: '你好 {{name}}!' } },
      } as unknown as TemplateDefinition;
      const long = renderTemplate(template, 'en', { name: `Amy${'\t'.repeat(RUN)}x` }).text;
      expect(long.startsWith('Hello Amy\t')).toBe(true);
      // Positive control: a line break inside a one-line value becomes one space, with the blanks around it.
      expect(renderTemplate(template, 'en', { name: 'Amy  \n  Lee' }).text).toContain('Hello Amy Lee!');
    },
    GENEROUS,
  );
});
