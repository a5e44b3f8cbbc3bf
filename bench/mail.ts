/**
 * DynamoDB calls per new mail ticket and per reply for `npm run bench` (bench/sections/mail.ts),
 * counted with DynamoStore's `onCapacity` listener (every call reports once, successful or not),
 * with the consumed capacity units. The parsing overhead is bench/parse-overhead.ts.
 *
 * Run alone: `npx tsx bench/mail.ts`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { createDocumentClient, createDynamoDbClient } from '../shared/adapters/aws-clients.js';
import { FileBlobStore } from '../shared/adapters/blob-store.js';
import { DynamoStore } from '../shared/adapters/dynamo-store.js';
import { ensureTable } from '../shared/adapters/table-setup.js';
import { parseConfig } from '../shared/config/load.js';
import type { Runtime } from '../shared/services/context.js';
import { InboundMailService } from '../shared/services/inbound.js';
import type { Notification } from '../shared/services/ports.js';

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
  const local = endpoint ? undefined : await startDynamoDbLocal({ jvmOptions: [] });
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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await dynamoCallsPerMail());
}
