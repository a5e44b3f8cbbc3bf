/**
 * Public mail nobody here wrote (test/fixtures/mail-world, sources and licences in its README),
 * each through the whole inbound path: stored raw, parsed, routed by the inbound service on
 * DynamoDB Local. Every mail must end in a defined outcome, and the general promises are checked
 * against an independent reading of the same bytes (bare postal-mime, and the headers read here):
 *
 * - nothing throws; exactly one ticket holds a message that points to the raw mail, kept byte for byte;
 * - no lost text: every ASCII word postal-mime reads in the body is in what the ticket keeps
 *   (the new words, the whole text, or the full-text file beside it);
 * - no mojibake: no U+FFFD and no UTF-8-read-as-Latin-1 sequences in subject, name or text,
 *   unless the README's table names the mail as undecodable at its source;
 * - auto-replies, list mail, bounces and reports are never acknowledged;
 * - every attachment postal-mime finds is kept (the same bytes, by SHA-256), or listed as too large.
 *
 * The outcome of each mail (kind, acknowledgement, flags, language) is in outcomes.json beside
 * the corpus, reviewed by hand; `MAIL_WORLD_WRITE=1` rewrites it from a run, for review in the diff.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PostalMime from 'postal-mime';
import { afterAll, describe, expect, it } from 'vitest';
import { htmlToPlainText } from '../../shared/mail/html-text.js';
import { InboundMailService, type InboundOutcome } from '../../shared/services/inbound.js';
import type { Message, Ticket } from '../../shared/domain/ticket.js';
import { asReceivedBySes } from '../support/inbound.js';
import { testRuntime } from '../support/runtime.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/mail-world');
const outcomesFile = join(root, 'outcomes.json');
const writing = process.env.MAIL_WORLD_WRITE === '1';

interface WorldOutcome {
  kind: InboundOutcome['kind'];
  acknowledged: boolean;
  ticketFlags: string[];
  messageFlags: string[];
  language?: string;
  attachments: number;
  /** The source itself cannot be decoded (README): U+FFFD may stand for its bytes. */
  undecodable?: string;
  /** Words postal-mime reads that the ticket may lack, and why (README). */
  lostWordsAllowed?: string;
}

const mails = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) => readdirSync(join(root, dir.name)).map((name) => `${dir.name}/${name}`))
  .filter((name) => statSync(join(root, name)).isFile())
  .sort();
const expected = JSON.parse(readFileSync(outcomesFile, 'utf8')) as Record<string, WorldOutcome>;
const seen: Record<string, WorldOutcome> = {};

/** Header fields of the top block, names lower-cased, folded lines joined; read here, independently of shared/mail. */
function topHeaders(raw: Buffer): Map<string, string[]> {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const fields = new Map<string, string[]>();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    fields.set(name, [...(fields.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return fields;
}

/** What any mail desk would take for machine-sent mail (RFC 3834, list and bulk mail, bounces, reports). */
function machineSent(raw: Buffer): string | undefined {
  const h = topHeaders(raw);
  const first = (name: string) => h.get(name)?.[0] ?? '';
  if (h.has('auto-submitted') && !/^no\b/i.test(first('auto-submitted'))) return 'auto-submitted';
  if (/^(bulk|junk|list|auto_reply)\b/i.test(first('precedence'))) return 'precedence';
  if (h.has('x-autoreply') || h.has('x-autorespond')) return 'x-autoreply';
  if (h.has('list-id')) return 'list';
  if (/^multipart\/report\b/i.test(first('content-type'))) return 'report';
  if (/^<\s*>$/.test(first('return-path'))) return 'null-sender';
  if (/\b(mailer-daemon|postmaster)@/i.test(first('from'))) return 'mailer-daemon';
  return undefined;
}

/** ASCII words of three or more letters, the measure of "no lost text" that does not depend on charsets. */
function asciiWords(text: string): Set<string> {
  return new Set((text.match(/[A-Za-z]{3,}/g) ?? []).map((word) => word.toLowerCase()));
}

const MOJIBAKE = /Ã[\u0080-\u00bf]|â€[\u0080-\u00bf\u2018-\u203a]|Â[\u00a0-\u00bf]/;

async function reference(raw: Buffer): Promise<{ text: string; attachments: Array<{ sha256: string; name: string }> } | undefined> {
  try {
    const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
    const text = email.text ?? (email.html ? htmlToPlainText(email.html) : '');
    const attachments = email.attachments.map((attachment) => ({
      sha256: createHash('sha256').update(Buffer.from(attachment.content as ArrayBuffer)).digest('hex'),
      name: attachment.filename ?? '',
    }));
    return { text, attachments };
  } catch {
    return undefined;
  }
}

describe('public mail nobody here wrote, through the whole inbound path', () => {
  afterAll(() => {
    if (writing) writeFileSync(outcomesFile, `${JSON.stringify(Object.fromEntries(Object.entries(seen).sort()), null, 1)}\n`);
  });

  it('has an outcome for every mail and a mail for every outcome', () => {
    if (writing) return;
    expect(Object.keys(expected).sort()).toEqual(mails);
  });

  it('holds at least 145 mails from at least 9 sources', () => {
    expect(mails.length).toBeGreaterThanOrEqual(145);
    expect(new Set(mails.map((name) => name.split('/')[0])).size).toBeGreaterThanOrEqual(9);
  });

  it.each(mails)('%s', async (name) => {
    const raw = readFileSync(join(root, name));
    const runtime = await testRuntime();
    const stamped = asReceivedBySes(raw);
    const key = `inbound/${name.replace('/', '-')}`;
    await runtime.mailBlobs.put(key, stamped);

    const outcome = await new InboundMailService(runtime).process(key, stamped);

    // One ticket holds the mail, and the raw bytes stay where the message points.
    const tickets = await runtime.store.scanTickets();
    const holders: Array<{ ticket: Ticket; message: Message }> = [];
    for (const ticket of tickets) {
      const records = await runtime.store.getTicketRecords(ticket.ticketNo);
      for (const message of records?.messages ?? []) if (message.rawKey === key) holders.push({ ticket, message });
    }
    expect(holders).toHaveLength(1);
    const { ticket, message } = holders[0]!;
    expect(ticket.ticketNo).toBe(outcome.ticketNo);
    expect((await runtime.mailBlobs.get(key))?.equals(stamped)).toBe(true);

    const want = expected[name];
    const acknowledged = runtime.queue.sent.some((notification) => notification.kind === 'acknowledgement');
    const got: WorldOutcome = {
      kind: outcome.kind,
      acknowledged,
      ticketFlags: [...ticket.flags].sort(),
      messageFlags: [...message.flags].sort(),
      ...(ticket.language ? { language: ticket.language } : {}),
      attachments: message.attachments.filter((ref) => ref.name !== 'full-text.txt').length,
      ...(want?.undecodable ? { undecodable: want.undecodable } : {}),
      ...(want?.lostWordsAllowed ? { lostWordsAllowed: want.lostWordsAllowed } : {}),
    };
    seen[name] = got;

    // Machine-sent mail is never answered.
    if (machineSent(raw)) expect(acknowledged, `machine-sent (${machineSent(raw)}) but acknowledged`).toBe(false);

    // No mojibake where the source is decodable; no line breaks in one-line fields.
    const fullTextRef = message.attachments.find((ref) => ref.name === 'full-text.txt');
    const fullFile = fullTextRef?.storageKey ? ((await runtime.mailBlobs.get(fullTextRef.storageKey))?.toString('utf8') ?? '') : '';
    const kept = [message.text, message.fullText ?? '', fullFile].join('\n');
    expect(ticket.subject).not.toMatch(/[\r\n]/);
    if (!want?.undecodable) {
      for (const [field, value] of [
        ['subject', ticket.subject],
        ['name', ticket.customer.name ?? ''],
        ['text', kept],
      ] as const) {
        expect(value, `${field} has U+FFFD`).not.toContain('\uFFFD');
        expect(MOJIBAKE.exec(value)?.[0], `${field} reads UTF-8 as Latin-1`).toBeUndefined();
      }
    }

    const ref = await reference(raw);
    if (ref && outcome.kind !== 'unparsed') {
      // No lost text: postal-mime's ASCII words are all in what the ticket keeps.
      const keptWords = asciiWords(`${kept}\n${ticket.subject}`);
      const lost = [...asciiWords(ref.text)].filter((word) => !keptWords.has(word));
      if (!want?.lostWordsAllowed) expect(lost, 'words postal-mime reads that the ticket lacks').toEqual([]);
      // Attachments kept: the same bytes, or listed as over the size budget.
      if (!ticket.flags.includes('virus')) {
        const stored = new Set(message.attachments.map((attachment) => attachment.sha256));
        const missing = ref.attachments.filter((attachment) => !stored.has(attachment.sha256)).map((attachment) => attachment.name || attachment.sha256.slice(0, 12));
        expect(missing, 'attachments postal-mime finds that the ticket lacks').toEqual([]);
      }
      for (const attachment of message.attachments) {
        if (!attachment.storageKey) continue;
        const bytes = await runtime.mailBlobs.get(attachment.storageKey);
        expect(bytes && createHash('sha256').update(bytes).digest('hex')).toBe(attachment.sha256);
      }
    }

    if (!writing) expect(got).toEqual(want);
  });
});
