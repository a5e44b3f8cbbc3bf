import { describe, expect, it } from 'vitest';
import { fileHeaders, LocalFileLinks } from '../../local/file-links.js';

describe('LocalFileLinks', () => {
  const serving = { contentType: 'application/octet-stream', disposition: 'attachment; filename="a.pdf"' };

  it('verifies its own link until it expires', () => {
    let now = new Date('2024-05-20T00:00:00Z');
    const links = new LocalFileLinks('secret', () => now);
    const token = links.sign('attachments/x/a.pdf', serving, 300).slice('/files/'.length);
    expect(links.verify(token)).toEqual({ key: 'attachments/x/a.pdf', ...serving });
    now = new Date('2024-05-20T00:05:01Z');
    expect(links.verify(token)).toBeUndefined();
  });

  it('refuses a link signed with another key or with its claims altered', () => {
    const token = new LocalFileLinks('secret').sign('attachments/x/a.pdf', serving, 300).slice('/files/'.length);
    expect(new LocalFileLinks('other').verify(token)).toBeUndefined();
    const [payload, mac] = token.split('.');
    const altered = Buffer.from(Buffer.from(payload!, 'base64url').toString('utf8').replace('a.pdf', 'b.pdf')).toString('base64url');
    expect(new LocalFileLinks('secret').verify(`${altered}.${mac}`)).toBeUndefined();
  });

  it('serves files unsniffed, sandboxed and uncached', () => {
    expect(fileHeaders(serving, 3)).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'private, no-store', 'content-security-policy': expect.stringContaining('sandbox') });
  });
});
