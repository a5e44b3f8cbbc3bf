/**
 * Mail intake figures for `npm run bench`:
 * - DynamoDB calls per new mail ticket and per reply, counted with DynamoStore's `onCapacity`
 *   listener (every call reports once, successful or not), with the consumed capacity units;
 * - the pipeline's parsing overhead: `parseInboundMail` over the fixture corpus as a ratio to bare
 *   postal-mime on the same bytes (best of several rounds, so a cold JIT does not count).
 *
 * Run alone: `npx tsx bench/mail.ts`. `bench/run.ts` calls `mailBench()`.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import PostalMime from 'postal-mime';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { createDocumentClient, createDynamoDbClient } from '../shared/adapters/aws-clients.js';
import { FileBlobStore } from '../shared/adapters/blob-store.js';
import { DynamoStore } from '../shared/adapters/dynamo-store.js';
import { ensureTable } from '../shared/adapters/table-setup.js';
import { parseConfig } from '../shared/config/load.js';
import { parseInboundMail } from '../shared/mail/parse.js';
import type { Runtime } from '../shared/services/context.js';
import { InboundMailService } from '../shared/services/inbound.js';
import type { Notification } from '../shared/services/ports.js';

const corpusDir = join(dirname(fileURLToPath(import.meta.url)), '../test/fixtures/mail');
const ROUNDS = 7;

function corpus(): Buffer[] {
  return readdirSync(corpusDir)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => readFileSync(join(corpusDir, name)));
}

async function bestOf(rounds: number, run: () => Promise<void>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i += 1) {
    const start = performance.now();
    await run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** Parse time of the pipeline's parser and of bare postal-mime over the corpus (ms, best round). */
export async function parsingOverhead(mails: Buffer[] = corpus()): Promise<{ pipelineMs: number; postalMimeMs: number; ratio: number }> {
  const bare = async () => {
    for (const raw of mails) await PostalMime.parse(raw).catch(() => undefined);
  };
  const ours = async () => {
    for (const raw of mails) await parseInboundMail(raw);
  };
  await bare();
  await ours();
  const postalMimeMs = await bestOf(ROUNDS, bare);
  const pipelineMs = await bestOf(ROUNDS, ours);
  return { pipelineMs, postalMimeMs, ratio: pipelineMs / postalMimeMs };
}

interface Counter {
  calls: number;
  units: number;
  reset(): void;
}

function capacityCounter(): Counter & { listen: (operation: string, capacity: ConsumedCapacity[] | ConsumedCapacity | undefined) => void } {
  const counter = {
    calls: 0,
    units: 0,
    reset() {
      counter.calls = 0;
      counter.units = 0;
    },
    listen(_operation: string, capacity: ConsumedCapacity[] | ConsumedCapacity | undefined) {
      counter.calls += 1;
      for (const entry of Array.isArray(capacity) ? capacity : capacity ? [capacity] : []) counter.units += entry.CapacityUnits ?? 0;
    },
  };
  return counter;
}

function mail(id: string, subject: string, body: string, inReplyTo?: string): Buffer {
  return Buffer.from(
    [
      'From: Amy Lee <amy@customer.example.com>',
      'To: support@support.example.com',
      `Subject: ${subject}`,
      `Message-ID: <${id}>`,
      ...(inReplyTo ? [`In-Reply-To: <${inReplyTo}>`, `References: <${inReplyTo}>`] : []),
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n'),
  );
}

/** DynamoDB calls (and capacity units) of one new mail ticket and of one reply to it, on DynamoDB Local. */
export async function dynamoCallsPerMail(endpoint?: string): Promise<{ newTicketCalls: number; newTicketUnits: number; replyCalls: number; replyUnits: number }> {
  const local = endpoint ? undefined : await startDynamoDbLocal();
  try {
    const client = createDynamoDbClient({ endpoint: endpoint ?? local?.endpoint });
    const tableName = `bench-mail-${Date.now()}`;
    await ensureTable(client, tableName);
    const config = parseConfig({});
    const counter = capacityCounter();
    const store = new DynamoStore(createDocumentClient(client), { tableName, timeZone: config.calendar.timeZone, onCapacity: counter.listen });
    const dataDir = mkdtempSync(join(tmpdir(), 'ticketline-bench-'));
    const queued: Notification[] = [];
    const runtime: Runtime = {
      config,
      store,
      queue: { enqueue: async (notifications) => void queued.push(...notifications) },
      mailer: { sendRaw: async () => ({ providerMessageId: 'bench' }) },
      clock: { now: () => new Date('2024-05-20T02:00:00Z') },
      mailBlobs: new FileBlobStore(join(dataDir, 'mail')),
      reportBlobs: new FileBlobStore(join(dataDir, 'reports')),
      linkKeys: async () => ({ current: { kid: 'bench', key: 'bench-link-signing-key-0123456789' } }),
      mailBucketName: 'bench',
    };
    const service = new InboundMailService(runtime);

    counter.reset();
    const created = await service.process('inbound/new.eml', mail('bench-new@customer.example.com', 'Cannot log in', 'I cannot log in since this morning.'));
    const newTicket = { calls: counter.calls, units: counter.units };

    counter.reset();
    await service.process('inbound/reply.eml', mail('bench-reply@customer.example.com', `Re: [${created.ticketNo}] Cannot log in`, 'It is the Android app.', `${created.ticketNo}.ack.1@support.example.com`));
    return { newTicketCalls: newTicket.calls, newTicketUnits: newTicket.units, replyCalls: counter.calls, replyUnits: counter.units };
  } finally {
    await local?.stop();
  }
}

/**
 * Every mail figure, flat, for the bench report.
 *
 * @example
 * const figures = await mailBench(); // { 'mail.dynamoCallsPerNewTicket': 4, ... }
 */
export async function mailBench(options: { dynamoEndpoint?: string } = {}): Promise<Record<string, number | string>> {
  const mails = corpus();
  const parsing = await parsingOverhead(mails);
  const dynamo = await dynamoCallsPerMail(options.dynamoEndpoint);
  const round = (n: number, digits = 2) => Number(n.toFixed(digits));
  return {
    'mail.corpusMails': mails.length,
    'mail.parseMsPipeline': round(parsing.pipelineMs),
    'mail.parseMsPostalMime': round(parsing.postalMimeMs),
    'mail.parseRatioToPostalMime': round(parsing.ratio),
    'mail.dynamoCallsPerNewTicket': dynamo.newTicketCalls,
    'mail.dynamoCapacityUnitsPerNewTicket': round(dynamo.newTicketUnits, 1),
    'mail.dynamoCallsPerReply': dynamo.replyCalls,
    'mail.dynamoCapacityUnitsPerReply': round(dynamo.replyUnits, 1),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await mailBench());
}
