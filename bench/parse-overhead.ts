/**
 * The parsing overhead figure, measured in a process of its own: `parseInboundMail` against bare
 * postal-mime over the same bytes, CPU time. bench/sections/mail.ts spawns it, so the bench
 * process's heap (DynamoDB clients, other sections' garbage) does not weigh on one side.
 * Both sides run from one esbuild bundle built as a deploy builds inbound-email (ESM, node22,
 * minified): the code Lambda runs, not tsx's on-the-fly transform of our sources (which wraps
 * every closure in a naming helper and maps sources) beside postal-mime's published JavaScript.
 * `--source` measures the TypeScript sources through tsx instead.
 * Rounds alternate between the two sides and each keeps its best, so neither a cold JIT nor a busy
 * moment on a shared machine lands on one side only. Before the first corpus both sides run the
 * whole corpus 20 times: with 3 warm-up rounds, the first corpus measured (the whole one) still
 * paid for the JIT tiering up our larger code (2.4-2.6x against 2.0x warm, same code, same run);
 * `--cold` measures without it.
 * `libraryPathRatio` is the pipeline with the common-shape reader switched off (postal-mime reads
 * every mail, as before round seven) over the same bare postal-mime: before and after in one run.
 * Usage: tsx bench/parse-overhead.ts [rounds] [--source] [--cold] -> one JSON line per corpus
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type PostalMimeClass from 'postal-mime';
import type { parseInboundMail as ParseInboundMail } from '../shared/mail/parse.js';
import { DEPLOY_BUILD_OPTIONS } from './bundles.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = join(root, 'test/fixtures/mail');

export interface Corpus {
  name: string;
  mails: Buffer[];
}

/**
 * What each fixture is, by name: mail broken on purpose (missing or lying charsets, raw 8-bit
 * headers, a multipart without boundary, truncated, garbage, empty, a character split across
 * encoded words), HTML-only mail, mail in a legacy charset under its own correct label (Latin-1,
 * Cyrillic, Japanese, Korean, GBK, Big5), and the rest: clean UTF-8/ASCII mail as clients send it
 * (replies, auto-replies, bounces, lists, attachments, forwards).
 */
const BROKEN = /^(charset-missing|charset-unknown|headers-raw-8bit|zh-gb2312-really|missing-boundary|truncated-multipart|garbage-bytes|empty|rfc2047-split|attachment-names-gbk)/;
const HTML_ONLY = /^html-/;
const LEGACY = /^(cp125|latin|ja-|charset-big5|charset-ks|charset-x-gbk|charset-cp936|zh-big5|zh-gbk-base64)/;
const CHINESE = /zh|gbk|gb2312|gb18030|cp936|big5/i;

function category(name: string): string {
  if (BROKEN.test(name)) return 'broken-on-purpose';
  if (HTML_ONLY.test(name)) return 'html-only';
  return LEGACY.test(name) ? 'legacy-charset' : 'clean';
}

/**
 * The transport fields a mail from a large provider carries when SES hands it over (a Received
 * chain, SPF, authentication results, two DKIM signatures, SES's own stamps): about 2.8 KB that
 * the fixtures, written for what they test, leave out. Shaped after real deliveries; the
 * signatures are filler of the right length.
 */
function transportFields(i: number): Buffer {
  const b64 = (length: number, seed: number) => Array.from({ length }, (_, k) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[(k * 7 + seed * 13) % 64]).join('');
  const fields = [
    `Return-Path: <sender${i}@customer.example.com>`,
    `Received: from mail-sor-f41.google.com (mail-sor-f41.google.com [209.85.220.41])\r\n by inbound-smtp.ap-east-1.amazonaws.com with SMTP id q${b64(26, i)}\r\n for support@support.example.com;\r\n Mon, 20 May 2024 02:15:03 +0000 (UTC)`,
    'X-SES-Spam-Verdict: PASS',
    'X-SES-Virus-Verdict: PASS',
    `Received-SPF: pass (spfCheck: domain of customer.example.com designates 209.85.220.41 as permitted sender) client-ip=209.85.220.41; envelope-from=sender${i}@customer.example.com; helo=mail-sor-f41.google.com;`,
    `Authentication-Results: amazonses.com;\r\n spf=pass (spfCheck: domain of customer.example.com designates 209.85.220.41 as permitted sender) client-ip=209.85.220.41; envelope-from=sender${i}@customer.example.com; helo=mail-sor-f41.google.com;\r\n dkim=pass header.i=@customer.example.com;\r\n dmarc=pass header.from=customer.example.com;`,
    `X-SES-RECEIPT: ${b64(180, i)}`,
    `X-SES-DKIM-SIGNATURE: a=rsa-sha256; q=dns/txt; b=${b64(172, i + 1)}=; c=relaxed/simple; s=224i4yxa5dv7c2xz3womw6peuasteono; d=amazonses.com; t=1716171303; v=1; bh=${b64(43, i + 2)}=; h=From:To:Cc:Bcc:Subject:Date:Message-ID:MIME-Version:Content-Type:X-SES-RECEIPT;`,
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n d=customer.example.com; s=20230601; t=1716171302; x=1716776102; darn=support.example.com;\r\n h=to:subject:message-id:date:from:mime-version:from:to:cc:subject\r\n :date:message-id:reply-to;\r\n bh=${b64(43, i + 3)}=;\r\n b=${b64(70, i + 4)}\r\n ${b64(70, i + 5)}\r\n ${b64(70, i + 6)}\r\n ${b64(130, i + 7)}==`,
    `X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n d=1e100.net; s=20230601; t=1716171302; x=1716776102;\r\n h=to:subject:message-id:date:from:mime-version:x-gm-message-state\r\n :from:to:cc:subject:date:message-id:reply-to;\r\n bh=${b64(43, i + 8)}=;\r\n b=${b64(70, i + 9)}\r\n ${b64(70, i + 10)}\r\n ${b64(130, i + 11)}==`,
    `X-Gm-Message-State: AOJu0Y${b64(60, i + 12)}\r\n ${b64(70, i + 13)}`,
    `X-Google-Smtp-Source: AGHT+I${b64(80, i + 14)}`,
    `X-Received: by 2002:a17:906:4fd1:b0:a59:9e5d:2d4f with SMTP id h17-20020a1709064fd100b00a599e5d2d4fmr${i}ejb.12.1716171302147;\r\n Sun, 19 May 2024 19:15:02 -0700 (PDT)`,
  ];
  return Buffer.from(`${fields.join('\r\n')}\r\n`, 'latin1');
}

/**
 * The fixture corpus, its Chinese part, each category on its own, and the clean mails as SES
 * delivers them (`transportFields` on top: real mail's header blocks are mostly transport).
 */
export function corpora(): Corpus[] {
  const files = readdirSync(corpusDir).filter((name) => name.endsWith('.eml')).sort();
  const read = (names: string[]) => names.map((name) => readFileSync(join(corpusDir, name)));
  const clean = read(files.filter((file) => category(file) === 'clean'));
  return [
    { name: 'all', mails: read(files) },
    { name: 'chinese', mails: read(files.filter((name) => CHINESE.test(name))) },
    ...['clean', 'legacy-charset', 'broken-on-purpose', 'html-only'].map((name) => ({ name, mails: read(files.filter((file) => category(file) === name)) })),
    { name: 'clean-as-delivered', mails: clean.map((mail, i) => Buffer.concat([transportFields(i), mail])) },
  ];
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export interface Overhead {
  corpus: string;
  mails: number;
  rounds: number;
  pipelineMs: number;
  postalMimeMs: number;
  ratio: number;
  /** The pipeline with postal-mime reading every mail (`readCommonShapes: false`). */
  libraryPathMs: number;
  libraryPathRatio: number;
}

interface Sides {
  parseInboundMail: typeof ParseInboundMail;
  PostalMime: typeof PostalMimeClass;
}

/** Both sides from one bundle built with inbound-email's deploy settings (see the module comment). */
async function bundledSides(): Promise<Sides> {
  const dir = mkdtempSync(join(tmpdir(), 'ticketline-parse-overhead-'));
  const outfile = join(dir, 'parse.mjs');
  try {
    await build({
      stdin: { contents: "export { parseInboundMail } from './shared/mail/parse.ts';\nexport { default as PostalMime } from 'postal-mime';\n", resolveDir: root, loader: 'ts', sourcefile: 'parse-overhead-entry.ts' },
      ...DEPLOY_BUILD_OPTIONS,
      outfile,
      logLevel: 'silent',
    });
    return (await import(pathToFileURL(outfile).href)) as Sides;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sourceSides(): Promise<Sides> {
  const [{ parseInboundMail }, { default: PostalMime }] = await Promise.all([import('../shared/mail/parse.js'), import('postal-mime')]);
  return { parseInboundMail, PostalMime };
}

/** Rounds of the whole corpus each side runs before the first measured round. */
const WARM_ROUNDS = 20;

async function warm(corpus: Corpus, sides: Sides, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    for (const raw of corpus.mails) await sides.PostalMime.parse(raw).catch(() => undefined);
    for (const raw of corpus.mails) await sides.parseInboundMail(raw);
    for (const raw of corpus.mails) await sides.parseInboundMail(raw, { readCommonShapes: false });
  }
}

async function overhead(corpus: Corpus, sides: Sides, rounds: number): Promise<Overhead> {
  const { mails } = corpus;
  const { parseInboundMail, PostalMime } = sides;
  const bare = async () => {
    for (const raw of mails) await PostalMime.parse(raw).catch(() => undefined);
  };
  const ours = async () => {
    for (const raw of mails) await parseInboundMail(raw);
  };
  const libraryPath = async () => {
    for (const raw of mails) await parseInboundMail(raw, { readCommonShapes: false });
  };
  const cpuOf = async (run: () => Promise<void>) => {
    const before = cpuMs();
    await run();
    return cpuMs() - before;
  };
  for (let i = 0; i < 3; i += 1) {
    await bare();
    await ours();
    await libraryPath();
  }
  let postalMimeMs = Number.POSITIVE_INFINITY;
  let pipelineMs = Number.POSITIVE_INFINITY;
  let libraryPathMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i += 1) {
    postalMimeMs = Math.min(postalMimeMs, await cpuOf(bare));
    pipelineMs = Math.min(pipelineMs, await cpuOf(ours));
    libraryPathMs = Math.min(libraryPathMs, await cpuOf(libraryPath));
  }
  return { corpus: corpus.name, mails: mails.length, rounds, pipelineMs, postalMimeMs, ratio: pipelineMs / postalMimeMs, libraryPathMs, libraryPathRatio: libraryPathMs / postalMimeMs };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const rounds = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 40);
  const sides = args.includes('--source') ? await sourceSides() : await bundledSides();
  const all = corpora();
  // Both sides warmed on the whole corpus before anything is measured, so the first corpus
  // measured does not also pay for the JIT's tiering (see docs/performance.md, round six).
  if (!args.includes('--cold')) await warm(all[0]!, sides, WARM_ROUNDS);
  for (const corpus of all) console.log(JSON.stringify(await overhead(corpus, sides, rounds)));
}
