/**
 * The HTML-to-text converter inbound-email shipped until round five: html-to-text (htmlparser2,
 * domhandler, a CSS selector engine, entity tables) with the options shared/mail/html-text.ts had.
 * bench/html-text.ts converts the same HTML with it and with the shipped converter, same rounds.
 */
import { compile } from 'html-to-text';

const convert = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'head', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
});

export function htmlToPlainText(html: string): string {
  return convert(html).replace(/\n{3,}/g, '\n\n').trim();
}
