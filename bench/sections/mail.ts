import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PostalMime from 'postal-mime';
import { parseInboundMail } from '../../shared/mail/parse.js';
import { inboundBundleFigures } from '../inbound-bundle.js';
import { dynamoCallsPerMail } from '../mail.js';
import { cpuMs, round, type BenchSection } from '../section.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = join(here, '../../test/fixtures/mail');
const ROUNDS = 9;

interface Corpus {
  name: string;
  mails: Buffer[];
}

/** The fixture corpus, and its Chinese part (GB/Big5 charsets and Chinese replies) on its own. */
function corpora(): Corpus[] {
  const files = readdirSync(corpusDir).filter((name) => name.endsWith('.eml')).sort();
  const chinese = /zh|gbk|gb2312|gb18030|cp936|big5/i;
  return [
    { name: 'all', mails: files.map((name) => readFileSync(join(corpusDir, name))) },
    { name: 'chinese', mails: files.filter((name) => chinese.test(name)).map((name) => readFileSync(join(corpusDir, name))) },
  ];
}

/**
 * CPU time of the pipeline's parser and of bare postal-mime over the same bytes: rounds alternate
 * between the two, and each side keeps its best round, so neither a cold JIT nor a busy moment
 * lands on one side only.
 */
async function parsingOverhead(mails: Buffer[]): Promise<{ pipelineMs: number; postalMimeMs: number; ratio: number }> {
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
  await bare();
  await ours();
  let postalMimeMs = Number.POSITIVE_INFINITY;
  let pipelineMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < ROUNDS; i += 1) {
    postalMimeMs = Math.min(postalMimeMs, await cpuOf(bare));
    pipelineMs = Math.min(pipelineMs, await cpuOf(ours));
  }
  return { pipelineMs, postalMimeMs, ratio: pipelineMs / postalMimeMs };
}

/** Peak memory of the inbound handler on a 25 MB mail, in its own process (bench/inbound-memory.ts). */
function memoryFigures(endpoint: string): Record<string, number> | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ticketline-big-mail-'));
  const file = join(dir, 'big.eml');
  const env = { ...process.env, NODE_NO_WARNINGS: '1' };
  try {
    const generated = spawnSync(process.execPath, ['--import', 'tsx', join(here, '../inbound-memory.ts'), 'generate', file], { encoding: 'utf8', env });
    if (generated.status !== 0) return { error: generated.stderr.slice(-500) };
    return measureMemory(endpoint, file, env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measureMemory(endpoint: string, file: string, env: NodeJS.ProcessEnv): Record<string, number> | { error: string } {
  const out = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, '../inbound-memory.ts'), endpoint, file], { encoding: 'utf8', env });
  const line = out.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Record<string, number>;
  } catch {
    return { error: (out.stderr || line).slice(-500) };
  }
}

export const section: BenchSection = {
  name: 'mail',
  title: 'Mail: parsing overhead, round trips, memory',
  order: 40,
  async run(context) {
    const parsing: Record<string, Awaited<ReturnType<typeof parsingOverhead>> & { mails: number }> = {};
    for (const corpus of corpora()) parsing[corpus.name] = { mails: corpus.mails.length, ...(await parsingOverhead(corpus.mails)) };
    const calls = await dynamoCallsPerMail(context.dynamoEndpoint);
    context.log('inbound handler peak memory on a 25 MB mail ...');
    const memory = memoryFigures(context.dynamoEndpoint);
    context.log('inbound-email bundle: esbuild with the functions\' settings, import CPU against the SDK floor ...');
    const bundle = await inboundBundleFigures().catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
    const all = parsing.all;
    const chinese = parsing.chinese;
    return {
      figures: [
        {
          key: 'parseRatio',
          label: 'parsing / bare postal-mime (CPU)',
          value: all ? round(all.ratio) : undefined,
          unit: 'x',
          goal: { op: '<=', target: 1.2 },
          note: all ? `${all.mails} fixture mails: ${round(all.pipelineMs, 1)} vs ${round(all.postalMimeMs, 1)} ms, best of ${ROUNDS} alternating rounds` : undefined,
        },
        { key: 'parseRatioChinese', label: 'parsing / bare postal-mime, Chinese mail', value: chinese ? round(chinese.ratio) : undefined, unit: 'x', note: chinese ? `${chinese.mails} mails: ${round(chinese.pipelineMs, 1)} vs ${round(chinese.postalMimeMs, 1)} ms` : undefined },
        { key: 'callsPerNewMailTicket', label: 'DynamoDB calls per new mail ticket', value: calls.newTicketCalls, note: `${round(calls.newTicketUnits, 1)} capacity units` },
        { key: 'callsPerReply', label: 'DynamoDB calls per customer reply', value: calls.replyCalls, note: `${round(calls.replyUnits, 1)} capacity units` },
        'error' in memory
          ? { key: 'peakRssToMail', label: 'peak RSS / mail size, 25 MB mail', value: undefined, goal: { op: '<=', target: 2.5 }, note: `failed: ${String(memory.error).split('\n').slice(-3).join(' ')}` }
          : {
              key: 'peakRssToMail',
              label: 'peak RSS / mail size, 25 MB mail',
              value: memory.peakRssToMailRatio,
              unit: 'x',
              goal: { op: '<=', target: 2.5 },
              note: `${memory.mailMb} MB mail: RSS +${memory.rssDeltaMb} MB, heap +${memory.heapDeltaMb} MB, ${memory.elapsedMs} ms`,
            },
        ...('error' in bundle
          ? [{ key: 'inboundBundle', label: 'inbound-email bundle', value: undefined, goal: { op: '<=' as const, target: 600 }, note: `failed: ${bundle.error.slice(-300)}` }]
          : [
              {
                key: 'inboundBundle',
                label: 'inbound-email bundle',
                value: round(bundle.bytes / 1000, 1),
                unit: 'KB',
                goal: { op: '<=' as const, target: 600 },
                note: `largest: ${bundle.byPackage
                  .slice(0, 5)
                  .map(([name, bytes]) => `${name} ${Math.round(bytes / 1000)}`)
                  .join(', ')} KB`,
              },
              {
                key: 'inboundImportRatio',
                label: 'inbound-email: import CPU / SDK floor',
                value: round(bundle.importRatio),
                unit: 'x',
                goal: { op: '<=' as const, target: 1.5 },
                note: `${round(bundle.importCpuMs, 1)} vs ${round(bundle.floorCpuMs, 1)} ms, medians of 5 alternating fresh processes`,
              },
              {
                key: 'inboundSdkExternal',
                label: 'inbound-email with the runtime\'s SDK: bundle; import / floor',
                value: `${round(bundle.sdkExternal.bytes / 1000, 1)} KB; ${round(bundle.sdkExternal.importRatio)}x`,
                note: 'the same code built with @aws-sdk/* and @smithy/* external, same run (docs/performance.md: why the SDK stays bundled)',
              },
            ]),
      ],
      units: { mailTicket: { calls: calls.newTicketCalls, capacityUnits: round(calls.newTicketUnits, 1) }, reply: { calls: calls.replyCalls, capacityUnits: round(calls.replyUnits, 1) } },
      detail: { parsing, memory, bundle },
    };
  },
};
