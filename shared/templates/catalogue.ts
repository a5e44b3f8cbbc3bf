import { LANGUAGES, type Language } from '../domain/ticket.js';
import { TEMPLATE_AUDIENCE, TEMPLATE_DESCRIPTIONS, TEMPLATE_PLACEHOLDERS } from './placeholders.js';
import { DEFAULT_TEXTS } from './texts.js';
import { TEMPLATE_IDS, type TemplateDefinition, type TemplateId, type TemplateOverrides, type TemplateText } from './types.js';
import { checkTemplateText } from './validate.js';

function defaultTemplate(id: TemplateId): TemplateDefinition {
  const texts = DEFAULT_TEXTS[id];
  return {
    id,
    audience: TEMPLATE_AUDIENCE[id],
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
export function defaultTemplates(): Record<TemplateId, TemplateDefinition> {
  return Object.fromEntries(TEMPLATE_IDS.map((id) => [id, defaultTemplate(id)])) as Record<TemplateId, TemplateDefinition>;
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
export function templateFor(id: TemplateId, overrides?: TemplateOverrides): TemplateDefinition {
  const base = defaultTemplate(id);
  const edited = overrides?.[id]?.texts;
  if (edited === undefined) return base;

  const texts = { ...base.texts } as Record<Language, TemplateText>;
  for (const language of LANGUAGES) {
    const change = edited[language];
    if (change === undefined) continue;
    const candidate: TemplateText = {
      subject: typeof change.subject === 'string' ? change.subject : texts[language].subject,
      body: typeof change.body === 'string' ? change.body : texts[language].body,
    };
    if (checkTemplateText(base.placeholders, candidate.subject, candidate.body).length === 0) texts[language] = candidate;
  }
  return { ...base, texts };
}
