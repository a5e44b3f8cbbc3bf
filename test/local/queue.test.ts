import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RuntimeJournal } from '../../local/journal.js';
import { LocalQueue } from '../../local/queue.js';

const folders: string[] = [];
const queues: LocalQueue[] = [];
afterEach(() => {
  queues.splice(0).forEach((queue) => queue.stop());
  folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true }));
});

function journal(): RuntimeJournal {
  const folder = mkdtempSync(join(tmpdir(), 'ticketline-queue-'));
  folders.push(folder);
  return new RuntimeJournal(join(folder, 'runtime.sqlite'));
}

describe('local queue diagnostics (what settle reports when it gives up)', () => {
  it('shows a message waiting out its retry delay with its receive count and last error, and remembers the failure', async () => {
    const attempts: number[] = [];
    const queue = new LocalQueue({
      name: 'notifications',
      journal: journal(),
      retryDelayMs: 60_000,
      pollEveryMs: 20,
      consumer: async (event) => {
        attempts.push(event.Records.length);
        throw new Error('claim in flight');
      },
    });
    queues.push(queue);
    queue.send([JSON.stringify({ kind: 'qa-low-score', ticketNo: 'CS20240520001' })]);
    await expect.poll(() => queue.failures.length, { timeout: 30_000 }).toBe(1);

    const [pending] = queue.pending();
    expect(pending).toMatchObject({ receiveCount: 1, lastError: 'Error: claim in flight' });
    expect(pending!.visibleAt).toBeGreaterThan(Date.now());
    expect(queue.failures[0]).toMatchObject({ receiveCount: 1, reason: 'Error: claim in flight' });
    expect(JSON.parse(queue.failures[0]!.body)).toEqual({ kind: 'qa-low-score', ticketNo: 'CS20240520001' });
    // Still waiting out its delay: idle does not resolve, the message is neither lost nor delivered twice.
    await expect(queue.idle(200)).rejects.toThrow(/not idle after 200 ms/);
    expect(attempts).toEqual([1]);
  });

  it('forgets a delivered message and keeps no failure for it', async () => {
    const queue = new LocalQueue({ name: 'inbound', journal: journal(), pollEveryMs: 20, consumer: async () => undefined });
    queues.push(queue);
    queue.send(['mail-1']);
    await queue.idle(30_000);
    expect(queue.pending()).toEqual([]);
    expect(queue.failures).toEqual([]);
  });
});

describe('local queue: stopping while a delivery runs', () => {
  it('lets the running delivery finish its bookkeeping before the journal closes: the message is not delivered again by the next start', async () => {
    const first = journal();
    let release!: () => void;
    const delivering = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const queue = new LocalQueue({
      name: 'notifications',
      journal: first,
      pollEveryMs: 20,
      consumer: async () => {
        started = true;
        await delivering;
      },
    });
    queues.push(queue);
    queue.send(['notice-1']);
    await expect.poll(() => started, { timeout: 30_000 }).toBe(true);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // The runtime's stop: no new deliveries, wait for the one running, then close the journal.
    queue.stop();
    setTimeout(release, 100);
    await queue.finished(30_000);
    first.close();
    expect(errors.mock.calls.map((call) => String(call[0]))).toEqual([]);

    const next = new RuntimeJournal(first.file);
    try {
      expect(next.depth('notifications')).toBe(0);
    } finally {
      next.close();
    }
  });
});
