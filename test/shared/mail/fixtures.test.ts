import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectAutomatic } from '../../../shared/mail/automatic.js';
import { parseBounce } from '../../../shared/mail/bounce.js';
import { parseInboundMail } from '../../../shared/mail/parse.js';
import { sesVerdicts } from '../../../shared/mail/verdicts.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/mail');

interface Expectation {
  ok: boolean;
  reason?: string;
  subject?: string;
  from?: { address: string; name: string };
  newText?: string;
  newTextExcludes?: string;
  textContains?: string;
  attachments?: string[];
  automatic?: string | null;
  bounce?: { isBounce: boolean; failedRecipients: string[]; permanent: boolean; originalMessageId?: string };
  verdicts?: Record<string, string>;
  messageId?: string | null;
  notes?: string[];
}

const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Expectation>;
const fixtures = readdirSync(dir).filter((name) => name.endsWith('.eml')).sort();

describe('fixture corpus', () => {
  it('has an expectation for every fixture and a fixture for every expectation', () => {
    expect(Object.keys(expected).sort()).toEqual(fixtures);
  });

  it('holds at least 40 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(fixtures)('%s', (name) => {
    const want = expected[name]!;
    const parse = () => parseInboundMail(readFileSync(join(dir, name)));

    if (!want.ok) {
      it(`fails with reason ${want.reason}`, async () => {
        const result = await parse();
        expect(result).toMatchObject({ ok: false, reason: want.reason });
      });
      return;
    }

    it('parses with the expected subject, sender and message id', async () => {
      const result = await parse();
      if (!result.ok) throw new Error(`parse failed: ${result.reason} ${result.detail}`);
      expect(result.mail.subject).toBe(want.subject);
      expect(result.mail.from).toEqual(want.from);
      expect(result.mail.messageId).toBe(want.messageId ?? undefined);
    });

    it('finds the new words of the customer', async () => {
      const result = await parse();
      if (!result.ok) throw new Error(result.reason);
      expect(result.mail.newText).toContain(want.newText);
      if (want.newTextExcludes) expect(result.mail.newText).not.toContain(want.newTextExcludes);
      if (want.textContains) expect(result.mail.text).toContain(want.textContains);
      expect(result.mail.text).not.toContain('\uFFFD');
    });

    it('lists the expected attachments by readable name', async () => {
      const result = await parse();
      if (!result.ok) throw new Error(result.reason);
      const named = result.mail.attachments.filter((a) => !/^attachment-\d+\./.test(a.filename)).map((a) => a.filename);
      expect(named).toEqual(want.attachments);
    });

    it('classifies automatic mail, bounces and verdicts', async () => {
      const result = await parse();
      if (!result.ok) throw new Error(result.reason);
      const { mail } = result;
      expect(detectAutomatic(mail.headers, mail.contentType, mail.from?.address, mail.returnPath).kind ?? null).toBe(want.automatic);
      expect(parseBounce(mail)).toEqual(want.bounce);
      expect(sesVerdicts(mail.headers)).toEqual(want.verdicts);
    });

    if (want.notes) {
      it('reports the fix-ups it applied', async () => {
        const result = await parse();
        if (!result.ok) throw new Error(result.reason);
        for (const fragment of want.notes!) expect(result.mail.notes.join(' | ')).toContain(fragment);
      });
    }
  });
});
