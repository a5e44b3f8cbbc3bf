import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DeadLetter {
  queue: string;
  messageId: string;
  body: string;
  receiveCount: number;
  reason: string;
  at: string;
}

/** A message still on a queue, as `settle` reports it when it gives up waiting. */
export interface PendingMessage {
  messageId: string;
  body: string;
  receiveCount: number;
  /** When it is visible again (epoch ms): in the future while it waits out a retry delay or a receive. */
  visibleAt: number;
  lastError?: string;
}

export interface StoredMessage {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
}

/**
 * The local runtime's journal: one SQLite database in DATA_DIR (better-sqlite3) holding the queues'
 * messages, their dead letters and the dev clock's offset. Every write is a committed transaction
 * in WAL mode with `synchronous = FULL`, so it is fsynced before the call returns: what the runtime
 * acknowledged (SMTP 250, a queued notice) survives kill -9 and a power cut.
 *
 * Several processes may open it (the runtime and `npm run redrive`); SQLite's locking serialises them.
 */
export class RuntimeJournal {
  readonly db: Database.Database;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file, { timeout: 10_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS messages (
        queue TEXT NOT NULL,
        message_id TEXT NOT NULL PRIMARY KEY,
        body TEXT NOT NULL,
        receive_count INTEGER NOT NULL DEFAULT 0,
        visible_at INTEGER NOT NULL DEFAULT 0,
        sent_at INTEGER NOT NULL,
        last_error TEXT
      );
      CREATE INDEX IF NOT EXISTS messages_by_queue ON messages (queue, visible_at);
      CREATE TABLE IF NOT EXISTS dead_letters (
        queue TEXT NOT NULL,
        message_id TEXT NOT NULL PRIMARY KEY,
        body TEXT NOT NULL,
        receive_count INTEGER NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS settings (name TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);
    `);
  }

  /** Appends messages to a queue; durable when this returns. */
  send(queue: string, bodies: string[], now = Date.now()): string[] {
    const insert = this.db.prepare('INSERT INTO messages (queue, message_id, body, receive_count, visible_at, sent_at) VALUES (?, ?, ?, 0, ?, ?)');
    const ids = bodies.map(() => randomUUID());
    this.db.transaction(() => bodies.forEach((body, index) => insert.run(queue, ids[index], body, now, now)))();
    return ids;
  }

  /**
   * Takes up to `limit` visible messages, counting the receive and hiding them until `hideUntil`
   * (the visibility timeout: a message whose consumer died comes back then, as on SQS).
   */
  receive(queue: string, limit: number, now: number, hideUntil: number): StoredMessage[] {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare('SELECT message_id, body, receive_count, sent_at FROM messages WHERE queue = ? AND visible_at <= ? ORDER BY visible_at, sent_at LIMIT ?')
        .all(queue, now, limit) as Array<{ message_id: string; body: string; receive_count: number; sent_at: number }>;
      const hide = this.db.prepare('UPDATE messages SET receive_count = receive_count + 1, visible_at = ? WHERE message_id = ?');
      for (const row of rows) hide.run(hideUntil, row.message_id);
      return rows.map((row) => ({ messageId: row.message_id, body: row.body, receiveCount: row.receive_count + 1, sentAt: row.sent_at }));
    })();
  }

  delete(messageId: string): void {
    this.db.prepare('DELETE FROM messages WHERE message_id = ?').run(messageId);
  }

  retryLater(messageId: string, visibleAt: number, error: string): void {
    this.db.prepare('UPDATE messages SET visible_at = ?, last_error = ? WHERE message_id = ?').run(visibleAt, error, messageId);
  }

  /** Gives a message back without counting the receive (the consumer never ran, e.g. the database was down). */
  giveBack(messageId: string, visibleAt: number): void {
    this.db.prepare('UPDATE messages SET visible_at = ?, receive_count = MAX(receive_count - 1, 0) WHERE message_id = ?').run(visibleAt, messageId);
  }

  /** Moves a message to the dead letters in one transaction. */
  deadLetter(letter: DeadLetter): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM messages WHERE message_id = ?').run(letter.messageId);
      this.db
        .prepare('INSERT OR REPLACE INTO dead_letters (queue, message_id, body, receive_count, reason, at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(letter.queue, letter.messageId, letter.body, letter.receiveCount, letter.reason, letter.at);
    })();
  }

  depth(queue: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM messages WHERE queue = ?').get(queue) as { n: number }).n;
  }

  /** Every message still on a queue, oldest first (diagnostics: what a wait is waiting for). */
  pending(queue: string): PendingMessage[] {
    const rows = this.db
      .prepare('SELECT message_id, body, receive_count, visible_at, last_error FROM messages WHERE queue = ? ORDER BY sent_at')
      .all(queue) as Array<{ message_id: string; body: string; receive_count: number; visible_at: number; last_error: string | null }>;
    return rows.map((row) => ({
      messageId: row.message_id,
      body: row.body,
      receiveCount: row.receive_count,
      visibleAt: row.visible_at,
      ...(row.last_error ? { lastError: row.last_error } : {}),
    }));
  }

  nextVisibleAt(queue: string): number | undefined {
    return (this.db.prepare('SELECT MIN(visible_at) AS at FROM messages WHERE queue = ?').get(queue) as { at: number | null }).at ?? undefined;
  }

  deadLetters(queue?: string): DeadLetter[] {
    const rows = (
      queue ? this.db.prepare('SELECT * FROM dead_letters WHERE queue = ? ORDER BY at').all(queue) : this.db.prepare('SELECT * FROM dead_letters ORDER BY at').all()
    ) as Array<{ queue: string; message_id: string; body: string; receive_count: number; reason: string; at: string }>;
    return rows.map((row) => ({ queue: row.queue, messageId: row.message_id, body: row.body, receiveCount: row.receive_count, reason: row.reason, at: row.at }));
  }

  /**
   * Puts a queue's dead letters back on it, each under its original message id, in one transaction:
   * running it twice moves nothing the second time, and the handlers' dedupe keys make the replay safe.
   */
  redrive(queue: string, now = Date.now()): number {
    return this.db.transaction(() => {
      const letters = this.deadLetters(queue);
      const insert = this.db.prepare('INSERT OR IGNORE INTO messages (queue, message_id, body, receive_count, visible_at, sent_at) VALUES (?, ?, ?, 0, ?, ?)');
      const remove = this.db.prepare('DELETE FROM dead_letters WHERE message_id = ?');
      for (const letter of letters) {
        insert.run(queue, letter.messageId, letter.body, now, now);
        remove.run(letter.messageId);
      }
      return letters.length;
    })();
  }

  getSetting(name: string): string | undefined {
    return (this.db.prepare('SELECT value FROM settings WHERE name = ?').get(name) as { value: string } | undefined)?.value;
  }

  setSetting(name: string, value: string): void {
    this.db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
