import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentClient, createDynamoDbClient } from '../shared/adapters/aws-clients.js';
import { FileBlobStore } from '../shared/adapters/blob-store.js';
import { DynamoStore } from '../shared/adapters/dynamo-store.js';
import { ensureTable } from '../shared/adapters/table-setup.js';
import { parseConfig } from '../shared/config/load.js';
import type { Runtime } from '../shared/services/context.js';

/**
 * Peak memory of the inbound-email handler on one generated mail just under the 25 MB limit.
 * Runs in its own Node process (bench/run.ts spawns it) so the figures are this mail's alone.
 * Usage: tsx bench/inbound-memory.ts <dynamodb-endpoint>
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
const endpoint = process.argv[2];
if (!endpoint) throw new Error('usage: tsx bench/inbound-memory.ts <dynamodb-endpoint>');

const { createInboundEmailHandler } = await import('../functions/inbound-email/handler.js');
const config = parseConfig({});
const client = createDynamoDbClient({ endpoint });
const tableName = `bench-memory-${Date.now()}`;
await ensureTable(client, tableName);
const dataDir = mkdtempSync(join(tmpdir(), 'ticketline-memory-'));
const runtime: Runtime = {
  config,
  store: new DynamoStore(createDocumentClient(client), { tableName, timeZone: config.calendar.timeZone }),
  queue: { enqueue: async () => undefined },
  mailer: { sendRaw: async () => ({ providerMessageId: 'bench' }) },
  clock: { now: () => new Date('2024-05-20T02:00:00Z') },
  mailBlobs: new FileBlobStore(join(dataDir, 'mail')),
  reportBlobs: new FileBlobStore(join(dataDir, 'reports')),
  linkKeys: async () => ({ current: { kid: 'bench', key: 'bench-link-signing-key-0123456789' } }),
  mailBucketName: 'bench',
};

// A real-looking mail: text, an HTML alternative and one big attachment, base64 in 76-column lines.
const limit = config.intake.maxMailBytes;
const attachmentBytes = Math.floor(((limit - 64 * 1024) * 3) / 4 / 1.0275);
const attachment = randomBytes(attachmentBytes).toString('base64').replace(/.{76}/g, '$&\r\n');
const raw = Buffer.from(
  [
    'From: Big Sender <big@customer.example>',
    'To: support@support.example.com',
    'Subject: 支付失败 screenshots attached',
    'Message-ID: <big-25mb@customer.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: multipart/alternative; boundary="b2"',
    '',
    '--b2',
    'Content-Type: text/plain; charset=utf-8',
    '',
    '支付失败，截图见附件。'.repeat(200),
    '--b2',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<p>${'支付失败，截图见附件。'.repeat(200)}</p>`,
    '--b2--',
    '--b1',
    'Content-Type: application/zip; name="screens.zip"',
    'Content-Disposition: attachment; filename="screens.zip"',
    'Content-Transfer-Encoding: base64',
    '',
    attachment,
    '--b1--',
    '',
  ].join('\r\n'),
);
await runtime.mailBlobs.put('inbound/big.eml', raw);

global.gc?.();
const before = process.memoryUsage();
let peakRss = before.rss;
let peakHeap = before.heapUsed;
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  peakRss = Math.max(peakRss, now.rss);
  peakHeap = Math.max(peakHeap, now.heapUsed);
}, 2);
const started = performance.now();
const handler = createInboundEmailHandler(async () => runtime);
const body = JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'bench' }, object: { key: 'inbound/big.eml', size: raw.length } } }] });
const response = await handler(
  { Records: [{ messageId: 'big', receiptHandle: 'big', body, attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:local:0:inbound', awsRegion: 'local' }] } as never,
  { awsRequestId: 'bench', functionName: 'inbound-email', getRemainingTimeInMillis: () => 60_000 } as never,
);
const elapsedMs = performance.now() - started;
clearInterval(sampler);
const after = process.memoryUsage();
peakRss = Math.max(peakRss, after.rss, process.resourceUsage().maxRSS * 1024);
peakHeap = Math.max(peakHeap, after.heapUsed);
const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
console.log(
  JSON.stringify({
    mailMb: mb(raw.length),
    failures: (response as { batchItemFailures?: unknown[] }).batchItemFailures?.length ?? 0,
    rssBeforeMb: mb(before.rss),
    peakRssMb: mb(peakRss),
    rssDeltaMb: mb(peakRss - before.rss),
    heapBeforeMb: mb(before.heapUsed),
    peakHeapMb: mb(peakHeap),
    heapDeltaMb: mb(peakHeap - before.heapUsed),
    peakRssToMailRatio: Math.round(((peakRss - before.rss) / raw.length) * 100) / 100,
    elapsedMs: Math.round(elapsedMs),
  }),
);
rmSync(dataDir, { recursive: true, force: true });
client.destroy();
