import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpS3BlobStore } from '../../shared/adapters/s3-blob-store-http.js';
import { deliverMails, invokeInbound, sqsRecord } from '../support/inbound.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { S3_TEST_CREDENTIALS, startS3Bucket, xmlError } from '../support/s3-bucket.js';
import { s3EventBody } from '../../shared/services/inbound-events.js';

/**
 * inbound-email as deployed reads raw mail and stores attachments over signed HTTP
 * (`HttpS3BlobStore`), not through the SDK's S3 client. Here the handler runs on DynamoDB Local
 * with its mail bucket on a local server that answers, and checks signatures, as S3 does.
 */

function mailWithVideo(video: Buffer): Buffer {
  return Buffer.from(
    [
      'From: Amy <amy@customer.example.com>',
      'To: support@support.example.com',
      'Subject: 视频：应用崩溃',
      'Message-ID: <video-s3@customer.example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      '打开订单页面时应用崩溃，视频见附件。',
      '--b',
      'Content-Type: video/mp4; name="crash.mp4"',
      'Content-Disposition: attachment; filename="crash.mp4"',
      'Content-Transfer-Encoding: base64',
      '',
      video.toString('base64').replace(/.{76}/g, '$&\r\n'),
      '--b--',
      '',
    ].join('\r\n'),
  );
}

describe('inbound-email with its mail bucket over signed HTTP', () => {
  let bucket: Awaited<ReturnType<typeof startS3Bucket>>;
  let runtime: TestRuntime;

  beforeEach(async () => {
    bucket = await startS3Bucket();
    runtime = await testRuntime();
    runtime.mailBlobs = new HttpS3BlobStore('mail-bucket', { endpoint: bucket.endpoint, region: 'ap-east-1', credentials: S3_TEST_CREDENTIALS });
    runtime.mailBucketName = 'mail-bucket';
  }, 60_000);
  afterEach(() => bucket.close());

  it('reads the raw mail, streams a 6 MiB attachment as a multipart upload, and the ticket points to it', async () => {
    const video = randomBytes(6 * 1024 * 1024 + 5);
    const response = await deliverMails(runtime, [{ name: 'video-s3.eml', raw: mailWithVideo(video) }]);

    expect(response.batchItemFailures).toEqual([]);
    const requests = bucket.arrived.map(({ method, key, query }) => `${method} ${key.replace(/[0-9a-f]{64}/, '<sha256>')} ${query}`.trim());
    expect(requests).toEqual([
      'PUT inbound/video-s3.eml',
      'GET inbound/video-s3.eml',
      expect.stringMatching(/^POST attachments\/.+\/<sha256>\/crash\.mp4 uploads$/),
      expect.stringMatching(/^PUT attachments\/.+\/crash\.mp4 partNumber,uploadId$/),
      expect.stringMatching(/^PUT attachments\/.+\/crash\.mp4 partNumber,uploadId$/),
      expect.stringMatching(/^POST attachments\/.+\/crash\.mp4 uploadId$/),
    ]);
    const [ticketNo] = runtime.queue.sent.map((notice) => notice.ticketNo);
    const [message] = (await runtime.store.getTicketRecords(ticketNo!))?.messages ?? [];
    const ref = message?.attachments[0];
    expect(ref).toMatchObject({ name: 'crash.mp4', contentType: 'video/mp4', size: video.length, sha256: createHash('sha256').update(video).digest('hex') });
    // What the agent console will later download through the SDK is the customer's file, byte for byte.
    const sdk = new S3Client({ endpoint: bucket.endpoint, forcePathStyle: true, region: 'ap-east-1', credentials: S3_TEST_CREDENTIALS });
    const stored = await sdk.send(new GetObjectCommand({ Bucket: 'mail-bucket', Key: ref!.storageKey! }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(video)).toBe(true);
    expect(stored.ContentType).toBe('video/mp4');
    sdk.destroy();
  }, 120_000);

  it('reports the record failed (for SQS to retry) when the raw mail cannot be read, and creates nothing', async () => {
    bucket.script.push(() => xmlError(403, 'AccessDenied', 'Access Denied'));
    const missing = sqsRecord(s3EventBody('mail-bucket', 'inbound/denied.eml', 100), 'm-denied');
    const gone = sqsRecord(s3EventBody('mail-bucket', 'inbound/never-stored.eml', 100), 'm-gone');

    const response = await invokeInbound(runtime, { Records: [missing, gone] });

    expect(response.batchItemFailures.map(({ itemIdentifier }) => itemIdentifier).sort()).toEqual(['m-denied', 'm-gone']);
    expect(runtime.queue.sent).toEqual([]);
  }, 60_000);
});
