import type { Language } from '../domain/ticket.js';
import { escapeHtml, isHttpUrl } from '../http/escape.js';
import { TemplateError, TemplateSyntaxError, TemplateVariableError } from './errors.js';
import { parseTemplate, type TemplateNode } from './syntax.js';
import type { PlaceholderKind, TemplateDefinition } from './types.js';

/** Longest rendered subject, in characters. */
export const MAX_SUBJECT_CHARS = 200;
/** Longest single value inside a subject, so a long value cannot push the ticket number out. */
const MAX_SUBJECT_VALUE_CHARS = 120;

export interface RenderedTemplate {
  /** One line: no CR, LF or other control characters, at most {@link MAX_SUBJECT_CHARS} characters. */
  subject: string;
  /** Plain text body. */
  text: string;
  /** A small self-contained HTML document: inline styles, no scripts, no external resources. */
  html: string;
}

type Piece = { kind: 'text'; value: string } | { kind: 'link'; value: string };

// Bidi overrides and isolates can make "moc.live" read as "evil.com"; they have no place in a notice.
const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const CONTROLS_EXCEPT_NL_TAB = /(?![\n\t])\p{Cc}/gu;
const SUBJECT_UNSAFE = /[\p{Cc}\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

function cleanValue(value: string, kind: PlaceholderKind): string {
  let v = String(value).replace(/\r\n?/g, '\n').replace(/[\u2028\u2029]/g, '\n').replace(BIDI_CONTROLS, '').replace(CONTROLS_EXCEPT_NL_TAB, '');
  // From the start of a blank run only: tried inside a long run without a line break, it costs the run's square.
  if (kind !== 'multiline') v = v.replace(/(?<!\s)\s*\n\s*/g, ' ');
  return v;
}

function truncate(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

function evaluate(nodes: readonly TemplateNode[], lookup: (name: string) => { value: string | undefined; kind: PlaceholderKind }, out: Piece[]): void {
  for (const node of nodes) {
    if (node.kind === 'text') {
      out.push({ kind: 'text', value: node.value });
    } else if (node.kind === 'var') {
      const { value, kind } = lookup(node.name);
      if (value === undefined || value === '') continue;
      out.push(kind === 'url' && isHttpUrl(value.trim()) ? { kind: 'link', value: value.trim() } : { kind: 'text', value });
    } else if (isSet(lookup(node.name).value)) {
      evaluate(node.children, lookup, out);
    }
  }
}

/** Trailing spaces go, and the blank lines left by empty sections collapse to one. */
function tidy(s: string): string {
  return s
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const FONT = "font-family:-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',Arial,sans-serif";

function htmlDocument(language: Language, subject: string, bodyHtml: string): string {
  const paragraphs = bodyHtml
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 16px 0;">${p.split('\n').join('<br>\n')}</p>`)
    .join('\n');
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(language)}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:0;background-color:#f4f5f7;">',
    `<div style="max-width:640px;margin:0 auto;padding:24px;background-color:#ffffff;color:#1f2328;font-size:15px;line-height:1.6;${FONT};">`,
    paragraphs,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Renders a template in one language. Values are never interpreted: in the HTML every value is
 * escaped, and a `url` value becomes a link only when it is an absolute http(s) URL; in the
 * subject, line breaks and control characters become spaces, so no value can add a header.
 * A value is "set" for `{{#if}}` when it is not blank. Values for names the template does not
 * declare are ignored unless the text uses them, and are then printed as plain text.
 *
 * @throws TemplateVariableError when a required value is `undefined` (a caller bug)
 * @throws TemplateSyntaxError when the template text is malformed
 * @example
 * const { subject, text, html } = renderTemplate(templateFor('acknowledgement'), ticket.language, {
 *   ticketNo: ticket.ticketNo, deskName: config.desk.name[ticket.language], ...
 * });
 */
export function renderTemplate(template: TemplateDefinition, language: Language, vars: Record<string, string | undefined>): RenderedTemplate {
  const context = { templateId: template.id, language };
  const source = template.texts[language];
  if (source === undefined) throw new TemplateError(`template ${template.id} has no text in language "${String(language)}"`, context);

  const subjectParse = parseTemplate(source.subject);
  const bodyParse = parseTemplate(source.body);
  const problems = [...(subjectParse.ok ? [] : subjectParse.errors), ...(bodyParse.ok ? [] : bodyParse.errors)];
  if (!subjectParse.ok || !bodyParse.ok) throw new TemplateSyntaxError(problems, context);

  const missing = Object.entries(template.placeholders)
    .filter(([name, spec]) => spec.required && typeof vars[name] !== 'string')
    .map(([name]) => name);
  if (missing.length > 0) throw new TemplateVariableError(missing, context);

  const lookupWith =
    (forSubject: boolean) =>
    (name: string): { value: string | undefined; kind: PlaceholderKind } => {
      const kind = Object.hasOwn(template.placeholders, name) ? (template.placeholders[name]?.kind ?? 'text') : 'text';
      const raw = Object.hasOwn(vars, name) ? vars[name] : undefined;
      if (typeof raw !== 'string') return { value: undefined, kind };
      if (forSubject) return { value: truncate(raw.replace(SUBJECT_UNSAFE, ' ').replace(/\s+/g, ' '), MAX_SUBJECT_VALUE_CHARS), kind: 'text' };
      return { value: cleanValue(raw, kind), kind };
    };

  const subjectPieces: Piece[] = [];
  evaluate(subjectParse.nodes, lookupWith(true), subjectPieces);
  const subject = truncate(
    subjectPieces
      .map((p) => p.value)
      .join('')
      .replace(SUBJECT_UNSAFE, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
    MAX_SUBJECT_CHARS,
  );

  const bodyPieces: Piece[] = [];
  evaluate(bodyParse.nodes, lookupWith(false), bodyPieces);
  const text = tidy(bodyPieces.map((p) => p.value).join(''));
  const bodyHtml = tidy(
    bodyPieces
      .map((p) =>
        p.kind === 'link'
          ? `<a href="${escapeHtml(p.value)}" style="color:#0b5cad;text-decoration:underline;word-break:break-all;">${escapeHtml(p.value)}</a>`
          : escapeHtml(p.value),
      )
      .join(''),
  );

  return { subject, text, html: htmlDocument(language, subject, bodyHtml) };
}
