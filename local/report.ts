import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createDocumentClient, createDynamoDbClient } from '../shared/adapters/aws-clients.js';
import { DynamoStore } from '../shared/adapters/dynamo-store.js';
import { ensureTable } from '../shared/adapters/table-setup.js';
import { parseConfig } from '../shared/config/load.js';
import { systemClock, type Clock } from '../shared/services/ports.js';
import { REPORT_FORMATS, ReportService, lastFullWeek } from '../shared/services/report.js';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from './dynamodb-local.js';

/**
 * `npm run report -- --week 2024-W21 --out <folder>`: the weekly report from the local table, as
 * report.json, report.csv and report.html in the folder. Without --week: the last full week.
 *
 * The table is the local desk's (`ticketline` under DATA_DIR, default .data): DynamoDB Local is
 * started on that folder, or DYNAMODB_ENDPOINT is used when set (e.g. while `npm start` runs,
 * since two DynamoDB Local processes should not share one folder). No mail is sent.
 */

export interface ReportCommandOptions {
  argv: string[];
  env?: Record<string, string | undefined>;
  /** Overrides DYNAMODB_ENDPOINT (tests). */
  endpoint?: string;
  clock?: Clock;
  log?: (line: string) => void;
}

export interface ReportCommandResult {
  week: string;
  files: string[];
}

export class ReportCommandError extends Error {
  override name = 'ReportCommandError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const USAGE = 'usage: npm run report -- [--week 2024-W21] [--out <folder>] [--table ticketline] [--config ticketline.config.json]';

export async function main(options: ReportCommandOptions): Promise<ReportCommandResult> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  let values: { week?: string; out?: string; table?: string; config?: string };
  try {
    ({ values } = parseArgs({
      args: options.argv,
      options: { week: { type: 'string' }, out: { type: 'string' }, table: { type: 'string' }, config: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (cause) {
    throw new ReportCommandError(`${(cause as Error).message}\n${USAGE}`, { cause });
  }
  if (values.week !== undefined && !/^\d{4}-W\d{2}$/.test(values.week)) throw new ReportCommandError(`--week must look like 2024-W21\n${USAGE}`);

  const configFile = resolve(values.config ?? 'ticketline.config.json');
  const rawConfig = existsSync(configFile) ? JSON.parse(readFileSync(configFile, 'utf8')) : env.DESK_CONFIG ? JSON.parse(env.DESK_CONFIG) : {};
  const config = parseConfig(rawConfig);
  const clock = options.clock ?? systemClock;
  const week = values.week ?? lastFullWeek(clock.now(), config.calendar.timeZone);
  const out = resolve(values.out ?? join('reports', week));

  const dataDir = resolve(env.DATA_DIR ?? '.data');
  let dynamo: RunningDynamoDbLocal | undefined;
  const endpoint = options.endpoint ?? env.DYNAMODB_ENDPOINT ?? (dynamo = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') })).endpoint;
  const client = createDynamoDbClient({ endpoint });
  try {
    const tableName = values.table ?? env.TABLE_NAME ?? 'ticketline';
    await ensureTable(client, tableName);
    const store = new DynamoStore(createDocumentClient(client), { tableName, timeZone: config.calendar.timeZone });
    const files: string[] = [];
    const runtime = {
      config,
      store,
      clock,
      queue: { enqueue: async () => undefined },
      reportBlobs: {
        put: async (key: string, body: Buffer | string) => {
          mkdirSync(out, { recursive: true });
          const path = join(out, key.split('/').at(-1) ?? key);
          writeFileSync(path, body);
          files.push(path);
        },
        get: async () => undefined,
      },
    };
    const run = await new ReportService(runtime).run(week, { notify: false });
    log(`weekly report ${run.week}: ${run.report.totals.created} tickets created, ${run.report.totals.resolved} resolved`);
    for (const format of REPORT_FORMATS) log(`  ${join(out, `report.${format}`)}`);
    return { week: run.week, files };
  } finally {
    client.destroy();
    await dynamo?.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main({ argv: process.argv.slice(2) }).catch((error: unknown) => {
    console.error(error instanceof ReportCommandError ? error.message : error);
    process.exitCode = 1;
  });
}
