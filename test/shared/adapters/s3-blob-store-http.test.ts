import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpS3BlobStore } from '../../../shared/adapters/s3-blob-store-http.js';
import { MULTIPART_PART_BYTES } from '../../../shared/adapters/s3-parts.js';
import { S3_TEST_CREDENTIALS, startS3Bucket, xmlError, type Arrived } from '../../support/s3-bucket.js';

/**
 * inbound-email reaches its mail bucket over S3's REST protocol, signed by aws4fetch, instead of
 * the SDK's S3 client. A local bucket that answers as S3 does (test/support/s3-bucket.ts) checks
 * every request's signature against the SDK's own signer and its payload hash against the body,
 * and records what arrived; the SDK's S3Client and lib-storage are pointed at it as the reference.
 */

const credentials = S3_TEST_CREDENTIALS;
const MiB = 1024 * 1024;

describe('HttpS3BlobStore, against a bucket that answers as S3 does', () => {
  let bucket: Awaited<ReturnType<typeof startS3Bucket>>;
  let endpoint: string;
  let store: HttpS3BlobStore;
  let sdk: S3Client;

  beforeEach(async () => {
    bucket = await startS3Bucket();
    endpoint = bucket.endpoint;
    store = new HttpS3BlobStore('mail-bucket', { endpoint, region: 'ap-east-1', credentials });
    sdk = new S3Client({ endpoint, forcePathStyle: true, region: 'ap-east-1', credentials });
  });
  afterEach(async () => {
    sdk.destroy();
    await bucket.close();
  });

  const sent = () => bucket.arrived.map(({ method, query }) => `${method} ${query}`.trim());

  describe('put and get', () => {
    it('stores an object the SDK reads back, sending what the SDK’s PutObject sends, signed as the SDK’s signer would', async () => {
      const body = Buffer.from('Subject: 退款\r\n\r\n您好', 'utf8');
      await store.put('attachments/abc/ticket.eml', body, 'message/rfc822');
      await sdk.send(new PutObjectCommand({ Bucket: 'mail-bucket', Key: 'attachments/abc/sdk.eml', Body: body, ContentType: 'message/rfc822' }));
      const [ours, theirs] = bucket.arrived;
      expect({ ...ours, key: '' }).toEqual({ ...theirs, key: '' });
      expect(ours).toMatchObject({ method: 'PUT', key: 'attachments/abc/ticket.eml', contentType: 'message/rfc822', signatureValid: true, payloadHashValid: true });
      const read = await sdk.send(new GetObjectCommand({ Bucket: 'mail-bucket', Key: 'attachments/abc/ticket.eml' }));
      expect(Buffer.from(await read.Body!.transformToByteArray()).equals(body)).toBe(true);
      expect((await store.get('attachments/abc/sdk.eml'))?.equals(body)).toBe(true);
    });

    it('reads raw mail byte for byte, with a signed GET', async () => {
      const raw = Buffer.from(Array.from({ length: 70_000 }, (_, n) => n % 256));
      bucket.objects.set('inbound/0a1b2c', { body: raw });
      const read = await store.get('inbound/0a1b2c');
      expect(read?.equals(raw)).toBe(true);
      expect(bucket.arrived).toEqual([expect.objectContaining({ method: 'GET', key: 'inbound/0a1b2c', query: '', signatureValid: true, payloadHashValid: true })]);
    });

    it('answers undefined for a missing key, as the SDK store does for NoSuchKey', async () => {
      await expect(store.get('inbound/missing')).resolves.toBeUndefined();
      expect(bucket.arrived).toHaveLength(1);
    });

    it('addresses keys with spaces, plus signs, brackets, percent signs, ? and # and Chinese exactly, and signs them right', async () => {
      const keys = ['attachments/x/发票 (1).pdf', 'attachments/x/a+b%20c.txt', "attachments/x/it's*!.png", 'attachments/x/~tilde_-.', 'attachments/x/q?uploads=1&x-id=y#frag.txt', 'attachments/x/..hidden'];
      for (const key of keys) await store.put(key, Buffer.from(key), 'application/octet-stream');
      expect(bucket.arrived.map(({ key }) => key)).toEqual(keys);
      expect(bucket.arrived.every(({ signatureValid }) => signatureValid)).toBe(true);
      for (const key of keys) expect((await store.get(key))?.toString()).toBe(key);
      // The SDK finds them under the same names.
      const read = await sdk.send(new GetObjectCommand({ Bucket: 'mail-bucket', Key: keys[0] }));
      expect(await read.Body!.transformToString()).toBe(keys[0]);
    });

    it('refuses a key with . or .. segments, which a URL would resolve to another key', async () => {
      await expect(store.put('attachments/../inbound/x', Buffer.from('x'))).rejects.toThrow(/cannot be addressed/);
      await expect(store.get('attachments/./x')).rejects.toThrow(/cannot be addressed/);
      expect(bucket.arrived).toHaveLength(0);
    });

    it('deletes an object', async () => {
      bucket.objects.set('attachments/x/a.txt', { body: Buffer.from('a') });
      await store.delete('attachments/x/a.txt');
      expect(bucket.objects.has('attachments/x/a.txt')).toBe(false);
      expect(bucket.arrived[0]).toMatchObject({ method: 'DELETE', signatureValid: true });
    });
  });

  describe('errors and retries', () => {
    it('names an S3 error by its Code, with $fault and $metadata, and does not retry a refusal', async () => {
      bucket.script.push(() => xmlError(403, 'AccessDenied', 'Access Denied'));
      const failure = await store.get('inbound/secret').catch((error: unknown) => error);
      expect(failure).toMatchObject({ name: 'AccessDenied', message: 'Access Denied', $fault: 'client', $metadata: { httpStatusCode: 403, requestId: 'req-1', attempts: 1 }, HostId: 'host' });
      expect(bucket.arrived).toHaveLength(1);
    });

    it('retries throttling (SlowDown) and a 500, then succeeds', async () => {
      bucket.script.push(() => xmlError(503, 'SlowDown', 'Please reduce your request rate.'), () => xmlError(500, 'InternalError'));
      await store.put('attachments/x/a.txt', Buffer.from('hello'), 'text/plain');
      expect(sent()).toEqual(['PUT', 'PUT', 'PUT']);
      expect(bucket.objects.get('attachments/x/a.txt')?.body.toString()).toBe('hello');
    });

    it('gives up after three attempts at a 500, with the last error', async () => {
      for (let i = 0; i < 3; i += 1) bucket.script.push(() => xmlError(500, 'InternalError', 'We encountered an internal error.'));
      await expect(store.get('inbound/x')).rejects.toMatchObject({ name: 'InternalError', $fault: 'server', $metadata: { attempts: 3 } });
      expect(bucket.arrived).toHaveLength(3);
    });

    it('retries a connection cut before the answer', async () => {
      let cut = false;
      const flaky: typeof fetch = async (input, init) => {
        if (!cut) {
          cut = true;
          throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
        }
        return fetch(input, init);
      };
      const retrying = new HttpS3BlobStore('mail-bucket', { endpoint, region: 'ap-east-1', credentials, fetch: flaky });
      bucket.objects.set('inbound/x', { body: Buffer.from('raw') });
      expect((await retrying.get('inbound/x'))?.toString()).toBe('raw');
    });

    it('reports a wrong-region redirect as an error instead of following it', async () => {
      bucket.script.push(() => ({ ...xmlError(301, 'PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint.')!, headers: { 'content-type': 'application/xml', 'x-amz-bucket-region': 'eu-west-1' } }));
      await expect(store.get('inbound/x')).rejects.toMatchObject({ name: 'PermanentRedirect', $metadata: { httpStatusCode: 301 } });
      expect(bucket.arrived).toHaveLength(1);
    });
  });

  describe('putStream', () => {
    const pieces = function* (count: number, bytes: number): Generator<Buffer> {
      for (let i = 0; i < count; i += 1) yield Buffer.alloc(bytes, i + 1);
    };
    const whole = (count: number, bytes: number) => Buffer.concat([...pieces(count, bytes)]);

    it('sends a body under one part as a single PutObject with its type', async () => {
      await store.putStream('attachments/t/a.zip', pieces(3, 1000), 'application/zip');
      expect(sent()).toEqual(['PUT']);
      expect(bucket.objects.get('attachments/t/a.zip')).toEqual({ body: whole(3, 1000), contentType: 'application/zip' });
    });

    it('uploads 12 MiB as parts of 5, 5 and 2 MiB, then completes, in the same requests as lib-storage’s Upload', async () => {
      await store.putStream('attachments/t/big.bin', pieces(12, MiB), 'application/octet-stream');
      const ours = bucket.arrived.splice(0);
      await new Upload({ client: sdk, params: { Bucket: 'mail-bucket', Key: 'attachments/t/sdk.bin', Body: Readable.from(pieces(12, MiB)), ContentType: 'application/octet-stream' }, partSize: MULTIPART_PART_BYTES, queueSize: 1 }).done();
      const theirs = bucket.arrived.splice(0);
      const shape = (requests: Arrived[]) => requests.map(({ method, query, body }) => ({ method, query, bytes: query === 'partNumber,uploadId' ? body.length : undefined }));
      expect(shape(ours)).toEqual(shape(theirs));
      expect(shape(ours)).toEqual([
        { method: 'POST', query: 'uploads', bytes: undefined },
        { method: 'PUT', query: 'partNumber,uploadId', bytes: 5 * MiB },
        { method: 'PUT', query: 'partNumber,uploadId', bytes: 5 * MiB },
        { method: 'PUT', query: 'partNumber,uploadId', bytes: 2 * MiB },
        { method: 'POST', query: 'uploadId', bytes: undefined },
      ]);
      expect(ours[0]!.contentType).toBe('application/octet-stream');
      expect(ours.every(({ signatureValid, payloadHashValid }) => signatureValid && payloadHashValid)).toBe(true);
      expect(bucket.objects.get('attachments/t/big.bin')!.body.equals(whole(12, MiB))).toBe(true);
      expect(bucket.objects.get('attachments/t/big.bin')!.body.equals(bucket.objects.get('attachments/t/sdk.bin')!.body)).toBe(true);
      expect(bucket.uploads.size).toBe(0);
    });

    it('cuts pieces that straddle a part boundary, and uploads exactly one part for exactly 5 MiB plus a byte', async () => {
      const odd = function* () {
        yield Buffer.alloc(3 * MiB, 1);
        yield Buffer.alloc(2 * MiB + 1, 2);
      };
      await store.putStream('attachments/t/odd.bin', odd());
      expect(bucket.arrived.filter(({ query }) => query === 'partNumber,uploadId').map(({ body }) => body.length)).toEqual([5 * MiB, 1]);
      expect(bucket.objects.get('attachments/t/odd.bin')!.body.equals(Buffer.concat([...odd()]))).toBe(true);
    });

    it('retries a part that failed once, and completes', async () => {
      bucket.script.push(() => undefined, () => undefined, () => xmlError(500, 'InternalError'));
      await store.putStream('attachments/t/big.bin', pieces(12, MiB));
      expect(sent()).toEqual(['POST uploads', 'PUT partNumber,uploadId', 'PUT partNumber,uploadId', 'PUT partNumber,uploadId', 'PUT partNumber,uploadId', 'POST uploadId']);
      expect(bucket.objects.get('attachments/t/big.bin')!.body.equals(whole(12, MiB))).toBe(true);
    });

    it('aborts the upload when a part keeps failing, and fails itself without completing', async () => {
      bucket.script.push(() => undefined, () => undefined);
      for (let i = 0; i < 3; i += 1) bucket.script.push(() => xmlError(500, 'InternalError'));
      await expect(store.putStream('attachments/t/big.bin', pieces(12, MiB))).rejects.toMatchObject({ name: 'InternalError' });
      expect(sent()).toEqual(['POST uploads', 'PUT partNumber,uploadId', 'PUT partNumber,uploadId', 'PUT partNumber,uploadId', 'PUT partNumber,uploadId', 'DELETE uploadId']);
      expect(bucket.uploads.size).toBe(0);
      expect(bucket.objects.has('attachments/t/big.bin')).toBe(false);
    });

    it('aborts the upload when the pieces themselves fail midway', async () => {
      const failing = function* () {
        yield Buffer.alloc(6 * MiB, 1);
        throw new Error('mail bytes unreadable');
      };
      await expect(store.putStream('attachments/t/big.bin', failing())).rejects.toThrow('mail bytes unreadable');
      expect(sent()).toEqual(['POST uploads', 'PUT partNumber,uploadId', 'DELETE uploadId']);
      expect(bucket.uploads.size).toBe(0);
    });

    it('treats a completion answered 200 with an <Error> body as that error, and aborts', async () => {
      bucket.script.push(() => undefined, () => undefined, () => undefined, () => undefined, () => ({ status: 200, body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidPart</Code><Message>One or more of the specified parts could not be found.</Message></Error>' }));
      await expect(store.putStream('attachments/t/big.bin', pieces(12, MiB))).rejects.toMatchObject({ name: 'InvalidPart' });
      expect(sent().at(-1)).toBe('DELETE uploadId');
      expect(bucket.objects.has('attachments/t/big.bin')).toBe(false);
    });

    it('stores an empty body as an empty object', async () => {
      await store.putStream('attachments/t/empty.txt', pieces(0, 0), 'text/plain');
      expect(bucket.objects.get('attachments/t/empty.txt')).toEqual({ body: Buffer.alloc(0), contentType: 'text/plain' });
    });
  });
});

describe('HttpS3BlobStore on AWS', () => {
  const captured: Request[] = [];
  const capture: typeof fetch = async (input, init) => {
    captured.push(new Request(input, init));
    return new Response('raw', { status: 200 });
  };
  afterEach(() => {
    captured.length = 0;
  });

  it('addresses the bucket virtual-hosted in the Lambda environment’s region, with its credentials and session token', async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { AWS_REGION: 'ap-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' });
      await new HttpS3BlobStore('ticketline-mail-123', { fetch: capture }).get('inbound/abc def');
      await new HttpS3BlobStore('mail.example.com', { fetch: capture }).get('inbound/abc');
      await new HttpS3BlobStore('ticketline-mail-123', { fetch: capture, region: 'cn-north-1' }).get('inbound/abc');
    } finally {
      process.env = saved;
    }
    expect(captured.map((request) => request.url)).toEqual([
      'https://ticketline-mail-123.s3.ap-east-1.amazonaws.com/inbound/abc%20def',
      'https://s3.ap-east-1.amazonaws.com/mail.example.com/inbound/abc',
      'https://ticketline-mail-123.s3.cn-north-1.amazonaws.com.cn/inbound/abc',
    ]);
    expect(captured[0]!.headers.get('x-amz-security-token')).toBe('token');
    expect(captured[0]!.headers.get('authorization')).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-east-1\/s3\/aws4_request, /);
  });
});
