import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outboxPage } from '../../local/dev-pages.js';
import { OutboxTexts } from '../../local/outbox.js';
import { TEXT_CHANNELS } from '../../shared/services/channels/index.js';

const folder = () => mkdtempSync(join(tmpdir(), 'outbox-texts-'));

describe('OutboxTexts', () => {
  it('gives every text channel a sender', () => {
    expect(Object.keys(new OutboxTexts(folder()).senders()).sort()).toEqual(TEXT_CHANNELS.map((channel) => channel.name).sort());
  });

  it('keeps each message in its channel, newest first, and answers a repeated reference with the first id', async () => {
    const outbox = new OutboxTexts(folder(), () => new Date('2024-05-20T02:00:00Z'));
    const { sms } = outbox.senders();
    const first = await sms.sendText({ to: '+8613800138000', text: 'one', reference: 'CS20240520001.acknowledgement.1' });
    await sms.sendText({ to: '+8613800138001', text: 'two', reference: 'CS20240520002.acknowledgement.1' });
    const again = await sms.sendText({ to: '+8613800138000', text: 'one', reference: 'CS20240520001.acknowledgement.1' });
    expect(again).toEqual(first);
    expect((await outbox.list('sms')).map((entry) => [entry.channel, entry.text])).toEqual([
      ['sms', 'two'],
      ['sms', 'one'],
    ]);
    expect(await outbox.listAll()).toHaveLength(2);
  });

  it('keeps what is sent across a restart (one fsynced line a message)', async () => {
    const where = folder();
    await new OutboxTexts(where).senders().sms.sendText({ to: '+447700900123', text: 'hello', reference: 'r1' });
    expect((await new OutboxTexts(where).list('sms')).map((entry) => entry.to)).toEqual(['+447700900123']);
  });

  it('knows its channels by name, so the dev route serves nothing else', () => {
    const outbox = new OutboxTexts(folder());
    expect(outbox.isChannel('sms')).toBe(true);
    expect(outbox.isChannel('view')).toBe(false);
  });

  it('lists text messages by channel on the outbox page, escaped', async () => {
    const outbox = new OutboxTexts(folder());
    await outbox.senders().sms.sendText({ to: '+8613800138000', text: '<b>工单 CS20240520001</b>', reference: 'r1' });
    const page = outboxPage([], await outbox.listAll());
    expect(page).toContain('Text messages (SMS)');
    expect(page).toContain('href="/dev/outbox/sms"');
    expect(page).toContain('&lt;b&gt;工单 CS20240520001&lt;/b&gt;');
    expect(page).toContain('0 mail(s) and 1 text message(s)');
  });
});
