/**
 * What a macro's text may name: the console fills these from the ticket before the agent edits the
 * text, or refuses the macro on that ticket. No zod here: the console's macro editor checks with it.
 */
export const MACRO_PLACEHOLDERS = ['summary', 'agentName', 'ticketNo', 'replyBy'] as const;

/** The `{{name}}` placeholders a text uses that no macro can fill. */
export function unknownPlaceholders(text: string): string[] {
  const names = [...text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((match) => match[1] ?? '');
  return [...new Set(names.filter((name) => !(MACRO_PLACEHOLDERS as readonly string[]).includes(name)))];
}

