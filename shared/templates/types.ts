import type { Language } from '../domain/ticket.js';
import type { Audience, NoticeKind } from '../domain/vocabulary.js';

/** A template is named by the notice kind it words, and written for that kind's audience. */
export type { Audience, NoticeKind } from '../domain/vocabulary.js';

/**
 * How a value is printed: `text` on one line (line breaks become spaces), `multiline` keeps its
 * line breaks, `url` becomes a link in HTML when it is an absolute http(s) URL.
 */
export type PlaceholderKind = 'text' | 'multiline' | 'url';

/** A text for the people who edit templates, in each console language. */
export type LocalizedText = Readonly<Record<Language, string>>;

export interface PlaceholderSpec {
  readonly kind: PlaceholderKind;
  /** A required placeholder must appear in the template and must be supplied when rendering. */
  readonly required: boolean;
  /** What the value is, for the template editor (in the editor's language). */
  readonly description: LocalizedText;
}

export interface TemplateText {
  subject: string;
  body: string;
}

export interface TemplateDefinition {
  readonly id: NoticeKind;
  readonly audience: Audience;
  readonly description: LocalizedText;
  /** The values the sending code supplies; an edited text may use these and no others. */
  readonly placeholders: Readonly<Record<string, PlaceholderSpec>>;
  readonly texts: Readonly<Record<Language, TemplateText>>;
}

/**
 * An edited template as stored by the desk: only the texts, per language, each part optional.
 * Audience and placeholders are a contract with the sending code and cannot be overridden.
 */
export interface TemplateOverride {
  texts?: Partial<Record<Language, Partial<TemplateText>>>;
}

export type TemplateOverrides = Partial<Record<NoticeKind, TemplateOverride>>;
