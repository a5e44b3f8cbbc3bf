/**
 * The parsing overhead figure, measured in a process of its own: `parseInboundMail` against bare
 * postal-mime over the same bytes, CPU time. bench/sections/mail.ts spawns it, so the bench
 * process's heap (DynamoDB clients, other sections' garbage) does not weigh on one side.
 * Rounds alternate between the two sides and each keeps its best, so neither a cold JIT nor a busy
 * moment on a shared machine lands on one side only.
 * Usage: tsx bench/parse-overhead.ts [rounds] -> one JSON line per corpus
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PostalMime from 'postal-mime';
import { parseInboundMail } from '../shared/mail/parse.js';

const corpusDir = join(dirname(fileURLToPath(import.meta.url)), '../test/fixtures/mail');
const rounds = Number(process.argv[2] ?? 40);

export interface Corpus {
  name: string;
  mails: Buffer[];
}

/** The fixture corpus, and its Chinese part (GB/Big5 charsets and Chinese replies) on its own. */
export function corpora(): Corpus[] {
  const files = readdirSync(corpusDir).filter((name) => name.endsWith('.eml')).sort();
  const chinese = /zh|gbk|gb2312|gb18030|cp936|big5/i;
  return [
    { name: 'all', mails: files.map((name) => readFileSync(join(corpusDir, name))) },
    { name: 'chinese', mails: files.filter((name) => chinese.test(name)).map((name) => readFileSync(join(corpusDir, name))) },
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
}

async function overhead(corpus: Corpus): Promise<Overhead> {
  const { mails } = corpus;
  const bare = async () => {
    for (const raw of mails) await PostalMime.parse(raw).catch(() => undefined);
  };
  const ours = async () => {
    for (const raw of mails) await parseInboundMail(raw);
  };
  const cpuOf = async (run: () => Promise<void>) => {
    const before = cpuMs();
    await run();
    return cpuMs() - before;
  };
  for (let i = 0; i < 3; i += 1) {
    await bare();
    await ours();
  }
  let postalMimeMs = Number.POSITIVE_INFINITY;
  let pipelineMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i += 1) {
    postalMimeMs = Math.min(postalMimeMs, await cpuOf(bare));
    pipelineMs = Math.min(pipelineMs, await cpuOf(ours));
  }
  return { corpus: corpus.name, mails: mails.length, rounds, pipelineMs, postalMimeMs, ratio: pipelineMs / postalMimeMs };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const corpus of corpora()) console.log(JSON.stringify(await overhead(corpus)));
}
