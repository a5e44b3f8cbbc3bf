/** The customer's language (a ticket's), which is not always the agent's UI language. */
export type SnippetLanguage = 'zh-CN' | 'en';

/** Where a macro's text went in the reply: kept so a second macro replaces it instead of adding to it. */
export interface Inserted {
  macroId: string;
  start: number;
  text: string;
}

/**
 * The reply with a macro's text inserted at the cursor (or over the selection). When the text a
 * previous macro inserted is still there unchanged, the new text replaces it: two openings in one
 * reply read as a mistake. The agent's own words around it stay.
 *
 * @example
 * insertMacro('Hi,\n\nThanks', { start: 4, end: 4 }, undefined, 'checking', 'We are checking.');
 * // { text: 'Hi,\nWe are checking.\nThanks', inserted: { macroId: 'checking', start: 4, text: 'We are checking.' }, cursor: 20 }
 */
export function insertMacro(current: string, selection: { start: number; end: number }, previous: Inserted | undefined, macroId: string, filled: string): { text: string; inserted: Inserted; cursor: number } {
  let { start, end } = selection;
  if (previous && current.slice(previous.start, previous.start + previous.text.length) === previous.text) {
    start = previous.start;
    end = previous.start + previous.text.length;
  }
  start = Math.max(0, Math.min(start, current.length));
  end = Math.max(start, Math.min(end, current.length));
  return { text: current.slice(0, start) + filled + current.slice(end), inserted: { macroId, start, text: filled }, cursor: start + filled.length };
}

/** Replaces {{name}} with the value; an unknown placeholder becomes empty rather than leaking braces. */
export function fillPlaceholders(text: string, values: Record<string, string | undefined>): string {
  return text.replace(/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g, (_match, name: string) => values[name] ?? '');
}

/** Placeholders of `text` that have no value: a snippet with any of them is refused, never sent with a gap. */
export function missingPlaceholders(text: string, values: Record<string, string | undefined>): string[] {
  const names = [...text.matchAll(/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g)].map((match) => match[1] as string);
  return [...new Set(names.filter((name) => !values[name]?.trim()))];
}
