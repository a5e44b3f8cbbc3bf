import type { AgentConfig } from '../config/schema.js';
import { composeMail } from '../mail/compose.js';
import { renderTemplate, templateFor } from '../templates/index.js';
import type { Runtime } from './context.js';
import { TemplateService } from './templates.js';
import { expiresAfter } from '../domain/expiry.js';

/**
 * Staff digests: instead of one mail per breach, a supervisor (or an agent who chose digests) gets
 * at most one mail per `staffNotices.digestMinutes` listing everything new since the last one.
 * The notifier holds each notice as a line (`DIGEST#<agentId>` / `ENTRY#...`) and tries a flush;
 * the sweeper flushes every run, so a held line waits at most one interval plus one sweep. The
 * turn is a conditional write on `DIGEST#<agentId>` / `STATE`, so two flushes never both send.
 * P1 escalations never wait: the notifier mails them at once.
 */

const DIGEST_ENTRY_DAYS = 14;

export class DigestService {
  constructor(private readonly runtime: Runtime) {}

  /** Who reads digests: every supervisor, and agents whose notice setting is `digest`. */
  recipients(): AgentConfig[] {
    return this.runtime.config.agents.filter((agent) => agent.roles.includes('supervisor') || agent.notices === 'digest');
  }

  /** Holds one line for a recipient and sends their digest if their interval has passed. */
  async hold(agent: AgentConfig, entry: { notificationId: string; ticketNo: string; line: string; priority?: string }): Promise<void> {
    const now = this.runtime.clock.now();
    await this.runtime.store.holdDigestEntry(agent.id, { ...entry, at: now.toISOString() }, expiresAfter(now, { days: DIGEST_ENTRY_DAYS }));
    await this.flush(agent);
  }

  /** Sends the recipient's digest when lines are waiting and no digest went out within the interval. */
  async flush(agent: AgentConfig): Promise<boolean> {
    const { store, config, clock, mailer } = this.runtime;
    const entries = await store.digestEntries(agent.id);
    if (entries.length === 0) return false;
    const now = clock.now();
    const notBefore = new Date(now.getTime() - config.staffNotices.digestMinutes * 60_000).toISOString();
    if (!(await store.takeDigestTurn(agent.id, now.toISOString(), notBefore))) return false;
    const language = config.desk.defaultLanguage;
    const lines = entries.map((entry) => `- ${entry.line}`).join('\n');
    const overrides = await new TemplateService(this.runtime).overrides();
    const rendered = renderTemplate(templateFor('staff-digest', overrides), language, {
      deskName: config.desk.name[language],
      count: String(entries.length),
      digestLines: lines,
      consoleLink: `${config.desk.publicBaseUrl}/console/`,
    });
    const raw = await composeMail({
      from: { name: config.desk.name[language], address: config.desk.supportAddress },
      to: [agent.email],
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: `digest.${agent.id}.${now.getTime()}@${config.desk.domain}`,
      autoSubmitted: 'auto-generated',
      date: now,
    });
    await mailer.sendRaw(raw, { from: config.desk.supportAddress, to: [agent.email] });
    await store.dropDigestEntries(agent.id, entries.map((entry) => entry.sk));
    return true;
  }

  /** The sweeper's step: every digest whose interval has passed goes out. */
  async flushAll(): Promise<number> {
    let sent = 0;
    for (const agent of this.recipients()) if (await this.flush(agent)) sent += 1;
    return sent;
  }
}
