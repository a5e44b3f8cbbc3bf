import { can, type Principal } from '../domain/authorization.js';
import type { Language } from '../domain/ticket.js';
import { isNoticeKind } from '../domain/vocabulary.js';
import type { TemplateAudit, TemplateRecord } from '../contract/agent-api.js';
import { defaultTemplates, templateFor, validateTemplate, type TemplateOverrides } from '../templates/index.js';
import { knownTemplateOverrides, templateOverridesSchema, unknownTemplateKinds } from '../templates/overrides.js';
import type { Runtime } from './context.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.js';
import type { Store } from './ports.js';
import { SettingsDocumentService, type SettingsView } from './settings.js';

/**
 * The desk's edited template texts: one settings document (`SETTINGS` / `templates`,
 * shared/services/settings.ts), versioned, audited and cached like the desk settings and macros.
 * The body maps a notice kind to its edited texts per language (shared/templates/overrides.ts);
 * the built-in texts are in force where nothing was edited.
 *
 * Releases before this document kept the edits in an item of their own (`CONFIG#templates`): while
 * the document was never saved, that item is read instead (the `legacy` read), so a desk that
 * upgrades keeps sending its edited texts and the first save carries them into the document.
 *
 * The notifier and the digest read the cached copy (`overrides`), so an edit reaches mail from
 * every function within the settings cache's 30 s.
 */

export const TEMPLATES_DOCUMENT = 'templates';

/** How many times a save that named no version retries over an edit that landed meanwhile. */
const SAVE_ATTEMPTS = 3;

export function templateSettings(runtime: Runtime): SettingsDocumentService<TemplateOverrides, Store> {
  return new SettingsDocumentService<TemplateOverrides, Store>(runtime, {
    name: TEMPLATES_DOCUMENT,
    schema: templateOverridesSchema,
    defaults: () => ({}),
    check: (body) => unknownTemplateKinds(body),
    legacy: (rt) => rt.store.legacyTemplateOverrides(),
  });
}

export interface TemplateSave {
  language: Language;
  subject: string;
  body: string;
  /** The document version the editor read; without it the save goes over whatever is current. */
  version?: number;
  note?: string;
}

export class TemplateService {
  private readonly settings: SettingsDocumentService<TemplateOverrides, Store>;

  constructor(runtime: Runtime) {
    this.settings = templateSettings(runtime);
  }

  /** The edits in force, for the code that sends mail (the cached copy; no permission check). */
  async overrides(): Promise<TemplateOverrides> {
    return this.settings.current();
  }

  /** A template as the desk sends it: the default texts with the desk's edits over them. */
  async template(principal: Principal, id: string): Promise<TemplateRecord> {
    if (!can(principal, 'read-templates')) throw new ForbiddenError('not allowed to read templates');
    if (!isNoticeKind(id)) throw new NotFoundError('template', id);
    return record(id, await this.settings.read());
  }

  /**
   * Saves one language of one template after validating its placeholders, as a new version of the
   * document with its audit entry. Over `version` when the editor names it (409 `settings-changed`
   * when someone saved since); without it, over the latest, so an edit of another template or
   * language that landed meanwhile is kept.
   */
  async save(principal: Principal, id: string, input: TemplateSave): Promise<TemplateRecord> {
    if (!can(principal, 'edit-templates')) throw new ForbiddenError('not allowed to edit templates');
    if (!isNoticeKind(id)) throw new NotFoundError('template', id);
    const validation = validateTemplate(id, input.language, input.subject, input.body);
    if (!validation.ok) throw new ValidationError('the template is invalid', validation.errors.map((message) => ({ field: `texts.${input.language}`, message })));
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.settings.read();
      if (input.version !== undefined && input.version !== current.version) {
        throw new ConflictError(`templates changed since version ${input.version}`, { code: 'settings-changed' });
      }
      const edits = knownTemplateOverrides(current.body);
      const texts = { ...(edits[id]?.texts ?? {}), [input.language]: { subject: input.subject, body: input.body } };
      try {
        return record(id, await this.settings.save({ ...edits, [id]: { ...edits[id], texts } }, current.version, principal.agentId, input.note));
      } catch (error) {
        const raced = error instanceof ConflictError && input.version === undefined && attempt < SAVE_ATTEMPTS;
        if (!raced) throw error;
      }
    }
  }

  /** Who changed which templates, when (newest first). */
  async audit(principal: Principal, limit = 50): Promise<TemplateAudit> {
    if (!can(principal, 'edit-templates')) throw new ForbiddenError('not allowed to edit templates');
    const entries = await this.settings.audit(limit);
    return { items: entries.map((entry) => ({ version: entry.version, at: entry.at, by: entry.by, templates: entry.changed, ...(entry.note ? { note: entry.note } : {}) })) };
  }
}

function record(id: Parameters<typeof templateFor>[0], view: SettingsView<TemplateOverrides>): TemplateRecord {
  const template = templateFor(id, view.body);
  return {
    id,
    audience: template.audience,
    description: template.description,
    placeholders: template.placeholders,
    texts: template.texts,
    defaults: defaultTemplates()[id].texts,
    edited: view.body[id]?.texts ?? {},
    version: view.version,
    ...(view.updatedAt ? { updatedAt: view.updatedAt } : {}),
    ...(view.updatedBy ? { updatedBy: view.updatedBy } : {}),
  };
}
