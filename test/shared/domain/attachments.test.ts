import { describe, expect, it } from 'vitest';
import { contentDisposition, isServable, servingOf } from '../../../shared/domain/attachments.js';

describe('servingOf', () => {
  it('previews raster images inline with their own type', () => {
    expect(servingOf({ name: 'screen.png', contentType: 'image/png' })).toMatchObject({ inline: true, contentType: 'image/png' });
  });

  it('downloads everything else, HTML and SVG included, as octet-stream', () => {
    for (const contentType of ['text/html', 'image/svg+xml', 'application/pdf', 'application/xhtml+xml', 'text/html; charset=utf-8']) {
      expect(servingOf({ name: 'x', contentType })).toMatchObject({ inline: false, contentType: 'application/octet-stream' });
    }
  });
});

describe('contentDisposition', () => {
  it('escapes quotes, controls and header breaks from the name', () => {
    const value = contentDisposition('attachment', 'a"b\r\nSet-Cookie: x=1;.pdf');
    expect(value).not.toMatch(/[\r\n]/);
    expect(value.startsWith('attachment; filename="a_bSet-Cookie: x=1_.pdf"; ')).toBe(true);
    expect(value).toContain("filename*=UTF-8''a%22bSet-Cookie%3A%20x%3D1%3B.pdf");
  });

  it('keeps a Chinese name exactly in filename*', () => {
    expect(contentDisposition('inline', '截图.png')).toBe(`inline; filename="__.png"; filename*=UTF-8''${encodeURIComponent('截图.png')}`);
  });
});

describe('isServable', () => {
  it('never serves a virus-flagged or unstored file', () => {
    expect(isServable({ storageKey: 'k', flags: [] })).toBe(true);
    expect(isServable({ storageKey: 'k', flags: ['virus'] })).toBe(false);
    expect(isServable({ flags: ['too-large'] })).toBe(false);
  });
});
