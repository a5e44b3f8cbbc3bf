/**
 * Plain text from customer HTML, for mail that has no text/plain part. The text is what agents and
 * keyword rules read, so scripts, styles and images go, link targets stay out of the prose, and
 * lines are not re-wrapped (quote detection works on the customer's own lines).
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

/**
 * Converts HTML to readable plain text.
 *
 * @example
 * htmlToPlainText('<p>Hi <b>team</b></p><script>x()</script>'); // 'Hi team'
 */
export function htmlToPlainText(html: string): string {
  return convert(html).replace(/\n{3,}/g, '\n\n').trim();
}
