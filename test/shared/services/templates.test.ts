import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../shared/domain/authorization.js';
import type { Language } from '../../../shared/domain/ticket.js';
import type { NoticeKind } from '../../../shared/domain/vocabulary.js';
import { defaultTemplates } from '../../../shared/templates/index.js';
import type { Runtime } from '../../../shared/services/context.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../../shared/services/errors.js';
import { TEMPLATES_DOCUMENT, TemplateService, templateSettings } from '../../../shared/services/templates.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';
import { createTicket, sendQueued } from '../../support/tickets.js';

/** Integration on DynamoDB Local: the desk's edited templates are the settings document `templates`. */

const sam: Principal = { agentId: 'sam', roles: ['supervisor'], team: 'technical' };
const alice: Principal = { agentId: 'alice', roles: ['agent'], team: 'technical' };

const builtIn = defaultTemplates();
/** An edit that validates: the built-in text with a new subject (or a line added), so every required placeholder stays. */
const edit = (kind: NoticeKind, language: Language, subject?: string) => ({
  language,
  subject: subject ?? builtIn[kind].texts[language].subject,
  body: `${builtIn[kind].texts[language].body}\n-- edited ${kind} ${language}`,
});
const ackEdit = edit('acknowledgement', 'en', '[{{ticketNo}}] We have it');

/** Another Lambda container on the same table: its own runtime object, so its own settings cache. */
const otherProcess = (runtime: TestRuntime): Runtime => ({ ...runtime });

/** What releases before the document wrote: one item `CONFIG#templates` / `TEMPLATES` with `overrides`. */
async function putLegacyItem(runtime: TestRuntime, overrides: Record<string, unknown>): Promise<void> {
  await runtime.store.documentClient.send(
    new PutCommand({ TableName: runtime.store.tableName, Item: { pk: 'CONFIG#templates', sk: 'TEMPLATES', entity: 'templates', overrides, updatedBy: 'sam', updatedAt: '2024-05-01T00:00:00.000Z' } }),
  );
}

describe('templates document', { timeout: 300_000 }, () => {
  it('answers the built-in texts at version 0, then saves one language as version 1 with an audit entry', async () => {
    const runtime = await testRuntime();
    const templates = new TemplateService(runtime);
    const before = await templates.template(sam, 'acknowledgement');
    expect(before.version).toBe(0);
    expect(before.edited).toEqual({});

    const saved = await templates.save(sam, 'acknowledgement', { ...ackEdit, note: 'shorter' });
    expect(saved).toMatchObject({ version: 1, updatedBy: 'sam', edited: { en: { subject: ackEdit.subject, body: ackEdit.body } } });
    expect(saved.texts['zh-CN']).toEqual(before.texts['zh-CN']);

    const stored = await runtime.store.getSettingsDocument(TEMPLATES_DOCUMENT);
    expect(stored?.version).toBe(1);
    expect(await templates.audit(sam)).toEqual({ items: [{ version: 1, at: '2024-05-20T02:00:00.000Z', by: 'sam', templates: ['acknowledgement'], note: 'shorter' }] });
  });

  it('keeps the edits of other templates and languages when one is saved', async () => {
    const runtime = await testRuntime();
    const templates = new TemplateService(runtime);
    await templates.save(sam, 'acknowledgement', ackEdit);
    await templates.save(sam, 'acknowledgement', edit('acknowledgement', 'zh-CN'));
    const reply = await templates.save(sam, 'reply', edit('reply', 'en'));
    expect(reply.version).toBe(3);
    const ack = await templates.template(sam, 'acknowledgement');
    expect(Object.keys(ack.edited).sort()).toEqual(['en', 'zh-CN']);
    expect((await templates.audit(sam)).items.map((entry) => [entry.version, entry.templates])).toEqual([
      [3, ['reply']],
      [2, ['acknowledgement']],
      [1, ['acknowledgement']],
    ]);
  });

  it('refuses a save over a version the editor did not see (409 settings-changed) and one without a version goes over the latest', async () => {
    const runtime = await testRuntime();
    const templates = new TemplateService(runtime);
    await templates.save(sam, 'acknowledgement', ackEdit);
    const stale = templates.save(sam, 'reply', { ...edit('reply', 'en'), version: 0 });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toMatchObject({ code: 'settings-changed' });

    // Two editors without a version at once: both edits survive, as versions 2 and 3.
    const other = new TemplateService(otherProcess(runtime));
    await Promise.all([
      templates.save(sam, 'reply', edit('reply', 'en')),
      other.save(sam, 'reminder', edit('reminder', 'en')),
    ]);
    const stored = await runtime.store.getSettingsDocument(TEMPLATES_DOCUMENT);
    expect(stored?.version).toBe(3);
    expect(Object.keys(stored?.body as object).sort()).toEqual(['acknowledgement', 'reminder', 'reply']);
  });

  it('refuses an unknown placeholder, an unknown template and an agent who may not edit, writing nothing', async () => {
    const runtime = await testRuntime();
    const templates = new TemplateService(runtime);
    await expect(templates.save(sam, 'acknowledgement', { ...ackEdit, body: `${ackEdit.body} {{secretThing}}` })).rejects.toBeInstanceOf(ValidationError);
    await expect(templates.save(sam, 'no-such-notice', ackEdit)).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(templates.save(alice, 'acknowledgement', ackEdit)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(templates.audit(alice)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await runtime.store.getSettingsDocument(TEMPLATES_DOCUMENT)).toBeUndefined();
  });

  it('mails an edited text: at once from the process that saved it, from another process after the 30 s cache', async () => {
    const runtime = await testRuntime();
    const other = otherProcess(runtime);
    // The other process reads (and caches) the built-in texts first.
    expect(await new TemplateService(other).overrides()).toEqual({});
    await new TemplateService(runtime).save(sam, 'acknowledgement', ackEdit);

    const first = await createTicket(runtime);
    await sendQueued(runtime);
    expect((await runtime.mailer.parsed()).find((mail) => mail.subject.includes(first.ticketNo))?.subject).toBe(`[${first.ticketNo}] We have it`);

    expect(await new TemplateService(other).overrides()).toEqual({});
    // 31 s later the other process answers from its old copy once, refreshing meanwhile, then with the edit.
    const later = Date.now() + 31_000;
    await templateSettings(other).current({ now: later });
    await vi.waitFor(async () => expect((await templateSettings(other).current({ now: later })).acknowledgement?.texts?.en?.subject).toBe(ackEdit.subject), { timeout: 30_000 });
  });

  describe('migration from the item of earlier releases', () => {
    it('sends the old edits while the document was never saved, and carries them into version 1 with the first save', async () => {
      const runtime = await testRuntime();
      await putLegacyItem(runtime, { acknowledgement: { texts: { en: { subject: ackEdit.subject, body: ackEdit.body } } } });
      const templates = new TemplateService(runtime);
      expect((await templates.template(sam, 'acknowledgement')).edited.en?.subject).toBe(ackEdit.subject);
      expect((await templates.template(sam, 'acknowledgement')).version).toBe(0);

      const ticket = await createTicket(runtime);
      await sendQueued(runtime);
      expect((await runtime.mailer.parsed()).find((mail) => mail.subject.includes(ticket.ticketNo))?.subject).toBe(`[${ticket.ticketNo}] We have it`);

      await templates.save(sam, 'reply', edit('reply', 'en'));
      const stored = await runtime.store.getSettingsDocument(TEMPLATES_DOCUMENT);
      expect(stored?.version).toBe(1);
      expect(Object.keys(stored?.body as object).sort()).toEqual(['acknowledgement', 'reply']);
      // From now on the document wins: a later change of the old item is not read.
      await putLegacyItem(runtime, {});
      expect((await templates.template(sam, 'acknowledgement')).edited.en?.subject).toBe(ackEdit.subject);
    });

    it('ignores an old item the schema does not accept, and drops kinds this release does not know on the next save', async () => {
      const runtime = await testRuntime();
      await putLegacyItem(runtime, { acknowledgement: { texts: { en: { subject: 42 } } } });
      const templates = new TemplateService(runtime);
      expect((await templates.template(sam, 'acknowledgement')).edited).toEqual({});

      await putLegacyItem(runtime, { 'retired-kind': { texts: { en: { subject: 'old' } } }, acknowledgement: { texts: { en: { subject: ackEdit.subject } } } });
      await templates.save(sam, 'reply', edit('reply', 'en'));
      expect(Object.keys((await runtime.store.getSettingsDocument(TEMPLATES_DOCUMENT))?.body as object).sort()).toEqual(['acknowledgement', 'reply']);
    });
  });
});
