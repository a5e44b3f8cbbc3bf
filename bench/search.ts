import { pathToFileURL } from 'node:url';
import { BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { createDocumentClient, createDynamoDbClient } from '../shared/adapters/aws-clients.js';
import { DynamoStore, termItem } from '../shared/adapters/dynamo-store.js';
import { ensureTable } from '../shared/adapters/table-setup.js';
import { parseConfig } from '../shared/config/load.js';
import { localCompactDate } from '../shared/domain/calendar.js';
import { formatTicketNo } from '../shared/domain/numbering.js';
import { assigneeTerm, channelTerm, referenceTerm, tagTerm, teamTerm, textTerms, ticketSearchTerms } from '../shared/domain/search.js';
import type { Channel, Priority, Ticket, TicketStatus } from '../shared/domain/ticket.js';
import { SearchService, type SearchQuery } from '../shared/services/search.js';
import { CapacityMeter, median } from './capacity.js';

/**
 * Search latency at desk sizes (default 1,000 and 100,000 tickets) on DynamoDB Local: a synthetic
 * desk (a year of tickets, Chinese and English, repeat customers, orders, tags, teams, statuses)
 * is written with the items intake writes (the ticket and its search terms), then each kind of
 * query runs a few times; the median wall time, the DynamoDB calls and the read units per search
 * are reported, and the ratio of the big desk to the small one (the design's claim: a search reads
 * what matches, not the desk, so the ratio stays near 1 except where more tickets match).
 *
 * Alone: `npx tsx bench/search.ts [--sizes 1000,100000] [--data-dir DIR]`. From `npm run bench`:
 * `searchBench()` (`--search-sizes`, `--search-data-dir`).
 *
 * Seeding 100,000 tickets takes DynamoDB Local several CPU-minutes. With a data directory the
 * bench runs its own DynamoDB Local on files there, names each desk's table after its size and
 * {@link DESK_VERSION}, and seeds a table only once: a later run (or another person's) finds the
 * finished desk by its marker item and measures at once.
 */

const DAY_MS = 86_400_000;
const START = Date.parse('2024-01-01T01:00:00Z');
const DAYS = 365;

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same desk. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZH = ['无法登录', '支付失败', '退款', '物流查询', '发票', '账号被锁', '订单', '修改地址', '优惠券', '会员', '积分', '密码错误', '页面打不开', '商品破损', '退货', '换货', '客服电话', '短信验证码', '扣款', '到账', '发货', '快递', '延迟', '系统', '报错', '闪退', '升级', '安装', '续费', '合同'];
const EN = ['login', 'password', 'refund', 'invoice', 'delivery', 'parcel', 'order', 'payment', 'declined', 'crash', 'update', 'install', 'account', 'locked', 'coupon', 'membership', 'address', 'broken', 'return', 'exchange', 'charged', 'twice', 'shipping', 'delay', 'error', 'screen', 'subscription', 'renewal', 'contract', 'export'];
const TAGS = ['login', 'payment-failed', 'refund', 'delivery', 'invoice', 'complaint', 'outage'];
const TEAMS = ['technical', 'after-sales', 'general'];
const AGENTS = ['alice', 'bob', 'carol', 'dave', 'sam'];
const RECENT_STATUSES: TicketStatus[] = ['open', 'open', 'waiting-on-customer', 'resolved', 'closed'];
/** Tickets older than this are done (closed or resolved), as on a desk that keeps up. */
const OPEN_WINDOW_DAYS = 14;

/** Skewed choice: the first words of a list come up far more often (as real vocabularies do). */
const skewed = <T>(list: readonly T[], next: () => number): T => list[Math.floor(list.length * next() ** 2)] as T;

export function syntheticTicket(i: number, size: number, next: () => number): Ticket {
  const at = new Date(START + Math.floor((i / size) * DAYS * DAY_MS) + Math.floor(next() * 3_600_000));
  const chinese = next() < 0.6;
  const words = Array.from({ length: 4 + Math.floor(next() * 8) }, () => skewed(chinese ? ZH : EN, next));
  const customer = Math.floor(next() * (size / 3));
  const recent = START + DAYS * DAY_MS - at.getTime() < OPEN_WINDOW_DAYS * DAY_MS;
  const status: TicketStatus = recent ? (RECENT_STATUSES[Math.floor(next() * RECENT_STATUSES.length)] as TicketStatus) : next() < 0.9 ? 'closed' : 'resolved';
  const team = TEAMS[Math.floor(next() * TEAMS.length)] as string;
  const ticketNo = formatTicketNo(localCompactDate(at, 'Asia/Shanghai'), 100 + i);
  return {
    ticketNo,
    status,
    channel: (['email', 'form', 'phone', 'chat'] as Channel[])[Math.floor(next() * 4)] as Channel,
    subject: words.slice(0, 2).join(chinese ? '，' : ' '),
    summary: words.join(chinese ? '，' : ' '),
    type: 'fault',
    priority: (['P1', 'P2', 'P3', 'P4'] as Priority[])[Math.floor(next() * 4)] as Priority,
    team,
    tags: [skewed(TAGS, next)],
    language: chinese ? 'zh-CN' : 'en',
    flags: [],
    customer: { name: `客户${customer}`, email: `customer${customer}@example.com`, phone: `138${String(10_000_000 + customer).slice(-8)}`, vip: customer % 50 === 0 },
    order: next() < 0.4 ? `SO-${String(i).padStart(8, '0')}` : undefined,
    assignee: status === 'new' ? undefined : AGENTS[Math.floor(next() * AGENTS.length)],
    participants: [],
    createdAt: at.toISOString(),
    firstResponseDueAt: new Date(at.getTime() + 7_200_000).toISOString(),
    threadMessageIds: [],
    messageCount: 1,
    version: 1,
  };
}

/**
 * Writes the desk. With `onlyTerms`, term items are written only for those terms: a query reads
 * the partitions of its own terms by key and nothing else, so the others change nothing measured
 * (DynamoDB and DynamoDB Local alike) and would take DynamoDB Local many minutes to load at 100,000.
 */
async function seed(document: ReturnType<typeof createDocumentClient>, store: DynamoStore, tickets: Ticket[], onlyTerms?: Set<string>): Promise<{ items: number; seconds: number }> {
  const items = tickets.flatMap((ticket) => [
    store.ticketItem(ticket),
    ...ticketSearchTerms(ticket)
      .filter((term) => !onlyTerms || onlyTerms.has(term))
      .map((term) => termItem(term, ticket)),
  ]);
  const started = performance.now();
  const batches: Array<typeof items> = [];
  for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        let request: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> | undefined = { [store.tableName]: batch.map((Item) => ({ PutRequest: { Item: JSON.parse(JSON.stringify(Item)) as Record<string, unknown> } })) };
        while (request && Object.keys(request).length > 0) {
          const result = await document.send(new BatchWriteCommand({ RequestItems: request }));
          request = result.UnprocessedItems as typeof request;
        }
      }
    }),
  );
  return { items: items.length, seconds: (performance.now() - started) / 1000 };
}

/** Every term the bench's queries read. */
function queriedTerms(list: Array<{ query: SearchQuery }>): Set<string> {
  const terms = new Set<string>();
  for (const { query } of list) {
    for (const term of textTerms(query.text ?? '')) terms.add(term);
    if (query.reference) terms.add(referenceTerm(query.reference));
    if (query.tag) terms.add(tagTerm(query.tag));
    if (query.team) terms.add(teamTerm(query.team));
    if (query.assignee) terms.add(assigneeTerm(query.assignee));
    if (query.channel) terms.add(channelTerm(query.channel));
  }
  return terms;
}

export interface SearchFigure {
  size: number;
  query: string;
  medianMs: number;
  calls: number;
  readUnits: number;
  found: number;
}

/** The queries an agent types, each picked from the desk itself so every one has answers. */
function queries(tickets: Ticket[]): Array<{ name: string; query: SearchQuery }> {
  const probe = tickets[Math.floor(tickets.length * 0.37)] as Ticket;
  const ordered = tickets.find((ticket, index) => index > tickets.length / 2 && ticket.order) as Ticket;
  return [
    { name: 'ticket number', query: { ticketNo: probe.ticketNo } },
    { name: 'customer phone', query: { phone: probe.customer.phone } },
    { name: 'customer email + date range', query: { email: probe.customer.email, from: '2024-01-01', to: '2024-12-31' } },
    { name: 'order number', query: { reference: ordered.order } },
    { name: 'Chinese text (common)', query: { text: '退款' } },
    { name: 'Chinese text, two words', query: { text: '无法登录 密码错误' } },
    { name: 'English text + status', query: { text: 'refund parcel', status: ['closed'] } },
    { name: 'tag + team + month', query: { tag: 'invoice', team: 'after-sales', from: '2024-06-01', to: '2024-06-30' } },
    { name: 'assignee, open work', query: { assignee: 'alice', status: ['open', 'waiting-on-customer'] } },
    { name: 'assignee, all time', query: { assignee: 'bob' } },
    { name: 'one day, nothing else', query: { from: '2024-09-10', to: '2024-09-10' } },
  ];
}

/** Above this size only the queried terms' items are written (see `seed`). */
const FULL_INDEX_UP_TO = 10_000;

/** Bump when the synthetic desk, its terms or the table layout change: a kept desk of another version is not reused. */
export const DESK_VERSION = 2;
/** Written after the last item of a kept desk: a table without it was interrupted and is seeded again. */
const SEEDED_MARKER = { pk: 'BENCH#desk', sk: 'SEEDED' };

export async function searchBench(options: { dynamoEndpoint: string; sizes?: number[]; runs?: number; dataDir?: string; log?: (line: string) => void }): Promise<{ figures: SearchFigure[]; seeds: Array<{ size: number; items: number; seconds: number; termItems: 'all' | 'queried'; reused?: boolean }> }> {
  const sizes = options.sizes ?? [1_000, 100_000];
  const runs = options.runs ?? 5;
  const log = options.log ?? (() => undefined);
  // A kept desk lives in its own DynamoDB Local on the data directory's files.
  const kept = options.dataDir ? await startDynamoDbLocal({ dataDir: options.dataDir, jvmOptions: [] }) : undefined;
  const endpoint = kept?.endpoint ?? options.dynamoEndpoint;
  const config = parseConfig({});
  const figures: SearchFigure[] = [];
  const seeds: Array<{ size: number; items: number; seconds: number; termItems: 'all' | 'queried'; reused?: boolean }> = [];
  try {
    for (const size of sizes) {
      const client = createDynamoDbClient({ endpoint });
      const document = createDocumentClient(client);
      const tableName = kept ? `bench-search-${size}-v${DESK_VERSION}` : `bench-search-${size}-${Date.now()}`;
      await ensureTable(client, tableName);
      const meter = new CapacityMeter();
      const store = new DynamoStore(document, { tableName, timeZone: config.calendar.timeZone, onCapacity: meter.listen });
      const next = random(20240520);
      const tickets = Array.from({ length: size }, (_, i) => syntheticTicket(i, size, next));
      const asked = queries(tickets);
      const full = size <= FULL_INDEX_UP_TO;
      const reused = kept !== undefined && (await document.send(new GetCommand({ TableName: tableName, Key: SEEDED_MARKER }))).Item !== undefined;
      if (reused) {
        log(`bench: search, ${size} tickets already seeded in ${options.dataDir} (${tableName})`);
        seeds.push({ size, items: 0, seconds: 0, termItems: full ? 'all' : 'queried', reused: true });
      } else {
        log(`bench: search, seeding ${size} tickets ...`);
        const seeded = await seed(document, store, tickets, full ? undefined : queriedTerms(asked));
        if (kept) await document.send(new PutCommand({ TableName: tableName, Item: { ...SEEDED_MARKER, items: seeded.items, seconds: seeded.seconds } }));
        seeds.push({ size, items: seeded.items, seconds: Number(seeded.seconds.toFixed(1)), termItems: full ? 'all' : 'queried' });
      }
      const search = new SearchService({ store, config, clock: { now: () => new Date('2025-01-01T00:00:00Z') } });
      for (const { name, query } of asked) {
        await search.search(undefined, query); // warm-up
        meter.reset();
        const times: number[] = [];
        let found = 0;
        for (let run = 0; run < runs; run += 1) {
          const started = performance.now();
          found = (await search.search(undefined, query)).items.length;
          times.push(performance.now() - started);
        }
        const units = meter.take(runs);
        figures.push({ size, query: name, medianMs: Number(median(times).toFixed(1)), calls: units.calls, readUnits: units.readUnits, found });
      }
      client.destroy();
    }
  } finally {
    await kept?.stop();
  }
  return { figures, seeds };
}

/** The table `npm run bench` prints: one row per query, the sizes side by side, and their ratio. */
export function searchTable(result: Awaited<ReturnType<typeof searchBench>>): string[] {
  const sizes = [...new Set(result.figures.map((figure) => figure.size))];
  const [small, big] = sizes;
  const lines = [`Search (median of runs; goal: under 1 s at ${big ?? small} tickets; ratio = ${big} / ${small})`];
  for (const seedFigure of result.seeds) lines.push(seedFigure.reused ? `  ${seedFigure.size} tickets: the desk kept in the data directory` : `  seeded ${seedFigure.size} tickets (${seedFigure.items} items, ${seedFigure.termItems === 'all' ? 'every term' : "the queried terms' partitions"}) in ${seedFigure.seconds} s`);
  for (const name of [...new Set(result.figures.map((figure) => figure.query))]) {
    const at = (size: number | undefined) => result.figures.find((figure) => figure.query === name && figure.size === size);
    const a = at(small);
    const b = at(big);
    const cell = (figure: SearchFigure | undefined) => (figure ? `${String(figure.medianMs).padStart(7)} ms ${String(figure.calls).padStart(4)} calls ${String(figure.readUnits).padStart(6)} RCU ${String(figure.found).padStart(3)} hits` : '');
    lines.push(`  ${name.padEnd(30)} ${cell(a)}  | ${cell(b)}${a && b ? `   x${(b.medianMs / Math.max(a.medianMs, 0.1)).toFixed(1)}` : ''}`);
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const index = process.argv.indexOf('--sizes');
  const sizes = index >= 0 ? (process.argv[index + 1] ?? '').split(',').map(Number) : undefined;
  const dirIndex = process.argv.indexOf('--data-dir');
  const dataDir = dirIndex >= 0 ? process.argv[dirIndex + 1] : undefined;
  const dynamo = await startDynamoDbLocal({ jvmOptions: [] });
  try {
    const result = await searchBench({ dynamoEndpoint: dynamo.endpoint, sizes, dataDir, log: (line) => console.error(line) });
    console.log(searchTable(result).join('\n'));
  } finally {
    await dynamo.stop();
  }
}
