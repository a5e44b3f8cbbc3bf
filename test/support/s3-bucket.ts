import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small server that answers as S3's REST API does, for the requests the blob stores send
 * (PutObject, GetObject, DeleteObject, the multipart upload's Create/UploadPart/Complete/Abort),
 * with objects and uploads in memory. There is no S3 Local here. Like S3, it refuses a request
 * whose signature is not the one the SDK's own signer (@smithy/signature-v4) computes for the
 * request as it arrived (`SignatureDoesNotMatch`), or whose `x-amz-content-sha256` is not its
 * body's (`XAmzContentSHA256Mismatch`). It records what arrived, and answers from `script` first
 * (failures, throttling) when a test scripts it.
 */

export const S3_TEST_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' };

/** node:crypto as the hash @smithy/signature-v4 asks for, so tests compute the reference signature. */
export class Sha256 {
  private readonly hash;
  constructor(secret?: unknown) {
    this.hash = secret ? createHmac('sha256', secret as Uint8Array) : createHash('sha256');
  }
  update(data: string | Uint8Array) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

export interface Arrived {
  method: string;
  /** The key, decoded from the path. */
  key: string;
  /** Query parameter names, sorted (`uploads`, `partNumber,uploadId`), without the SDK's `x-id`. */
  query: string;
  contentType: string | undefined;
  body: Buffer;
  /** The Authorization's signature equals the SDK signer's for the request as it arrived. */
  signatureValid: boolean;
  /** `x-amz-content-sha256` is the body's hash (or the SDK's unsigned/streaming markers). */
  payloadHashValid: boolean;
}

export type Answer = { status: number; body?: string | Buffer; headers?: Record<string, string> } | undefined;

export const xmlError = (status: number, code: string, message = code): Answer => ({
  status,
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>req-1</RequestId><HostId>host</HostId></Error>`,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'req-1' },
});

/** What a signer given the request as it arrived computes, with the headers the request says it signed. */
async function expectedSignature(request: IncomingMessage, body: Buffer): Promise<string | undefined> {
  const authorization = request.headers.authorization ?? '';
  const match = /Credential=[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})/.exec(authorization);
  if (!match) return undefined;
  const [, , region, service, signedHeaders] = match;
  const url = new URL(request.url!, 'http://local');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders!.split(';')) headers[name] = String(request.headers[name] ?? '');
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const date = String(request.headers['x-amz-date']);
  const signingDate = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
  const reference = await new SignatureV4({ service: service!, region: region!, credentials: S3_TEST_CREDENTIALS, sha256: Sha256, uriEscapePath: false, applyChecksum: false }).sign(
    { method: request.method!, protocol: 'http:', hostname: headers.host ?? '', path: url.pathname, query, headers, body },
    { signingDate, unsignableHeaders: new Set(Object.keys(request.headers).filter((name) => !headers[name])) },
  );
  return /Signature=([0-9a-f]{64})/.exec(String(reference.headers.authorization))?.[1];
}

/** An in-memory bucket that answers like S3's REST API for the requests the blob stores send. */
export function s3Server() {
  const objects = new Map<string, { body: Buffer; contentType?: string }>();
  const uploads = new Map<string, { key: string; contentType?: string; parts: Map<number, Buffer> }>();
  const arrived: Arrived[] = [];
  /** Scripted answers, taken in order before the bucket answers itself; undefined lets it answer. */
  const script: Array<(request: Arrived) => Answer> = [];
  let uploadCount = 0;

  const answerFor = (request: Arrived, search: URLSearchParams): Answer => {
    const key = request.key;
    if (request.method === 'POST' && search.has('uploads')) {
      const id = `upload-${(uploadCount += 1)}`;
      uploads.set(id, { key, contentType: request.contentType, parts: new Map() });
      return { status: 200, body: `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>mail-bucket</Bucket><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>` };
    }
    const uploadId = search.get('uploadId');
    if (uploadId !== null) {
      const upload = uploads.get(uploadId);
      if (!upload || upload.key !== key) return xmlError(404, 'NoSuchUpload');
      if (request.method === 'PUT') {
        const number = Number(search.get('partNumber'));
        upload.parts.set(number, request.body);
        return { status: 200, headers: { etag: `"${createHash('md5').update(request.body).digest('hex')}"` } };
      }
      if (request.method === 'DELETE') {
        uploads.delete(uploadId);
        return { status: 204 };
      }
      // CompleteMultipartUpload: the parts named in the body, in order, with their ETags.
      const named = [...request.body.toString('utf8').matchAll(/<Part><ETag>([^<]*)<\/ETag><PartNumber>(\d+)<\/PartNumber><\/Part>/g)].map(([, etag, number]) => ({ etag: etag!.replace(/&quot;/g, '"'), number: Number(number) }));
      const bodies = named.map(({ etag, number }) => {
        const part = upload.parts.get(number);
        return part && `"${createHash('md5').update(part).digest('hex')}"` === etag ? part : undefined;
      });
      if (named.length === 0 || bodies.some((body) => !body)) return xmlError(400, 'InvalidPart');
      objects.set(key, { body: Buffer.concat(bodies as Buffer[]), contentType: upload.contentType });
      uploads.delete(uploadId);
      return { status: 200, body: `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult><Key>${key}</Key><ETag>"whole"</ETag></CompleteMultipartUploadResult>` };
    }
    if (request.method === 'PUT') {
      objects.set(key, { body: request.body, contentType: request.contentType });
      return { status: 200, headers: { etag: '"x"' } };
    }
    if (request.method === 'GET') {
      const object = objects.get(key);
      if (!object) return xmlError(404, 'NoSuchKey', 'The specified key does not exist.');
      return { status: 200, body: object.body, headers: { 'content-type': object.contentType ?? 'binary/octet-stream' } };
    }
    if (request.method === 'DELETE') {
      objects.delete(key);
      return { status: 204 };
    }
    return xmlError(405, 'MethodNotAllowed');
  };

  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(request.url!, 'http://local');
    const [, bucket, ...rest] = url.pathname.split('/');
    const hash = request.headers['x-amz-content-sha256'];
    const entry: Arrived = {
      method: request.method!,
      key: bucket === 'mail-bucket' ? rest.map(decodeURIComponent).join('/') : `!wrong bucket ${bucket}`,
      // `x-id` is the SDK's name of the operation, which S3 ignores.
      query: [...url.searchParams.keys()].filter((name) => name !== 'x-id').sort().join(','),
      contentType: request.headers['content-type'],
      body,
      signatureValid: (await expectedSignature(request, body)) === /Signature=([0-9a-f]{64})/.exec(request.headers.authorization ?? '')?.[1],
      payloadHashValid: hash === createHash('sha256').update(body).digest('hex') || hash === 'UNSIGNED-PAYLOAD' || String(hash).startsWith('STREAMING-'),
    };
    arrived.push(entry);
    // As S3 does: a request whose signature or payload hash does not check out is refused.
    const refusal = !entry.signatureValid ? xmlError(403, 'SignatureDoesNotMatch') : !entry.payloadHashValid ? xmlError(400, 'XAmzContentSHA256Mismatch') : undefined;
    const answer = refusal ?? script.shift()?.(entry) ?? answerFor(entry, url.searchParams);
    response.writeHead(answer!.status, answer!.headers ?? {}).end(answer!.body);
  });

  return { server, objects, uploads, arrived, script };
}

/** Starts a bucket on a free local port; `endpoint` addresses it path style (bucket `mail-bucket`). */
export async function startS3Bucket(): Promise<ReturnType<typeof s3Server> & { endpoint: string; close: () => Promise<void> }> {
  const bucket = s3Server();
  bucket.server.listen(0, '127.0.0.1');
  await once(bucket.server, 'listening');
  const endpoint = `http://127.0.0.1:${(bucket.server.address() as AddressInfo).port}`;
  return { ...bucket, endpoint, close: () => new Promise<void>((resolve) => bucket.server.close(() => resolve())) };
}
