import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToPlainText } from '../../../shared/mail/html-text.js';
import { extractNewText } from '../../../shared/mail/quotes.js';

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

  it('decodes named and numeric entities, and leaves unknown ones as written', () => {
    expect(htmlToPlainText('<p>&eacute;t&eacute; &#x4e2d;&#25991; &copy; &nosuch;</p>')).toBe('été 中文 © &nosuch;');
  });

  it('drops the head, its title and a style or script in the body, even when the head is never closed', () => {
    expect(htmlToPlainText('<html><head><meta charset="utf-8"><title>Newsletter</title><body><style>.x{}</style><p>Body text</p><script>steal()</script></body></html>')).toBe('Body text');
  });

  it('collapses whitespace as a browser does, and reads &nbsp; as a space (keyword rules see "payment failed")', () => {
    expect(htmlToPlainText('<p>My   <b>payment</b>&nbsp;failed\n   twice,<i>again</i></p>')).toBe('My payment failed twice,again');
  });

  it('puts blocks on their own lines, paragraphs apart, and <br> as a line break', () => {
    expect(htmlToPlainText('<div>您好，</div><div>订单 12345 没有发货。<br>请处理。</div><p>谢谢</p><h2>Order</h2>text')).toBe('您好，\n订单 12345 没有发货。\n请处理。\n\n谢谢\n\nOrder\n\ntext');
  });

  it('keeps preformatted text as written', () => {
    expect(htmlToPlainText('<pre>  line 1\n    indented\n\nline 3</pre><p>after</p>')).toBe('line 1\n    indented\n\nline 3\n\nafter');
  });

  it('marks list items, numbers ordered lists from their start, and indents nested lists', () => {
    expect(htmlToPlainText('<ol start="3"><li>First<ul><li>a</li><li>b</li></ul></li><li>Second</li></ol>')).toBe('3. First\n   * a\n   * b\n4. Second');
  });

  it('writes each table row on a line, cells apart', () => {
    expect(htmlToPlainText('<table><tr><th>Item</th><th>Qty</th></tr><tr><td>Gadget &lt;pro&gt;</td><td>10</td></tr></table><p>Total wrong</p>')).toBe('Item   Qty\nGadget <pro>   10\n\nTotal wrong');
  });

  it('quotes a <blockquote> with > lines, so the quoted history is cut from the new text', () => {
    const gmail =
      '<div dir="ltr">Still not working.<br><br>Ana</div><br><div class="gmail_quote"><div class="gmail_attr">On Mon, May 20, 2024 at 10:15 AM Support &lt;s@x.example&gt; wrote:<br></div>' +
      '<blockquote class="gmail_quote"><div>Please restart the app.</div><div><br></div><blockquote>Older</blockquote></blockquote></div>';
    const text = htmlToPlainText(gmail);
    expect(text).toBe('Still not working.\n\nAna\n\nOn Mon, May 20, 2024 at 10:15 AM Support <s@x.example> wrote:\n\n> Please restart the app.\n>\n> > Older');
    expect(extractNewText(text)).toBe('Still not working.\n\nAna');
  });

  it('renders <hr> as a rule of dashes, and the From/Sent block after it is cut as history', () => {
    const text = htmlToPlainText('<p>See below</p><hr><b>From:</b> a@b.example<br><b>Sent:</b> Monday<br>old text');
    expect(text).toBe(`See below\n\n${'-'.repeat(40)}\n\nFrom: a@b.example\nSent: Monday\nold text`);
    expect(extractNewText(text)).toMatch(/^See below\b/);
    expect(extractNewText(text)).not.toContain('old text');
  });

  it('keeps a < that starts no tag as text', () => {
    expect(htmlToPlainText('<p>if a < b and c > d then</p>')).toBe('if a < b and c > d then');
  });

  describe('hostile HTML', () => {
    it('converts what made regex converters scan on (thousands of unclosed <a, <!--, <li, <script) in one pass', () => {
      for (const opener of ['<a ', '<!--', '<li ', '<br ', '<script ', '<']) {
        const html = `<p>start</p>${`${opener}x`.repeat(50_000)}`;
        const text = htmlToPlainText(html);
        expect(text.startsWith('start')).toBe(true);
        expect(text.length).toBeLessThanOrEqual(html.length);
      }
    });

    it('writes deeply nested quotes and lists at a bounded depth, so no line grows with the nesting', () => {
      const quotes = `${'<blockquote>'.repeat(20_000)}deep${'</blockquote>'.repeat(20_000)}`;
      expect(htmlToPlainText(quotes)).toBe(`${'> '.repeat(8)}deep`);
      const lists = `${'<ul><li>'.repeat(20_000)}deep`;
      const line = htmlToPlainText(lists).split('\n').at(-1)!;
      expect(line.trim()).toBe('* deep');
      expect(line.length).toBeLessThan(40);
    });

    it('converts 400,000 unclosed elements in one pass (the parser’s stack alone grows with the square of the nesting) and writes the text after them', () => {
      for (const tag of ['<div>', '<font>', '<ul><li>']) {
        const text = htmlToPlainText(`<p>start</p>${tag.repeat(400_000)}after`);
        expect(text.startsWith('start')).toBe(true);
        expect(text.endsWith('after')).toBe(true);
      }
    }, 30_000);

    it('never lets script or style content through, whatever it holds', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('script', 'style', 'title', 'template'), (secret, tag) => {
          const text = htmlToPlainText(`<p>before</p><${tag}>SECRET${secret.replace(/</g, '')}</${tag}><p>after</p>`);
          return !text.includes('SECRET') && text.startsWith('before') && text.endsWith('after');
        }),
        { numRuns: 300 },
      );
    });

    it('gives back escaped prose as the customer wrote it, whitespace collapsed', () => {
      const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      fc.assert(
        fc.property(fc.string({ maxLength: 200 }), (words) => {
          const collapsed = words.replace(/[ \t\n\r\f\u00a0]+/g, ' ').trim();
          return htmlToPlainText(`<p>${escape(words)}</p>`) === collapsed;
        }),
        { numRuns: 300 },
      );
    });
  });
});
