import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../../shared/adapters/s3-blob-store.js';

const s3 = mockClient(S3Client);

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
