import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { TEXT_CHANNELS, type TextChannelName } from '../shared/services/channels/index.js';
import type { Mailer, TextSender } from '../shared/services/ports.js';

export interface OutboxEntry {
  id: number;
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  sentAt: string;
  file: string;
}

const EML = /^(\d{6,})\.eml$/;

/** The Message-ID header of a raw mail (headers end at the first empty line). */
function messageIdOf(raw: Buffer): string | undefined {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end >= 0 ? end : Math.min(raw.length, 64 * 1024)).toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  return /^message-id:\s*(.+)$/im.exec(head)?.[1]?.trim();
}

/** Writes a file that must not exist yet, fsynced: false if the name is taken. */
function createDurably(file: string, data: Buffer): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * The local stand-in for SES: captures each raw message at the mailer port (so the exact headers
 * can be read), keeps it as an .eml file and lists it in the outbox.
 *
 * Each message gets a number of its own before any await, and its file is created exclusively
 * (`wx`), so concurrent sends never overwrite one another. The `.eml` files are the record: the
 * index is a cache, rewritten atomically, and rebuilt from the files if a kill left it behind.
 *
 * Like a provider that records what it accepted, the outbox knows every Message-ID it has sent: a
 * second send of the same Message-ID (the notifier died after the send and before recording it)
 * is answered with the first send's id and not sent again. SES has no such check: on AWS that
 * window stays (docs/reliability.md).
 */
export class OutboxMailer implements Mailer {
  private entries: OutboxEntry[] = [];
  private loading: Promise<void> | undefined;
  private nextId = 1;
  private indexWrite: Promise<void> = Promise.resolve();
  private byMessageId = new Map<string, number>();
  private pending = new Map<string, Promise<{ providerMessageId: string }>>();
  /** Sends refused because the same Message-ID was already sent. */
  resendsSuppressed = 0;

  constructor(
    private readonly folder: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async list(): Promise<OutboxEntry[]> {
    await this.load();
    return [...this.entries].sort((a, b) => a.id - b.id).reverse();
  }

  async sendRaw(raw: Buffer, envelope: { from: string; to: string[] }): Promise<{ providerMessageId: string }> {
    await this.load();
    const messageId = messageIdOf(raw);
    const earlier = messageId ? (this.byMessageId.get(messageId) ?? this.pending.get(messageId)) : undefined;
    if (earlier !== undefined) {
      this.resendsSuppressed += 1;
      return typeof earlier === 'number' ? { providerMessageId: `local-${earlier}` } : earlier;
    }
    if (!messageId) return this.write(raw, envelope);
    const sending = this.write(raw, envelope);
    this.pending.set(messageId, sending);
    try {
      return await sending;
    } finally {
      this.pending.delete(messageId);
    }
  }

  private async write(raw: Buffer, envelope: { from: string; to: string[] }): Promise<{ providerMessageId: string }> {
    let id = this.nextId++;
    let file = join(this.folder, `${String(id).padStart(6, '0')}.eml`);
    while (!createDurably(file, raw)) {
      id = this.nextId++;
      file = join(this.folder, `${String(id).padStart(6, '0')}.eml`);
    }
    const entry = await this.entryOf(id, file, raw, envelope, this.clock().toISOString());
    this.entries.push(entry);
    const messageId = messageIdOf(raw);
    if (messageId) this.byMessageId.set(messageId, id);
    await this.saveIndex();
    return { providerMessageId: `local-${id}` };
  }

  private async entryOf(id: number, file: string, raw: Buffer, envelope: { from: string; to: string[] } | undefined, sentAt: string): Promise<OutboxEntry> {
    const parsed = await simpleParser(raw);
    const headers: Record<string, string> = {};
    for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
    const addresses = (value: typeof parsed.to): string[] =>
      (Array.isArray(value) ? value : value ? [value] : []).flatMap((group) => group.value.flatMap((address) => (address.address ? [address.address] : [])));
    return {
      id,
      to: envelope?.to ?? addresses(parsed.to),
      from: envelope?.from ?? parsed.from?.value[0]?.address ?? '',
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
      headers,
      sentAt: envelope ? sentAt : (parsed.date?.toISOString() ?? sentAt),
      file,
    };
  }

  /** One index write at a time, each to a temporary file renamed over the index. */
  private saveIndex(): Promise<void> {
    const next = this.indexWrite.then(async () => {
      const temporary = join(this.folder, `index.json.${process.pid}.tmp`);
      await writeFile(temporary, JSON.stringify(this.entries, null, 1), { mode: 0o600 });
      await rename(temporary, join(this.folder, 'index.json'));
    });
    this.indexWrite = next.catch(() => undefined);
    return next;
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      await mkdir(this.folder, { recursive: true, mode: 0o700 });
      let indexed: OutboxEntry[] = [];
      try {
        indexed = JSON.parse(await readFile(join(this.folder, 'index.json'), 'utf8')) as OutboxEntry[];
      } catch {
        indexed = [];
      }
      const byId = new Map(indexed.map((entry) => [entry.id, entry]));
      const files = (await readdir(this.folder)).flatMap((name) => {
        const match = EML.exec(name);
        return match ? [{ id: Number(match[1]), name }] : [];
      });
      let rebuilt = false;
      for (const { id, name } of files) {
        if (byId.has(id)) continue;
        const file = join(this.folder, name);
        byId.set(id, await this.entryOf(id, file, await readFile(file), undefined, new Date().toISOString()));
        rebuilt = true;
      }
      // An index entry whose file is gone was never durably sent.
      const present = new Set(files.map((file) => file.id));
      this.entries = [...byId.values()].filter((entry) => present.has(entry.id)).sort((a, b) => a.id - b.id);
      for (const entry of this.entries) {
        const messageId = Object.entries(entry.headers).find(([name]) => name.toLowerCase() === 'message-id')?.[1];
        if (messageId) this.byMessageId.set(messageId.trim(), entry.id);
      }
      this.nextId = Math.max(0, ...this.entries.map((entry) => entry.id), ...files.map((file) => file.id)) + 1;
      if (rebuilt) await this.saveIndex();
    })();
    return this.loading;
  }
}

export interface TextEntry {
  id: number;
  /** The text channel that carried it (`sms`). */
  channel: TextChannelName;
  to: string;
  text: string;
  reference: string;
  sentAt: string;
}

/**
 * The local stand-in for the text channels' providers (End User Messaging SMS for `sms`): every
 * text message as one line of `<channel>.jsonl` in the outbox folder (appended and fsynced), shown
 * beside the mails in the outbox. A second send with the same reference (notification id) is
 * answered with the first one's id.
 */
export class OutboxTexts {
  constructor(
    private readonly folder: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** One sender per text channel (the runtime's `senders`). */
  senders(): Record<TextChannelName, TextSender> {
    return Object.fromEntries(TEXT_CHANNELS.map(({ name }) => [name, { sendText: (message: TextMessage) => this.send(name, message) }])) as Record<TextChannelName, TextSender>;
  }

  isChannel(name: string): name is TextChannelName {
    return TEXT_CHANNELS.some((channel) => channel.name === name);
  }

  /** One channel's messages, newest first. */
  async list(channel: TextChannelName): Promise<TextEntry[]> {
    const text = await readFile(join(this.folder, `${channel}.jsonl`), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [{ ...(JSON.parse(line) as Omit<TextEntry, 'channel'>), channel }];
        } catch {
          return [];
        }
      })
      .reverse();
  }

  /** Every channel's messages, channel by channel. */
  async listAll(): Promise<TextEntry[]> {
    return (await Promise.all(TEXT_CHANNELS.map(({ name }) => this.list(name)))).flat();
  }

  private async send(channel: TextChannelName, message: TextMessage): Promise<{ providerMessageId: string }> {
    const sent = await this.list(channel);
    const earlier = sent.find((entry) => entry.reference === message.reference);
    if (earlier) return { providerMessageId: `local-${channel}-${earlier.id}` };
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const entry = { id: sent.length + 1, ...message, sentAt: this.clock().toISOString() };
    const fd = openSync(join(this.folder, `${channel}.jsonl`), 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return { providerMessageId: `local-${channel}-${entry.id}` };
  }
}

type TextMessage = Parameters<TextSender['sendText']>[0];
