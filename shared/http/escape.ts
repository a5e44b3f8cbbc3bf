/**
 * HTML escaping for every page and mail the desk builds. Anything that did not come from our own
 * source code (customer text, agent text, ticket fields, edited templates) goes through here.
 *
 * The `html` tagged template escapes each interpolated value unless it was explicitly marked safe
 * with {@link safeHtml}; the result is itself marked safe, so fragments nest without double escaping.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // Old IE treated the backtick as an attribute quote; escaping it costs nothing.
  '`': '&#96;',
};

/**
 * Escapes a string for use as HTML text or inside a quoted attribute value.
 *
 * @example
 * escapeHtml('<b>"Tom" & \'Jerry\'</b>'); // '&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;'
 */
export function escapeHtml(s: string): string {
  return String(s).replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Escapes a string for an attribute value. Beyond {@link escapeHtml} it encodes `=`, whitespace
 * and control characters, so the value stays one token even if someone forgets the quotes.
 *
 * @example
 * `<input value="${escapeAttribute(name)}">`
 */
export function escapeAttribute(s: string): string {
  return escapeHtml(s).replace(/[=\s\p{Cc}]/gu, (c) => (c === ' ' ? '&#32;' : `&#${c.codePointAt(0) ?? 0};`));
}

const SAFE_HTML: unique symbol = Symbol('ticketline.safeHtml');

/** A string that is already HTML and must be inserted verbatim. Only {@link safeHtml} and {@link html} make one. */
export interface SafeHtml {
  readonly [SAFE_HTML]: true;
  readonly value: string;
  toString(): string;
}

/**
 * Marks a string as trusted HTML. Use only for markup written in our own code, never for input.
 *
 * @example
 * html`<p>${safeHtml('<br>')}</p>`;
 */
export function safeHtml(s: string): SafeHtml {
  const value = String(s);
  return Object.freeze({ [SAFE_HTML]: true as const, value, toString: () => value });
}

/** Whether a value was produced by {@link safeHtml} or {@link html}. A look-alike object built from JSON never is. */
export function isSafeHtml(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && (value as Partial<SafeHtml>)[SAFE_HTML] === true;
}

/** What may be interpolated into {@link html}: `null`, `undefined` and booleans render as nothing, so `${cond && x}` works. */
export type HtmlValue = string | number | bigint | boolean | null | undefined | SafeHtml | readonly HtmlValue[];

function renderValue(value: HtmlValue): string {
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  if (isSafeHtml(value)) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(renderValue).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template that escapes every interpolated value unless it is {@link SafeHtml}.
 *
 * @example
 * const row = html`<li>${ticket.subject}</li>`;
 * const page = html`<ul>${rows}</ul>`; // rows: SafeHtml[] are inserted as they are
 * String(page);
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i += 1) {
    out += renderValue(values[i]) + (strings[i + 1] ?? '');
  }
  return safeHtml(out);
}

/**
 * Whether a URL may be placed in an `href`/`src`: only absolute http(s) URLs without whitespace or
 * control characters. Everything else (`javascript:`, `data:`, relative, protocol-relative) is not.
 *
 * @example
 * isHttpUrl('https://desk.example.com/s/abc'); // true
 * isHttpUrl('javascript:alert(1)'); // false
 */
export function isHttpUrl(url: string): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false;
  if (!/^https?:\/\//i.test(url)) return false;
  if (/[\s\p{Cc}<>"'`\\]/u.test(url)) return false;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname.length > 0;
  } catch {
    return false;
  }
}
