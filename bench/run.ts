import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { meets, type BenchSection, type Figure, type SectionResult } from './section.js';

/**
 * `npm run bench`: every performance goal of the project, measured in one run on this machine and
 * printed beside its goal. Each section is a file in bench/sections/ (see bench/section.ts for how
 * to add one); they share one DynamoDB Local. Writes bench/results/latest.json (read by
 * `npm run cost`) and the figures block of docs/performance.md.
 *
 * Options: --only cold-start,intake (run some sections), --synth / --no-synth (bundles),
 * --sweep-open 100000 (open tickets in the big sweep case), --import-rounds 7, --no-docs.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const onlyIndex = argv.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((argv[onlyIndex + 1] ?? '').split(',')) : undefined;

async function loadSections(): Promise<BenchSection[]> {
  const dir = join(here, 'sections');
  const sections: BenchSection[] = [];
  for (const file of readdirSync(dir).filter((name) => /\.(ts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')).sort()) {
    const name = file.replace(/\.(ts|js|mjs)$/, '');
    if (only && !only.has(name)) continue;
    const module = (await import(pathToFileURL(join(dir, file)).href)) as { section?: BenchSection };
    if (module.section) sections.push(module.section);
  }
  return sections.sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}

const verdict = (figure: Figure): string => {
  const ok = meets(figure);
  if (!figure.goal) return '';
  const goal = `goal ${figure.goal.op === '<=' ? '≤' : '≥'} ${figure.goal.target}${figure.unit === 'x' ? '×' : figure.unit ? ` ${figure.unit}` : ''}`;
  return `${goal}  ${ok === undefined ? 'NOT MEASURED' : ok ? 'met' : 'MISSED'}`;
};
const shown = (figure: Figure): string => (figure.value === undefined ? '—' : `${figure.value}${figure.unit === 'x' ? '×' : figure.unit ? ` ${figure.unit}` : ''}`);

const started = new Date();
const machine = { node: process.version, cpus: cpus().length, loadAverageAtStart: loadavg().map((n) => Number(n.toFixed(2))), dynamodb: 'DynamoDB Local (in memory)' };
const sections = await loadSections();
const results: Record<string, SectionResult & { title: string; seconds: number; error?: string }> = {};
const units: Record<string, unknown> = {};
// The JVM's defaults, not QUICK_START_JVM: the search section's queries read thousands of items,
// where C2's compiled code is about twice as fast (local/dynamodb-local.ts).
const dynamo = await startDynamoDbLocal({ jvmOptions: [] });
try {
  for (const section of sections) {
    console.error(`bench: ${section.title} ...`);
    const began = performance.now();
    try {
      const result = await section.run({ dynamoEndpoint: dynamo.endpoint, dynamoPid: dynamo.pid, argv, log: (message) => console.error(`bench:   ${message}`) });
      results[section.name] = { title: section.title, seconds: Math.round((performance.now() - began) / 100) / 10, ...result };
      Object.assign(units, result.units ?? {});
      // Each section's figures as soon as it ends, so a long or interrupted run still shows them.
      for (const figure of result.figures) console.error(`bench:   = ${figure.label}: ${shown(figure)} ${verdict(figure)}`);
    } catch (error) {
      // One broken section must not cost the others' figures.
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`bench: section ${section.name} failed: ${message}`);
      results[section.name] = { title: section.title, seconds: Math.round((performance.now() - began) / 100) / 10, figures: [], error: message.split('\n')[0] };
    }
  }
} finally {
  await dynamo.stop();
}
const loadAtEnd = loadavg().map((n) => Number(n.toFixed(2)));

const report = { at: started.toISOString(), machine: { ...machine, loadAverageAtEnd: loadAtEnd }, units, sections: results };
const resultsFile = join(here, 'results/latest.json');
if (!only) {
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
}

const lines: string[] = [
  `Ticketline bench, ${report.at}: Node ${machine.node}, ${machine.cpus} CPUs, load average ${machine.loadAverageAtStart.join(' / ')} at start, ${loadAtEnd.join(' / ')} at end`,
];
const table: string[] = ['| Figure | Measured | Goal | |', '|---|---|---|---|'];
for (const [name, result] of Object.entries(results)) {
  lines.push('', `${result.title}  [${name}, ${result.seconds} s]`);
  if (result.error) lines.push(`  FAILED: ${result.error}`);
  for (const figure of result.figures) {
    lines.push(`  ${figure.label.padEnd(46)} ${shown(figure).padStart(10)}   ${verdict(figure).padEnd(22)}${figure.note ? `  ${figure.note}` : ''}`);
    const ok = meets(figure);
    table.push(`| ${figure.label} | ${shown(figure)} | ${figure.goal ? `${figure.goal.op === '<=' ? '≤' : '≥'} ${figure.goal.target}` : ''} | ${ok === undefined ? (figure.goal ? 'not measured' : '') : ok ? 'met' : '**missed**'} |`);
  }
  if (result.error) table.push(`| ${result.title} | failed: ${result.error.replace(/\|/g, '/')} | | |`);
}
const goals = Object.values(results).flatMap((result) => result.figures.filter((figure) => figure.goal));
const missed = goals.filter((figure) => meets(figure) === false).length;
lines.push('', `${goals.length} goals: ${goals.length - missed - goals.filter((figure) => meets(figure) === undefined).length} met, ${missed} missed, ${goals.filter((figure) => meets(figure) === undefined).length} not measured.`);
lines.push(only ? '(--only: results not written)' : `written: bench/results/latest.json${argv.includes('--no-docs') ? '' : ', docs/performance.md'}`);
console.log(lines.join('\n'));

// docs/performance.md keeps the latest full run's figures between these markers.
const docs = join(here, '../docs/performance.md');
const start = '<!-- bench:latest:start -->';
const end = '<!-- bench:latest:end -->';
if (!only && !argv.includes('--no-docs') && existsSync(docs)) {
  const text = readFileSync(docs, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) {
    const block = [start, '', `Last \`npm run bench\`: ${report.at}, Node ${machine.node}, ${machine.cpus} CPUs, load average ${machine.loadAverageAtStart[0]} at start.`, '', ...table, '', end].join('\n');
    writeFileSync(docs, text.slice(0, from) + block + text.slice(to + end.length));
  }
}
