import * as z from 'zod/mini';
import { LANGUAGES } from '../domain/ticket.js';
import { NOTICE_KINDS } from '../domain/vocabulary.js';
import type { TemplateOverrides } from './types.js';

/**
 * The desk's edited template texts as one settings document (`SETTINGS` / `templates`,
 * shared/services/templates.ts): per notice kind, per language, an edited subject and/or body.
 * Audience and placeholders stay the code's contract; `validateTemplate` checks each edited text
 * against them when it is saved, and `templateFor` ignores an edit a later release no longer
 * accepts, so one stale edit never stops mail.
 *
 * Kinds the code does not know are accepted when read (a kind renamed by an upgrade must not make
 * the whole document unreadable) and dropped by the next save.
 */

export const TEMPLATE_SUBJECT_MAX = 1_000;
export const TEMPLATE_BODY_MAX = 20_000;

const editedText = z.object({
  subject: z.optional(z.string().check(z.maxLength(TEMPLATE_SUBJECT_MAX))),
  body: z.optional(z.string().check(z.maxLength(TEMPLATE_BODY_MAX))),
});

const templateOverrideSchema = z.object({ texts: z.optional(z.partialRecord(z.enum(LANGUAGES), editedText)) });

export const templateOverridesSchema = z.record(z.string(), templateOverrideSchema);

/** The edits of kinds this release knows (what a save keeps). */
export function knownTemplateOverrides(overrides: Readonly<Record<string, unknown>>): TemplateOverrides {
  return Object.fromEntries(Object.entries(overrides).filter(([kind]) => (NOTICE_KINDS as readonly string[]).includes(kind))) as TemplateOverrides;
}

/** Edited kinds this release does not know, as settings problems (a save must not add one). */
export function unknownTemplateKinds(overrides: Readonly<Record<string, unknown>>): Array<{ field: string; message: string }> {
  return Object.keys(overrides)
    .filter((kind) => !(NOTICE_KINDS as readonly string[]).includes(kind))
    .map((kind) => ({ field: kind, message: `no template "${kind}"` }));
}
