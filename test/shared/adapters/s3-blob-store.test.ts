import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
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

describe('S3BlobStore.uploadForm', () => {
  it('presigns a POST policy bound to one key, one type and a size range', async () => {
    const client = new S3Client({ region: 'ap-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' } });
    const form = await new S3BlobStore(client, 'mail-bucket').uploadForm('uploads/CS20240520001/abc/shot.png', { contentType: 'image/png', maxBytes: 1234 }, 900);
    expect(new URL(form.url).hostname).toContain('mail-bucket');
    expect(form.fields).toMatchObject({ key: 'uploads/CS20240520001/abc/shot.png', 'Content-Type': 'image/png', 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' });
    const policy = JSON.parse(Buffer.from(form.fields.Policy!, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    expect(policy.conditions).toEqual(expect.arrayContaining([['content-length-range', 1, 1234], { key: 'uploads/CS20240520001/abc/shot.png' }, { 'Content-Type': 'image/png' }, { bucket: 'mail-bucket' }]));
    expect(new Date(policy.expiration).getTime() - Date.now()).toBeLessThanOrEqual(900_000);
  });

  it("lets a key ending in ${filename} take the file's name under its fixed prefix only", async () => {
    const client = new S3Client({ region: 'ap-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' } });
    const form = await new S3BlobStore(client, 'mail-bucket').uploadForm('uploads/CS20240520001/abc/${filename}', { maxBytes: 5, redirect: 'https://desk.example.com/status/t?upload=abc' }, 900);
    const policy = JSON.parse(Buffer.from(form.fields.Policy!, 'base64').toString('utf8')) as { conditions: unknown[] };
    expect(policy.conditions).toEqual(expect.arrayContaining([['starts-with', '$key', 'uploads/CS20240520001/abc/'], { success_action_redirect: 'https://desk.example.com/status/t?upload=abc' }]));
  });
});

describe('S3BlobStore.delete', () => {
  it('removes exactly the one object it is given', async () => {
    const client = new S3Client({ region: 'ap-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' } });
    const s3 = mockClient(client);
    s3.on(DeleteObjectCommand).resolves({});
    await new S3BlobStore(client, 'mail-bucket').delete('attachments/CS20240520001/abc/steps.png');
    expect(s3.calls().map((call) => call.args[0].input)).toEqual([{ Bucket: 'mail-bucket', Key: 'attachments/CS20240520001/abc/steps.png' }]);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(1);
    s3.restore();
  });
});
