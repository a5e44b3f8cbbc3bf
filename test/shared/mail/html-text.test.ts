import { describe, expect, it } from 'vitest';
import { htmlToPlainText } from '../../../shared/mail/html-text.js';

describe('htmlToPlainText', () => {
  it('drops scripts and styles', () => {
    expect(htmlToPlainText('<style>p{}</style><script>x()</script><p>Hello</p>')).toBe('Hello');
  });

  it('keeps link text without the target', () => {
    expect(htmlToPlainText('<p>See <a href="https://x.example/a">my order</a></p>')).toBe('See my order');
  });

  it('skips images', () => {
    expect(htmlToPlainText('<p>Error:</p><img src="cid:a" alt="shot">')).toBe('Error:');
  });

  it('decodes entities', () => {
    expect(htmlToPlainText('<p>A &amp; B &lt;ok&gt;</p>')).toBe('A & B <ok>');
  });
});
