import { createHash } from 'node:crypto';
import type { BlobStore } from '../services/context.js';
import { AwsServiceError, sendSigned, signingRegion, type SigningOptions } from './signed-http.js';
import { MULTIPART_PART_BYTES } from './s3-parts.js';

/**
 * The mail bucket of inbound-email over S3's REST protocol, signed by aws4fetch through
 * `sendSigned` (./signed-http.ts): the SDK's S3 client with `@smithy/core` was about 370 KB of the
 * function's bundle (goal 600 KB) for the six requests it sends (docs/performance.md,
 * "inbound-email, round six"). Every other function keeps the SDK's `S3BlobStore`
 * (./s3-blob-store.ts), which also presigns links and upload forms.
 *
 * What it sends:
 * - `get`: GetObject; a missing key (`NoSuchKey`) is `undefined`;
 * - `put`: PutObject with its type;
 * - `putStream`: like lib-storage's `Upload` with one part in flight: pieces fill one 5 MiB part
 *   at a time; a body under one part is a single PutObject; otherwise CreateMultipartUpload,
 *   UploadPart per part, CompleteMultipartUpload; any failure (a part, the pieces themselves,
 *   the completion) aborts the upload (AbortMultipartUpload) and fails;
 * - `delete`: DeleteObject.
 *
 * Like the SDK: virtual-hosted addressing (path style for dotted bucket names and local
 * endpoints), the payload's SHA-256 signed in `x-amz-content-sha256` (S3 refuses a body that does
 * not match it), the SDK's retries (./signed-http.ts), and errors named by S3's `<Code>` with
 * `$fault`, `$metadata` and the error's other fields; a CompleteMultipartUpload answered 200
 * with an `<Error>` body is that error.
 */


export interface HttpS3Options extends Partial<SigningOptions> {
  /** A local endpoint (a test server), addressed path style; otherwise the regional endpoint. */
  endpoint?: string;
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');
const sha256 = (body: Uint8Array) => createHash('sha256').update(body).digest('hex');

/** Bucket names with dots break TLS on `<bucket>.s3...`: the SDK addresses those path style, as here. */
const VIRTUAL_HOSTED = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * The key as a URL path, each segment percent-encoded as S3 (and its signature) expects. `.` and
 * `..` segments are refused: a URL would resolve them and address another key.
 */
function keyPath(key: string): string {
  const segments = key.split('/');
  if (key === '' || segments.some((segment) => segment === '.' || segment === '..')) throw new Error(`S3 key cannot be addressed: ${JSON.stringify(key)}`);
  return segments.map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlText(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (match, entity: string) => {
    if (entity[0] !== '#') return XML_ENTITIES[entity.toLowerCase()] ?? match;
    const code = entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : match;
  });
}

const escapeXml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The simple elements (no attributes, no children) directly inside S3's answer: `<Code>`,
 * `<Message>`, `<UploadId>`. S3's answers are small and flat; the pattern is linear.
 */
function xmlFields(xml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, name, value] of xml.matchAll(/<([A-Za-z][\w.-]{0,63})>([^<]*)<\/\1>/g)) fields[name!] ??= xmlText(value!);
  return fields;
}

/** S3's XML error answer (`<Error><Code>NoSuchKey</Code>...`) as the SDK's exception would carry it. */
async function s3Error(response: Response, attempts: number): Promise<AwsServiceError> {
  const text = await response.text();
  return errorFromXml(text, response.status, response.headers.get('x-amz-request-id') ?? undefined, attempts);
}

function errorFromXml(xml: string, status: number, requestId: string | undefined, attempts: number): AwsServiceError {
  const { Code: code, Message: message, RequestId: bodyRequestId, ...fields } = xmlFields(xml.slice(0, 64 * 1024));
  // An answer without a body (HEAD, some 5xx from the edge) is named by its status, as the SDK does.
  const name = code || (status === 404 ? 'NotFound' : status >= 500 ? 'InternalError' : `HTTP${status}`);
  return new AwsServiceError(name, message || `${name} (HTTP ${status})`, status, fields, requestId ?? bodyRequestId, attempts);
}

/** A whole S3 object body, as a Buffer that views fetch's bytes (raw mail can be 25 MB: no copy). */
const readBytes = async (response: Response): Promise<Buffer> => Buffer.from(await response.arrayBuffer());
const drain = async (response: Response): Promise<void> => void (await response.arrayBuffer());

export class HttpS3BlobStore implements BlobStore {
  private readonly options: SigningOptions;

  constructor(
    private readonly bucket: string,
    private readonly settings: HttpS3Options = {},
  ) {
    this.options = { ...settings, service: 's3' };
  }

  private url(key: string, query = ''): string {
    const path = keyPath(key);
    if (this.settings.endpoint) return `${this.settings.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(this.bucket)}/${path}${query}`;
    const region = signingRegion(this.options);
    const host = `s3.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
    return VIRTUAL_HOSTED.test(this.bucket) ? `https://${this.bucket}.${host}/${path}${query}` : `https://${host}/${this.bucket}/${path}${query}`;
  }

  private send<T>(method: string, key: string, query: string, read: (response: Response) => Promise<T>, body?: Uint8Array, headers: Record<string, string> = {}): Promise<T> {
    return sendSigned(this.options, { url: this.url(key, query), method, headers: { ...headers, 'x-amz-content-sha256': body ? sha256(body) : EMPTY_SHA256 }, body }, read, s3Error);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await this.send('GET', key, '', readBytes);
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async put(key: string, body: Buffer | string, contentType?: string): Promise<void> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    await this.send('PUT', key, '', drain, bytes, contentType ? { 'content-type': contentType } : {});
  }

  async delete(key: string): Promise<void> {
    await this.send('DELETE', key, '', drain);
  }

  /** See the module comment: at most one part (5 MiB) is held at a time. */
  async putStream(key: string, pieces: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, contentType?: string): Promise<void> {
    const part = Buffer.allocUnsafe(MULTIPART_PART_BYTES);
    let filled = 0;
    let uploadId: string | undefined;
    const etags: string[] = [];
    const typed: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    const uploadPart = async () => {
      const id = (uploadId ??= await this.send('POST', key, '?uploads', async (response) => {
        const created = xmlFields(await response.text()).UploadId;
        if (!created) throw new Error(`S3 answered CreateMultipartUpload for ${key} without an UploadId`);
        return created;
      }, undefined, typed));
      const number = etags.length + 1;
      const etag = await this.send('PUT', key, `?partNumber=${number}&uploadId=${encodeURIComponent(id)}`, async (response) => {
        await drain(response);
        return response.headers.get('etag');
      }, part.subarray(0, filled));
      if (!etag) throw new Error(`S3 answered UploadPart ${number} of ${key} without an ETag`);
      etags.push(etag);
      filled = 0;
    };
    try {
      for await (const piece of pieces) {
        for (let at = 0; at < piece.byteLength; ) {
          const taken = Math.min(piece.byteLength - at, MULTIPART_PART_BYTES - filled);
          part.set(piece.subarray(at, at + taken), filled);
          filled += taken;
          at += taken;
          if (filled === MULTIPART_PART_BYTES) await uploadPart();
        }
      }
      if (uploadId === undefined) {
        // Never reached a whole part: one PutObject, as lib-storage does.
        await this.send('PUT', key, '', drain, part.subarray(0, filled), typed);
        return;
      }
      if (filled > 0) await uploadPart();
      const parts = etags.map((etag, index) => `<Part><ETag>${escapeXml(etag)}</ETag><PartNumber>${index + 1}</PartNumber></Part>`).join('');
      const completion = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts}</CompleteMultipartUpload>`, 'utf8');
      await this.send('POST', key, `?uploadId=${encodeURIComponent(uploadId)}`, async (response) => {
        // S3 may answer 200 and report the failure in the body (the SDK reads it the same way); an
        // InternalError there is S3's own fault and worth the retry S3's documentation asks for.
        const text = await response.text();
        if (/<Error>/.test(text.slice(0, 512))) throw errorFromXml(text, /<Code>InternalError<\/Code>/.test(text) ? 500 : 400, response.headers.get('x-amz-request-id') ?? undefined, 1);
      }, completion, { 'content-type': 'application/xml' });
    } catch (error) {
      if (uploadId !== undefined) {
        // Best effort: a part left behind is swept by the bucket's lifecycle rule (7 days).
        await this.send('DELETE', key, `?uploadId=${encodeURIComponent(uploadId)}`, drain).catch(() => undefined);
      }
      throw error;
    }
  }
}

/** The mail bucket over signed HTTP (a `functionRuntime` part of inbound-email). */
export function httpS3BlobStore(bucket: string): BlobStore {
  return new HttpS3BlobStore(bucket);
}
