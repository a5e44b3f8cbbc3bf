import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, ListObjectsV2Command, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FileBlobStore } from '../../../shared/adapters/blob-store.js';
import { S3BlobStore } from '../../../shared/adapters/s3-blob-store.js';

const s3 = mockClient(S3Client);

// The stub sits on the client class itself: take it off for whatever runs after this file in the same process.
afterAll(() => s3.restore());

describe('S3BlobStore.list', () => {
  afterEach(() => s3.reset());

  it('follows continuation tokens and returns every key under the prefix, sorted', async () => {
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({ Contents: [{ Key: 'reports/2024-W21/report.json' }], NextContinuationToken: 'next' });
    s3.on(ListObjectsV2Command, { ContinuationToken: 'next' }).resolves({ Contents: [{ Key: 'reports/2024-W20/report.json' }] });
    const keys = await new S3BlobStore(new S3Client({ region: 'local' }), 'bucket').list('reports/');
    expect(keys).toEqual(['reports/2024-W20/report.json', 'reports/2024-W21/report.json']);
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(2);
  });
});

describe('S3BlobStore.putStream', () => {
  afterEach(() => s3.reset());
  const pieces = function* (count: number, bytes: number): Generator<Buffer> {
    for (let i = 0; i < count; i += 1) yield Buffer.alloc(bytes, i + 1);
  };

  it('sends a body under one part as a single PutObject with its type', async () => {
    s3.on(PutObjectCommand).resolves({});
    await new S3BlobStore(new S3Client({ region: 'local' }), 'bucket').putStream('attachments/t/a.zip', pieces(3, 1000), 'application/zip');
    const [put] = s3.commandCalls(PutObjectCommand);
    expect(put!.args[0].input).toMatchObject({ Bucket: 'bucket', Key: 'attachments/t/a.zip', ContentType: 'application/zip' });
    expect(s3.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
  });

  it('uploads a large body in 5 MiB parts and completes it', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-1' });
    s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `"etag-${input.PartNumber}"` }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    await new S3BlobStore(new S3Client({ region: 'local' }), 'bucket').putStream('attachments/t/big.bin', pieces(12, 1024 * 1024), 'application/octet-stream');
    const parts = s3.commandCalls(UploadPartCommand).map((call) => call.args[0].input);
    expect(parts.map((part) => part.PartNumber)).toEqual([1, 2, 3]);
    expect(parts.map((part) => (part.Body as Uint8Array).byteLength)).toEqual([5 * 1024 * 1024, 5 * 1024 * 1024, 2 * 1024 * 1024]);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input).toMatchObject({ UploadId: 'up-1', MultipartUpload: { Parts: [{ PartNumber: 1 }, { PartNumber: 2 }, { PartNumber: 3 }] } });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('aborts the upload when a part fails, and fails itself', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-2' });
    s3.on(UploadPartCommand).rejects(new Error('network down'));
    s3.on(AbortMultipartUploadCommand).resolves({});
    await expect(new S3BlobStore(new S3Client({ region: 'local' }), 'bucket').putStream('attachments/t/big.bin', pieces(12, 1024 * 1024))).rejects.toThrow();
    expect(s3.commandCalls(AbortMultipartUploadCommand)[0]!.args[0].input).toMatchObject({ Bucket: 'bucket', Key: 'attachments/t/big.bin', UploadId: 'up-2' });
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });
});

describe('FileBlobStore.putStream', () => {
  it('writes the pieces as they come, and the key reads back whole', async () => {
    const store = new FileBlobStore(mkdtempSync(join(tmpdir(), 'ticketline-blobs-')));
    async function* pieces() {
      yield Buffer.from('hello ');
      yield new Uint8Array(Buffer.from('streamed '));
      yield Buffer.from('world');
    }
    await store.putStream('attachments/t/a.txt', pieces());
    expect((await store.get('attachments/t/a.txt'))?.toString()).toBe('hello streamed world');
  });

  it('leaves neither the key nor a partial file when the pieces fail midway', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ticketline-blobs-'));
    const store = new FileBlobStore(root);
    function* failing() {
      yield Buffer.from('half of it');
      throw new Error('decoder failed');
    }
    await expect(store.putStream('attachments/t/a.bin', failing())).rejects.toThrow('decoder failed');
    expect(await store.get('attachments/t/a.bin')).toBeUndefined();
    expect(readdirSync(join(root, 'attachments/t'))).toEqual([]);
  });

  it('refuses a key that escapes its folder', async () => {
    const store = new FileBlobStore(mkdtempSync(join(tmpdir(), 'ticketline-blobs-')));
    await expect(store.putStream('../outside.bin', [Buffer.from('x')])).rejects.toThrow('escapes');
  });
});
