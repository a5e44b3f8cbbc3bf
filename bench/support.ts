import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient, createDynamoDbClient } from '../shared/adapters/aws-clients.js';
import { FileBlobStore } from '../shared/adapters/blob-store.js';
import { DynamoStore } from '../shared/adapters/dynamo-store.js';
import { ensureTable } from '../shared/adapters/table-setup.js';
import { parseConfig } from '../shared/config/load.js';
import type { Runtime } from '../shared/services/context.js';
import type { Notification } from '../shared/services/ports.js';
import { CapacityMeter } from './capacity.js';

export interface BenchDesk {
  runtime: Runtime;
  meter: CapacityMeter;
  queued: Notification[];
  tableName: string;
  client: DynamoDBClient;
  clock: { at: number };
}

/**
 * A desk on its own fresh table in DynamoDB Local, with a capacity meter on the store, an
 * in-memory queue, a mailer that accepts everything, files for blobs and a settable clock.
 */
export async function benchDesk(endpoint: string, name: string, rawConfig: Record<string, unknown> = {}): Promise<BenchDesk> {
  const client = createDynamoDbClient({ endpoint });
  const tableName = `bench-${name}-${Date.now()}`;
  await ensureTable(client, tableName);
  const config = parseConfig(rawConfig);
  const meter = new CapacityMeter();
  const queued: Notification[] = [];
  const clock = { at: Date.parse('2024-05-20T02:00:00Z') };
  const dataDir = mkdtempSync(join(tmpdir(), 'ticketline-bench-'));
  return {
    meter,
    queued,
    tableName,
    client,
    clock,
    runtime: {
      config,
      store: new DynamoStore(createDocumentClient(client), { tableName, timeZone: config.calendar.timeZone, onCapacity: meter.listen }),
      queue: { enqueue: async (notifications) => void queued.push(...notifications) },
      mailer: { sendRaw: async () => ({ providerMessageId: 'bench' }) },
      clock: { now: () => new Date(clock.at) },
      mailBlobs: new FileBlobStore(join(dataDir, 'mail')),
      reportBlobs: new FileBlobStore(join(dataDir, 'reports')),
      linkKeys: async () => ({ current: { kid: 'bench', key: 'bench-link-signing-key-0123456789' } }),
      mailBucketName: 'bench',
    },
  };
}

/**
 * Desk configuration for sections that post many forms from one client and address family: the
 * outsider limits (tested in test/security) would refuse most of them, and a bench measures cost.
 */
export const UNLIMITED_INTAKE = {
  security: { limits: { formPerClientPerHour: 1_000_000, formPerAddressPerHour: 1_000_000, formPerDomainPerHour: 1_000_000, acknowledgementsPerAddressPerHour: 1_000_000, acknowledgementsPerDomainPerHour: 1_000_000, smsAcknowledgementsPerHour: 1_000_000 } },
};

/** Lambda-shaped event and context for calling handlers directly. */
export { httpEvent, lambdaContext } from '../chaos/workload.js';
