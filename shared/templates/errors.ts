import type { Language } from '../domain/ticket.js';

/** Base of every template error: which template and language, when known. */
export class TemplateError extends Error {
  override name = 'TemplateError';
  readonly templateId: string | undefined;
  readonly language: Language | undefined;

  constructor(message: string, context: { templateId?: string; language?: Language } = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.templateId = context.templateId;
    this.language = context.language;
  }
}

/** The template text itself is malformed (unbalanced `{{#if}}`, a stray `{{`). */
export class TemplateSyntaxError extends TemplateError {
  override name = 'TemplateSyntaxError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[], context: { templateId?: string; language?: Language } = {}, options?: { cause?: unknown }) {
    super(`template syntax: ${problems.join('; ')}`, context, options);
    this.problems = problems;
  }
}

/** A value the template requires was not supplied by the caller: a programming error, not bad input. */
export class TemplateVariableError extends TemplateError {
  override name = 'TemplateVariableError';
  readonly missing: readonly string[];

  constructor(missing: readonly string[], context: { templateId?: string; language?: Language } = {}, options?: { cause?: unknown }) {
    super(`missing required template variables: ${missing.join(', ')}`, context, options);
    this.missing = missing;
  }
}
