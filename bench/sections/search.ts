import { round, type BenchSection, type Figure } from '../section.js';
import { searchBench } from '../search.js';

const sizesFrom = (argv: string[]): number[] => {
  const index = argv.indexOf('--search-sizes');
  return index >= 0 ? (argv[index + 1] ?? '').split(',').map(Number).filter((n) => n > 0) : [1_000, 100_000];
};

const dataDirFrom = (argv: string[]): string | undefined => {
  const index = argv.indexOf('--search-data-dir');
  return index >= 0 ? argv[index + 1] : process.env.BENCH_SEARCH_DATA_DIR || undefined;
};

/**
 * Search latency at 1,000 and 100,000 tickets (bench/search.ts; design in docs/search.md): the
 * slowest query kind at each size against the one-second goal, every query kind's median, calls
 * and read units, and the big desk's time over the small one's. `--search-data-dir DIR` (or
 * BENCH_SEARCH_DATA_DIR) keeps the seeded desks there and reuses them on the next run.
 */
export const section: BenchSection = {
  name: 'search',
  title: 'Search: latency by query kind at 1,000 and 100,000 tickets',
  order: 60,
  async run(context) {
    const sizes = sizesFrom(context.argv);
    const result = await searchBench({ dynamoEndpoint: context.dynamoEndpoint, sizes, dataDir: dataDirFrom(context.argv), log: context.log });
    const figures: Figure[] = [];
    for (const size of sizes) {
      const rows = result.figures.filter((figure) => figure.size === size);
      const slowest = rows.reduce((worst, row) => (row.medianMs > worst.medianMs ? row : worst), rows[0]!);
      figures.push({ key: `slowestMs${size}`, label: `slowest search kind at ${size} tickets`, value: slowest.medianMs, unit: 'ms', goal: { op: '<=', target: 1000 }, note: `${slowest.query}; ${slowest.calls} calls, ${slowest.readUnits} RCU` });
    }
    const [small, big] = sizes;
    for (const name of [...new Set(result.figures.map((figure) => figure.query))]) {
      const a = result.figures.find((figure) => figure.query === name && figure.size === small);
      const b = result.figures.find((figure) => figure.query === name && figure.size === big);
      const last = b ?? a;
      if (!last) continue;
      figures.push({
        key: `ms.${name}`,
        label: `  ${name} (${last.size})`,
        value: last.medianMs,
        unit: 'ms',
        note: `${last.calls} calls, ${last.readUnits} RCU, ${last.found} hits${a && b ? `; ${round(b.medianMs / Math.max(a.medianMs, 0.1), 1)}x the ${small} desk (${a.medianMs} ms)` : ''}`,
      });
    }
    return { figures, detail: { seeds: result.seeds, figures: result.figures }, units: { search: result.figures.filter((figure) => figure.size === big) } };
  },
};
