import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../../shared/adapters/s3-blob-store.js';

describe('S3BlobStore.downloadUrl', () => {
  it('presigns a GetObject that expires and forces the type and disposition', async () => {
    // Signing is local arithmetic: fake credentials, no request is sent.
    const client = new S3Client({ region: 'ap-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' } });
    const url = new URL(await new S3BlobStore(client, 'mail-bucket').downloadUrl('attachments/x/page.html', { contentType: 'application/octet-stream', disposition: 'attachment; filename="page.html"' }, 300));
    expect(url.hostname).toContain('mail-bucket');
    expect(url.pathname).toBe('/attachments/x/page.html');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('response-content-type')).toBe('application/octet-stream');
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="page.html"');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });
});
