/**
 * Compares mailparser (simpleParser) and postal-mime on the fixture corpus, and our
 * `parseInboundMail` (postal-mime plus repairs) against both: correctness per field against
 * `test/fixtures/mail/expected.json`, and parse time over the whole corpus.
 *
 * Run: `npx tsx bench/mail-parsers.ts` (prints a Markdown table for docs/mail-parsing.md).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import PostalMime from 'postal-mime';
import { parseInboundMail } from '../shared/mail/parse.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../test/fixtures/mail');

interface Expectation {
  ok: boolean;
  subject?: string;
  from?: { name: string };
  newText?: string;
  textContains?: string;
  attachments?: string[];
}

interface Outcome {
  subject: string;
  fromName: string;
  text: string;
  attachments: string[];
}

type Parser = (raw: Buffer) => Promise<Outcome | undefined>;

const named = (names: Array<string | null | undefined>): string[] => names.filter((n): n is string => typeof n === 'string' && n !== '');

const parsers: Record<string, Parser> = {
  mailparser: async (raw) => {
    const m = await simpleParser(raw);
    const from = m.from?.value[0];
    return { subject: m.subject ?? '', fromName: from?.name ?? '', text: m.text ?? '', attachments: named(m.attachments.map((a) => a.filename)) };
  },
  'postal-mime': async (raw) => {
    const m = await PostalMime.parse(raw);
    const from = m.from && !m.from.group ? m.from : undefined;
    return { subject: m.subject ?? '', fromName: from?.name ?? '', text: m.text ?? '', attachments: named(m.attachments.map((a) => a.filename)) };
  },
  'parseInboundMail': async (raw) => {
    const r = await parseInboundMail(raw);
    if (!r.ok) return undefined;
    return { subject: r.mail.subject, fromName: r.mail.from?.name ?? '', text: r.mail.text, attachments: r.mail.attachments.filter((a) => !/^attachment-\d+\./.test(a.filename)).map((a) => a.filename) };
  },
};

const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Expectation>;
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith('.eml'))
  .sort()
  .map((name) => ({ name, raw: readFileSync(join(dir, name)), want: expected[name]! }));
const parseable = corpus.filter((c) => c.want.ok);

async function score(parser: Parser): Promise<{ subject: number; from: number; text: number; attachments: number; failures: string[] }> {
  const s = { subject: 0, from: 0, text: 0, attachments: 0, failures: [] as string[] };
  for (const { name, raw, want } of parseable) {
    let got: Outcome | undefined;
    try {
      got = await parser(raw);
    } catch {
      got = undefined;
    }
    const ok = {
      subject: got?.subject.trim() === want.subject,
      from: got?.fromName === want.from?.name,
      text: !!got && got.text.includes(want.textContains ?? want.newText ?? '') && !got.text.includes('\uFFFD'),
      attachments: JSON.stringify(got?.attachments ?? null) === JSON.stringify(want.attachments),
    };
    for (const key of Object.keys(ok) as Array<keyof typeof ok>) {
      if (ok[key]) s[key] += 1;
      else s.failures.push(`${name}:${key}`);
    }
  }
  return s;
}

async function timePasses(parser: Parser, passes: number): Promise<number> {
  const times: number[] = [];
  for (let p = 0; p < passes + 3; p += 1) {
    const start = process.hrtime.bigint();
    for (const { raw } of corpus) await parser(raw).catch(() => undefined);
    if (p >= 3) times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const n = parseable.length;
const rows: string[] = [];
const medians: Record<string, number> = {};
for (const [name, parser] of Object.entries(parsers)) {
  const s = await score(parser);
  medians[name] = await timePasses(parser, 20);
  rows.push(`| ${name} | ${s.subject}/${n} | ${s.from}/${n} | ${s.text}/${n} | ${s.attachments}/${n} | ${medians[name]!.toFixed(1)} ms |`);
  console.error(`${name} misses: ${s.failures.join(', ') || 'none'}`);
}
console.log(`Corpus: ${corpus.length} fixtures (${n} parseable), ${corpus.reduce((a, c) => a + c.raw.length, 0)} bytes; median of 20 passes; Node ${process.version}.\n`);
console.log('| parser | subject | from name | text decoded | attachment names | corpus pass |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log(`\nmailparser / postal-mime time ratio: ${(medians.mailparser! / medians['postal-mime']!).toFixed(2)}x`);
