import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Mailer } from '../shared/services/ports.js';

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

/**
 * The local stand-in for SES: captures each raw message at the mailer port (so the exact headers
 * can be read), keeps it as an .eml file and lists it in the outbox.
 */
export class OutboxMailer implements Mailer {
  private entries: OutboxEntry[] = [];
  private loaded = false;

  constructor(
    private readonly folder: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async list(): Promise<OutboxEntry[]> {
    await this.load();
    return [...this.entries].reverse();
  }

  async sendRaw(raw: Buffer, envelope: { from: string; to: string[] }): Promise<{ providerMessageId: string }> {
    await this.load();
    const parsed = await simpleParser(raw);
    const id = (this.entries.at(-1)?.id ?? 0) + 1;
    const file = join(this.folder, `${String(id).padStart(6, '0')}.eml`);
    const headers: Record<string, string> = {};
    for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
    const entry: OutboxEntry = {
      id,
      to: envelope.to,
      from: envelope.from,
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
      headers,
      sentAt: this.clock().toISOString(),
      file,
    };
    await writeFile(file, raw);
    this.entries.push(entry);
    await writeFile(join(this.folder, 'index.json'), JSON.stringify(this.entries, null, 1));
    return { providerMessageId: `local-${id}` };
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    await mkdir(this.folder, { recursive: true });
    try {
      this.entries = JSON.parse(await readFile(join(this.folder, 'index.json'), 'utf8')) as OutboxEntry[];
    } catch {
      this.entries = [];
    }
    this.loaded = true;
  }
}
