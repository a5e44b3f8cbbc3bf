import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeAttribute, escapeHtml, html, isHttpUrl, isSafeHtml, safeHtml } from '../../../shared/http/escape.js';

describe('escapeHtml', () => {
  it('escapes the five HTML specials and the backtick', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
  });

  it('leaves ordinary and Chinese text unchanged', () => {
    expect(escapeHtml('您好, Zhang* 123')).toBe('您好, Zhang* 123');
  });

  it('never lets a markup character through, for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(escapeHtml(s)).not.toMatch(/[<>"'`]/);
      }),
    );
  });

  it('is reversible by decoding the entities it produces', () => {
    const decode = (s: string): string =>
      s.replace(/&(lt|gt|quot|#39|#96|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`', amp: '&' })[e] ?? '');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => decode(escapeHtml(s)) === s));
  });
});

describe('escapeAttribute', () => {
  it('encodes equals signs, whitespace and control characters as entities', () => {
    expect(escapeAttribute('a b=c\nd\u0000')).toBe('a&#32;b&#61;c&#10;d&#0;');
  });

  it('still escapes quotes so a quoted attribute cannot be closed', () => {
    expect(escapeAttribute('" onmouseover="x')).not.toContain('"');
  });
});

describe('html tagged template', () => {
  it('escapes interpolated strings', () => {
    const name = '<script>alert(1)</script>';
    expect(String(html`<p>${name}</p>`)).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('inserts values marked with safeHtml verbatim', () => {
    expect(String(html`<p>${safeHtml('<br>')}</p>`)).toBe('<p><br></p>');
  });

  it('nests fragments without escaping them twice', () => {
    const items = ['a&b', 'c'].map((s) => html`<li>${s}</li>`);
    expect(String(html`<ul>${items}</ul>`)).toBe('<ul><li>a&amp;b</li><li>c</li></ul>');
  });

  it('renders null, undefined and booleans as nothing and numbers as text', () => {
    expect(String(html`${null}${undefined}${false}${true}|${42}`)).toBe('|42');
  });

  it('does not trust an object that merely looks like SafeHtml', () => {
    const forged = JSON.parse('{"value":"<b>x</b>"}') as unknown;
    expect(isSafeHtml(forged)).toBe(false);
    expect(String(html`${String(forged)}`)).not.toContain('<b>');
  });

  it('never emits a tag from an interpolated string, for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(String(html`<div>${a}</div><span title="${b}"></span>`)).toMatch(/^<div>[^<>"]*<\/div><span title="[^<>"]*"><\/span>$/);
      }),
    );
  });
});

describe('isHttpUrl', () => {
  it.each(['https://desk.example.com/s/abc?x=1', 'http://127.0.0.1:3000/t/CS20240520001'])('accepts %s', (url) => {
    expect(isHttpUrl(url)).toBe(true);
  });

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '//evil.example.com',
    '/relative/path',
    'https://exa mple.com',
    'https://example.com/"onmouseover="x',
    'https://example.com/\nx',
    'http://',
    '',
  ])('rejects %j', (url) => {
    expect(isHttpUrl(url)).toBe(false);
  });
});
