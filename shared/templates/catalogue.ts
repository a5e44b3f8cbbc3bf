import { LANGUAGES, type Language } from '../domain/ticket.js';
import { NOTICE_AUDIENCE, NOTICE_KINDS, type NoticeKind } from '../domain/vocabulary.js';
import { TEMPLATE_DESCRIPTIONS, TEMPLATE_PLACEHOLDERS } from './placeholders.js';
import { DEFAULT_TEXTS } from './texts.js';
import type { TemplateDefinition, TemplateOverrides, TemplateText } from './types.js';
import { checkTemplateText } from './validate.js';

/** Placeholders renamed since edits were saved: old name → current name (edits keep working). */
const RENAMED_PLACEHOLDERS: Readonly<Record<string, string>> = { raisedAt: 'receivedAt' };

function renamePlaceholders(text: string): string {
  return text.replace(/\{\{\s*(#if\s+)?([A-Za-z][A-Za-z0-9]*)\s*\}\}/g, (whole, prefix: string | undefined, name: string) => {
    const renamed = RENAMED_PLACEHOLDERS[name];
    return renamed ? `{{${prefix ?? ''}${renamed}}}` : whole;
  });
}

function defaultTemplate(id: NoticeKind): TemplateDefinition {
  const texts = DEFAULT_TEXTS[id];
  return {
    id,
    audience: NOTICE_AUDIENCE[id],
    description: TEMPLATE_DESCRIPTIONS[id],
    placeholders: TEMPLATE_PLACEHOLDERS[id],
    texts: { 'zh-CN': { ...texts['zh-CN'] }, en: { ...texts.en } },
  };
}

/**
 * The built-in catalogue, a fresh copy each call so callers may not mutate the shared defaults.
 *
 * @example
 * const { acknowledgement } = defaultTemplates();
 */
export function defaultTemplates(): Record<NoticeKind, TemplateDefinition> {
  return Object.fromEntries(NOTICE_KINDS.map((id) => [id, defaultTemplate(id)])) as Record<NoticeKind, TemplateDefinition>;
}

/**
 * The template to send: the default, with the desk's edited texts laid over it per language.
 * An edited subject or body may come alone; it is combined with the default for the other part.
 * An edit that no longer validates (say, a placeholder was removed in a later release) is ignored
 * for that language and the default text is used, so one stale edit never stops mail going out.
 *
 * @example
 * const template = templateFor('acknowledgement', { acknowledgement: { texts: { en: { subject: '[{{ticketNo}}] Got it' } } } });
 * renderTemplate(template, 'en', vars);
 */
export function templateFor(id: NoticeKind, overrides?: TemplateOverrides): TemplateDefinition {
  const base = defaultTemplate(id);
  const edited = overrides?.[id]?.texts;
  if (edited === undefined) return base;

  const texts = { ...base.texts } as Record<Language, TemplateText>;
  for (const language of LANGUAGES) {
    const change = edited[language];
    if (change === undefined) continue;
    const candidate: TemplateText = {
      subject: typeof change.subject === 'string' ? renamePlaceholders(change.subject) : texts[language].subject,
      body: typeof change.body === 'string' ? renamePlaceholders(change.body) : texts[language].body,
    };
    if (checkTemplateText(base.placeholders, candidate.subject, candidate.body).length === 0) texts[language] = candidate;
  }
  return { ...base, texts };
}
