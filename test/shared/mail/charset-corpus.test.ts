import { describe, expect, it } from 'vitest';
import { parseInboundMail, type ParsedMail } from '../../../shared/mail/parse.js';
import { cases, mail } from './charset-corpus-mails.js';

/** The charset corpus (./charset-corpus-mails.ts): each mail with the text a reader expects. */

async function parsed(raw: Buffer): Promise<ParsedMail> {
  const result = await parseInboundMail(raw);
  if (!result.ok) throw new Error(`not parsed: ${result.reason}`);
  return result.mail;
}

describe('charset corpus: each mail decodes to the text its writer typed', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const read = await parsed(c.raw);
    expect(read.subject).toBe(c.subject);
    if (c.fromName !== undefined) expect(read.from?.name).toBe(c.fromName);
    expect(read.text.trim()).toBe(c.text);
    expect(`${read.subject}${read.text}${read.from?.name ?? ''}`).not.toContain('\uFFFD');
  });
});

describe('charset corpus: bytes no charset can read', () => {
  it('keeps the mail, shows the bad sequences as U+FFFD and flags them in the notes', async () => {
    const garbage = Buffer.from([0xff, 0xfe, 0xff, 0x80, 0xff, 0xff, 0xfd, 0x80]);
    const raw = mail([['Subject', Buffer.concat([Buffer.from('Order '), garbage])], ['Content-Type', 'text/plain; charset=unknown-8bit'], ['Content-Transfer-Encoding', '8bit']], Buffer.concat([Buffer.from('Hello '), garbage, Buffer.from(' bye')]));
    const read = await parsed(raw);
    expect(read.subject.startsWith('Order ')).toBe(true);
    expect(read.subject).toContain('\uFFFD');
    expect(read.text).toContain('Hello ');
    expect(read.text).toContain(' bye');
    expect(read.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^header subject: \d+ undecodable byte sequence\(s\)/), expect.stringMatching(/^body: \d+ undecodable byte sequence\(s\)/)]));
  });
});
