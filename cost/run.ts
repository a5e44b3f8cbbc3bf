import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_UNITS, defaultAssumptions, idleMonthlyCost, idleStage, monthlyCost, total, unitsFromBench, type IdlePrices, type Prices } from './model.js';

/**
 * `npm run cost -- --tickets-per-month 10000 [--mail-share 0.5] [--markdown]`: the monthly cost by
 * service, with every assumption printed. Prices come from the newest cost/prices-YYYY-MM.json.
 */
function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const tickets = Number(option('tickets-per-month') ?? 10_000);
if (!Number.isFinite(tickets) || tickets <= 0) {
  console.error('usage: npm run cost -- --tickets-per-month 10000 [--mail-share 0.5] [--markdown]');
  process.exit(2);
}
const priceFile = readdirSync('cost').filter((file) => /^prices-\d{4}-\d{2}\.json$/.test(file)).sort().pop();
if (!priceFile) throw new Error('no cost/prices-YYYY-MM.json file');
const prices = JSON.parse(readFileSync(join('cost', priceFile), 'utf8')) as Prices;
const benchFile = 'bench/results/latest.json';
const units = (existsSync(benchFile) ? unitsFromBench(JSON.parse(readFileSync(benchFile, 'utf8'))) : undefined) ?? DEFAULT_UNITS;
const assumptions = defaultAssumptions(tickets);
const share = option('mail-share');
if (share !== undefined) assumptions.mailShare = Number(share);

const volumes = process.argv.includes('--markdown') ? [1_000, 10_000, 100_000] : [tickets];
const rows = volumes.map((volume) => {
  const costs = monthlyCost({ ...assumptions, ticketsPerMonth: volume }, units, prices);
  return { volume, costs, total: total(costs) };
});

if (process.argv.includes('--markdown')) {
  const services = rows[0]!.costs.map((cost) => cost.service);
  console.log(`| service | ${volumes.map((v) => `${v.toLocaleString('en-US')} tickets`).join(' | ')} |`);
  console.log(`|---|${volumes.map(() => '---:').join('|')}|`);
  for (const service of services) console.log(`| ${service} | ${rows.map((row) => `$${row.costs.find((c) => c.service === service)!.usd.toFixed(2)}`).join(' | ')} |`);
  console.log(`| **total per month** | ${rows.map((row) => `**$${row.total.toFixed(2)}**`).join(' | ')} |`);
  console.log(`| per ticket | ${rows.map((row) => `$${(row.total / row.volume).toFixed(4)}`).join(' | ')} |`);
} else {
  const [row] = rows;
  console.log(`Ticketline monthly cost for ${tickets.toLocaleString('en-US')} tickets (prices ${prices.region}, ${prices.asOf}, from cost/${priceFile})`);
  for (const cost of row!.costs) console.log(`  ${cost.service.padEnd(14)} $${cost.usd.toFixed(2).padStart(9)}   ${cost.detail}`);
  console.log(`  ${'total'.padEnd(14)} $${row!.total.toFixed(2).padStart(9)}   ($${(row!.total / tickets).toFixed(4)} per ticket)`);
}
console.log('\nAssumptions');
console.log(`  DynamoDB units per operation: ${units.source}`);
for (const [operation, value] of Object.entries(units)) if (operation !== 'source') console.log(`    ${operation.padEnd(16)} ${JSON.stringify(value)}`);
for (const [key, value] of Object.entries(assumptions)) if (key !== 'ticketsPerMonth') console.log(`  ${key.padEnd(26)} ${typeof value === 'object' ? JSON.stringify(value) : value}`);
console.log('  On-demand list prices, no free tier, no Savings Plans; data transfer out, Cognito (agents within the free MAU tier), KMS and Route 53 not counted.');

console.log('\nIdle monthly cost (no tickets at all), by stage');
for (const stage of ['dev', 'prod'] as const) {
  const idle = idleStage(stage);
  for (const withAlwaysFree of [false, true]) {
    const rows = idleMonthlyCost(idle, prices as IdlePrices, { withAlwaysFree });
    console.log(`  ${stage} (WAF ${idle.waf ? 'on' : 'off'}), ${withAlwaysFree ? 'with the always-free allowances' : 'list price, no free tier'}: $${total(rows).toFixed(2)}`);
    if (withAlwaysFree) for (const row of rows) console.log(`    ${row.service.padEnd(42)} $${row.usd.toFixed(2).padStart(6)}   ${row.detail}`);
  }
}
