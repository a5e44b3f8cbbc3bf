import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inboundBundleFigures } from '../inbound-bundle.js';
import { dynamoCallsPerMail } from '../mail.js';
import { round, type BenchSection } from '../section.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = 40;
/**
 * The corpus by kind of mail (bench/parse-overhead.ts says which fixture is which), and the clean
 * mails with the transport fields SES delivers them with, beside the whole-corpus goal.
 */
const CATEGORIES = ['clean', 'legacy-charset', 'broken-on-purpose', 'html-only', 'clean-as-delivered'];
const RUNS = 3;

interface Overhead {
  corpus: string;
  mails: number;
  pipelineMs: number;
  postalMimeMs: number;
  ratio: number;
  /** The pipeline with postal-mime reading every mail (the common-shape reader off), same run. */
  libraryPathMs: number;
  libraryPathRatio: number;
}

/**
 * The parsing overhead, each run in a fresh process (bench/parse-overhead.ts) so this process's
 * heap does not weigh on one side; several runs, and the median run's figures are reported (each
 * run already keeps the best of its alternating rounds).
 */
type ParsingRuns = { ok: true; corpora: Record<string, { runs: Overhead[]; median: Overhead }> } | { ok: false; error: string };

function parsingRuns(): ParsingRuns {
  const byCorpus: Record<string, Overhead[]> = {};
  for (let run = 0; run < RUNS; run += 1) {
    const out = spawnSync(process.execPath, ['--import', 'tsx', join(here, '../parse-overhead.ts'), String(ROUNDS)], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    if (out.status !== 0) return { ok: false, error: out.stderr.slice(-500) };
    for (const line of out.stdout.trim().split('\n')) {
      const figure = JSON.parse(line) as Overhead;
      (byCorpus[figure.corpus] ??= []).push(figure);
    }
  }
  const corpora = Object.fromEntries(
    Object.entries(byCorpus).map(([corpus, runs]) => {
      const sorted = [...runs].sort((a, b) => a.ratio - b.ratio);
      return [corpus, { runs, median: sorted[Math.floor(sorted.length / 2)]! }];
    }),
  );
  return { ok: true, corpora };
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
    context.log(`parsing overhead: ${RUNS} fresh processes ...`);
    const parsing = parsingRuns();
    const calls = await dynamoCallsPerMail(context.dynamoEndpoint);
    context.log('inbound handler peak memory on a 25 MB mail ...');
    const memory = memoryFigures(context.dynamoEndpoint);
    context.log('inbound-email bundle: esbuild with the functions\' settings, import CPU against the SDK floor ...');
    const bundle = await inboundBundleFigures().catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
    const all = parsing.ok ? parsing.corpora.all : undefined;
    const chinese = parsing.ok ? parsing.corpora.chinese : undefined;
    const ratios = (figure: typeof all) => (figure ? figure.runs.map((run) => `${round(run.ratio)}x`).join(', ') : '');
    return {
      figures: [
        {
          key: 'parseRatio',
          label: 'parsing / bare postal-mime (CPU)',
          value: all ? round(all.median.ratio) : undefined,
          unit: 'x',
          goal: { op: '<=', target: 1.2 },
          note: all
            ? `${all.median.mails} fixture mails: ${round(all.median.pipelineMs, 1)} vs ${round(all.median.postalMimeMs, 1)} ms (median of ${RUNS} fresh processes: ${ratios(all)}; each the best of ${ROUNDS} alternating rounds after 20 warm-up rounds; both sides from one bundle built as inbound-email is deployed)`
            : `failed: ${parsing.ok ? 'no figure' : parsing.error.split('\n').slice(-3).join(' ')}`,
        },
        {
          key: 'parseRatioLibraryPath',
          label: 'parsing / bare postal-mime, postal-mime on every mail',
          value: all ? round(all.median.libraryPathRatio) : undefined,
          unit: 'x',
          note: all ? `the same pipeline with the common-shape reader off (before round seven), same runs: ${all.runs.map((run) => `${round(run.libraryPathRatio)}x`).join(', ')}` : undefined,
        },
        ...CATEGORIES.map((category) => {
          const figure = parsing.ok ? parsing.corpora[category] : undefined;
          return {
            key: `parseRatio${category.replace(/(^|-)([a-z])/g, (_m, _dash: string, letter: string) => letter.toUpperCase())}`,
            label: `parsing ratio, ${category} mail`,
            value: figure ? round(figure.median.ratio) : undefined,
            unit: 'x',
            note: figure ? `${figure.median.mails} mails: ${round(figure.median.pipelineMs, 2)} vs ${round(figure.median.postalMimeMs, 2)} ms (runs: ${ratios(figure)}; postal-mime on every mail ${round(figure.median.libraryPathRatio)}x)` : undefined,
          };
        }),
        {
          key: 'parseRatioChinese',
          label: 'parsing / bare postal-mime, Chinese mail',
          value: chinese ? round(chinese.median.ratio) : undefined,
          unit: 'x',
          note: chinese ? `${chinese.median.mails} mails: ${round(chinese.median.pipelineMs, 1)} vs ${round(chinese.median.postalMimeMs, 1)} ms (runs: ${ratios(chinese)})` : undefined,
        },
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
                key: 'inboundSdkS3Bundled',
                label: 'inbound-email, S3 through the SDK (before): bundle; import / floor',
                value: `${round(bundle.sdkS3Bundled.bytes / 1000, 1)} KB; ${round(bundle.sdkS3Bundled.importRatio)}x`,
                note: 'round five\'s wiring (bench/variants/inbound-email-sdk-s3.ts), same rounds',
              },
              {
                key: 'inboundSdkS3Runtime',
                label: 'inbound-email, S3 through the runtime\'s SDK: bundle; import / floor',
                value: `${round(bundle.sdkS3Runtime.bytes / 1000, 1)} KB; ${round(bundle.sdkS3Runtime.importRatio)}x`,
                note: 'the same wiring with @aws-sdk/* and @smithy/* external, same rounds (docs/performance.md: why S3 goes over signed HTTP)',
              },
            ]),
      ],
      units: { mailTicket: { calls: calls.newTicketCalls, capacityUnits: round(calls.newTicketUnits, 1) }, reply: { calls: calls.replyCalls, capacityUnits: round(calls.replyUnits, 1) } },
      detail: { parsing, memory, bundle },
    };
  },
};
