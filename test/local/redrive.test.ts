import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeJournal } from '../../local/journal.js';
import { LocalQueue } from '../../local/queue.js';
import { main } from '../../local/redrive.js';

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function dataDir(): string {
  const folder = mkdtempSync(join(tmpdir(), 'ticketline-redrive-'));
  folders.push(folder);
  return folder;
}

describe('local journal queues and npm run redrive', () => {
  it('dead-letters after five receives, and redrive puts the letters back once, under their ids, for the queue to deliver', async () => {
    const folder = dataDir();
    const journal = new RuntimeJournal(join(folder, 'runtime.sqlite'));
    let failing = true;
    const delivered: string[] = [];
    const queue = new LocalQueue({
      name: 'inbound',
      journal,
      retryDelayMs: 5,
      pollEveryMs: 20,
      consumer: async (event) => {
        if (failing) throw new Error('handler down');
        delivered.push(...event.Records.map((record) => record.body));
      },
    });
    queue.send(['mail-1', 'mail-2']);
    await queue.idle(120_000);
    const letters = journal.deadLetters('inbound');
    expect(letters.map((letter) => [letter.body, letter.receiveCount, letter.reason])).toEqual([
      ['mail-1', 5, 'Error: handler down'],
      ['mail-2', 5, 'Error: handler down'],
    ]);

    failing = false;
    const lines: string[] = [];
    expect(await main(['inbound', '--data-dir', folder], (line) => lines.push(line))).toBe(0);
    expect(await main(['inbound', '--data-dir', folder], (line) => lines.push(line))).toBe(0);
    expect(lines[0]).toMatch(/^2 dead letter\(s\) of inbound moved back/);
    expect(lines[1]).toMatch(/^0 dead letter\(s\)/);
    // The running queue notices rows another process added.
    await expect.poll(() => delivered.length, { timeout: 60_000, interval: 25 }).toBe(2);
    expect(delivered.sort()).toEqual(['mail-1', 'mail-2']);
    expect(journal.deadLetters()).toEqual([]);
    queue.stop();
    journal.close();
  });

  it('keeps messages across a restart: what was sent and not yet delivered is delivered by the next process', async () => {
    const folder = dataDir();
    const first = new RuntimeJournal(join(folder, 'runtime.sqlite'));
    // A message received by a consumer that then died: hidden for its visibility timeout, in the file.
    first.send('notifications', ['notice-1', 'notice-2']);
    first.receive('notifications', 1, Date.now(), Date.now() + 3_600_000);
    first.close();

    const journal = new RuntimeJournal(join(folder, 'runtime.sqlite'));
    const delivered: string[] = [];
    const queue = new LocalQueue({ name: 'notifications', journal, consumer: async (event) => void delivered.push(...event.Records.map((record) => record.body)) });
    await queue.idle(120_000);
    expect(delivered.sort()).toEqual(['notice-1', 'notice-2']);
    expect(queue.depth).toBe(0);
    queue.stop();
    journal.close();
  });

  it('refuses unknown queues and shows its usage', async () => {
    const lines: string[] = [];
    expect(await main([], (line) => lines.push(line))).toBe(2);
    expect(await main(['orders', '--data-dir', dataDir()], (line) => lines.push(line))).toBe(2);
    expect(lines.join('\n')).toMatch(/usage: npm run redrive/);
  });
});
