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

  describe('tables', () => {
    it('writes a data table one row a line, its columns aligned', () => {
      expect(htmlToPlainText('<table><tr><th>Item</th><th>Qty</th></tr><tr><td>Gadget &lt;pro&gt;</td><td>10</td></tr></table><p>Total wrong</p>')).toBe(
        'Item           Qty\nGadget <pro>   10\n\nTotal wrong',
      );
    });

    it('counts Chinese characters two columns wide, and reads cells Outlook wraps in paragraphs as one line', () => {
      const outlook = (cells: string[]) => `<tr>${cells.map((cell) => `<td valign=top><p class=MsoNormal>${cell}<o:p></o:p></p></td>`).join('\n')}</tr>`;
      const html = `<p>订单如下：</p><table class=MsoTableGrid>${outlook(['订单号', '金额', '状态'])}${outlook(['CS20261202001', '¥299.00', '已扣款，未发货'])}</table><p>请尽快处理</p>`;
      expect(htmlToPlainText(html)).toBe('订单如下：\n\n订单号          金额      状态\nCS20261202001   ¥299.00   已扣款，未发货\n\n请尽快处理');
    });

    it('keeps quote marks and list indentation in front of an aligned table', () => {
      expect(htmlToPlainText('<blockquote><table><tr><td>a</td><td>bb</td></tr><tr><td>ccc</td><td>d</td></tr></table></blockquote>')).toBe('> a     bb\n> ccc   d');
    });

    it('pads an empty cell and a short row, and leaves out rows with nothing in them', () => {
      expect(htmlToPlainText('<p>Bill</p><table><tr><td></td><td>Total</td><td>¥64</td></tr><tr><td> </td><td></td></tr><tr><td>Case</td><td>1</td></tr></table>')).toBe('Bill\n\n       Total   ¥64\nCase   1');
      // At the very start of the text too: the first line's padding is part of the alignment.
      expect(htmlToPlainText('<table><tr><td></td><td>Total</td></tr><tr><td>Case</td><td>1</td></tr></table>')).toBe('       Total\nCase   1');
    });

    it('writes a layout table as it streams: cells with paragraphs, wide cells, spanning cells, a single column', () => {
      expect(htmlToPlainText('<table><tr><td>Logo</td><td><p>Jane Doe</p><p>Support lead</p></td></tr></table>')).toBe('Logo\n\nJane Doe\n\nSupport lead');
      const wide = 'x'.repeat(61);
      expect(htmlToPlainText(`<table><tr><td>a</td><td>${wide}</td></tr><tr><td>bbb</td><td>c</td></tr></table>`)).toBe(`a   ${wide}\nbbb   c`);
      expect(htmlToPlainText('<table><tr><td colspan=2>Order</td></tr><tr><td>a</td><td>b</td></tr><tr><td>ccc</td><td>d</td></tr></table>')).toBe('Order\na   b\nccc   d');
      expect(htmlToPlainText('<table><tr><td rowspan=2>a</td><td>b</td></tr><tr><td>ccc</td></tr></table>')).toBe('a   b\nccc');
      expect(htmlToPlainText('<table><tr><td>one</td></tr><tr><td>three</td></tr></table>')).toBe('one\nthree');
      expect(htmlToPlainText('<table><tr><td>a</td><td><ul><li>x</li></ul></td></tr><tr><td>bbb</td><td>c</td></tr></table>')).toBe('a\n\n* x\n\nbbb   c');
    });

    it('aligns a data table nested in a layout table, and writes a table holding another as it streams', () => {
      const order = '<table><tr><th>Item</th><th>Price</th></tr><tr><td>Phone case</td><td>¥39</td></tr><tr><td>USB-C cable, 2 m</td><td>¥25</td></tr></table>';
      expect(htmlToPlainText(`<table width=600><tr><td><img src=logo.png><p>Your order</p>${order}<p>Thanks</p></td></tr></table>`)).toBe(
        'Your order\n\nItem               Price\nPhone case         ¥39\nUSB-C cable, 2 m   ¥25\n\nThanks',
      );
      expect(htmlToPlainText('<table><tr><td><table><tr><td>a</td><td>b</td></tr><tr><td>ccc</td><td>d</td></tr></table></td><td>e</td></tr></table>')).toBe('a     b\nccc   d\n\ne');
    });

    it('writes a table over the bound as it streams, every row kept, and aligns the next table again', () => {
      const rows = Array.from({ length: 30_000 }, (_, index) => `<tr><td>${index % 2 === 0 ? 'a' : 'abc'}</td><td>${index}</td></tr>`).join('');
      const lines = htmlToPlainText(`<table>${rows}</table><table><tr><td>a</td><td>1</td></tr><tr><td>abc</td><td>2</td></tr></table>`).split('\n');
      expect(lines.slice(0, 30_000)).toEqual(Array.from({ length: 30_000 }, (_, index) => `${index % 2 === 0 ? 'a' : 'abc'}   ${index}`));
      expect(lines.slice(-2)).toEqual(['a     1', 'abc   2']);
    });

    it('loses no word of any mix of tables, rows, cells and blocks, well-formed or not (fast-check)', () => {
      const piece = fc.oneof(
        fc.constantFrom('<table>', '</table>', '<tr>', '</tr>', '<td>', '</td>', '<th>', '</th>', '<td colspan=2>', '<tbody>', '<p>', '</p>', '<div>', '</div>', '<br>', '<ul><li>', '</ul>', '<blockquote>', '</blockquote>', '<caption>', '<b>', '</b>'),
        fc.constant('WORD'),
      );
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
          let next = 0;
          const html = pieces.map((part) => (part === 'WORD' ? ` w${(next += 1)} ` : part)).join('');
          const words = htmlToPlainText(html).match(/w\d+/g) ?? [];
          expect(words).toEqual(Array.from({ length: next }, (_, index) => `w${index + 1}`));
        }),
        { numRuns: 500 },
      );
    });

    it('lines up every column of any data table (fast-check)', () => {
      const word = fc.stringMatching(/^[A-Za-z0-9¥.,-]{1,8}$|^[订单号金额状态已扣款退货物流]{1,5}$/);
      const width = (text: string) => [...text].reduce((sum, char) => sum + (/[\u2e80-\ua4cf\uff00-\uff60]/.test(char) ? 2 : 1), 0);
      fc.assert(
        fc.property(fc.integer({ min: 2, max: 4 }).chain((columns) => fc.array(fc.array(word, { minLength: columns, maxLength: columns }), { minLength: 1, maxLength: 6 })), (rows) => {
          const html = `<table>${rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n')}</table>`;
          const lines = htmlToPlainText(html).split('\n');
          expect(lines.map((line) => line.split(/\s+/))).toEqual(rows);
          // Where each cell starts, in columns, is the same on every line.
          const columnStarts = lines.map((line) => [...line.matchAll(/\S+/g)].map((match) => width(line.slice(0, match.index))));
          for (const column of columnStarts[0]!.keys()) expect(new Set(columnStarts.map((line) => line[column])).size).toBe(1);
        }),
        { numRuns: 300 },
      );
    });
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

    it('holds back at most one bounded table: 200,000 nested, unclosed or tiny tables convert in one pass with every cell written', () => {
      expect(htmlToPlainText(`${'<table><tr><td>'.repeat(200_000)}after`)).toBe('after');
      expect(htmlToPlainText(`${'<table>'.repeat(200_000)}<tr><td>a<td>b</table>after`).split('\n').filter(Boolean)).toEqual(['a   b', 'after']);
      const tiny = htmlToPlainText('<table><tr><td>a</td><td>b</td></tr></table>'.repeat(200_000));
      expect(tiny.split('\n\n')).toHaveLength(200_000);
      expect(new Set(tiny.split('\n\n'))).toEqual(new Set(['a   b']));
      const cells = htmlToPlainText(`<table><tr>${'<td>x'.repeat(200_000)}</table>end`).split('\n');
      expect(cells[0]!.split('   ')).toHaveLength(200_000);
      expect(cells.at(-1)).toBe('end');
    }, 30_000);

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
