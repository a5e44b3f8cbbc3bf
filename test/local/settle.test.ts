import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoEndpoint } from '../support/dynamodb.js';
import { freePort } from '../../local/dynamodb-local.js';
import { startLocal, type LocalDesk } from '../../local/runtime.js';

/**
 * `desk.settle()` is what every browser story waits on between steps. Bounded, it must give up with
 * what it was waiting for (the e2e step that once timed out at 60 s said nothing more).
 */
let desk: LocalDesk;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ticketline-settle-'));
  desk = await startLocal({ port: await freePort(), smtpPort: await freePort(), dataDir, dynamoEndpoint: dynamoEndpoint(), tableName: `settle-${randomUUID()}`, sweepEveryMs: 0, quiet: true });
}, 120_000);

afterAll(async () => {
  await desk?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('local runtime: settle', () => {
  it('returns at once when nothing is queued or being handled', async () => {
    await desk.settle({ timeoutMs: 60_000 });
    expect(desk.deliveryFailures).toEqual([]);
  });

  it('gives up within its limit and names the pending notice, how often it was received and why it failed', async () => {
    // A notice the notifier refuses (it fails the notification schema): retried after 2, 6, 18, 54 s.
    desk.journal.send('notifications', [JSON.stringify({ kind: 'acknowledgement', ticketNo: 'CS20240520999' })]);
    await expect.poll(() => desk.deliveryFailures.length, { timeout: 60_000 }).toBeGreaterThan(0);
    expect(desk.deliveryFailures[0]).toMatchObject({ queue: 'notifications', receiveCount: 1, reason: 'reported as failed by the handler' });
    const refusal = await desk.settle({ timeoutMs: 1_000 }).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    expect(refusal).toMatch(/^the desk did not settle within 1 s: 0 request\(s\) in flight; inbound: 0 pending; notifications: 1 pending \[acknowledgement for CS20240520999: received \d+ time\(s\), last error "reported as failed by the handler"/);
    expect(refusal).toContain('latest failures [');
  }, 120_000);
});
