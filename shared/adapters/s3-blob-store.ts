import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { Readable } from 'node:stream';
import type { BlobStore, UploadRules } from '../services/context.js';
import { MULTIPART_PART_BYTES } from './s3-parts.js';


/** Raw mail, attachments and reports in S3. Its own module, so functions without S3 never load the S3 client. */
export class S3BlobStore implements BlobStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Buffer | string, contentType?: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  /**
   * A multipart upload through lib-storage's `Upload`, fed piece by piece: at most one 5 MiB part
   * is held at a time. Bodies under one part go up as a single PutObject. A failed upload is
   * aborted (no parts left behind; the bucket's lifecycle rule sweeps any that a crash leaves).
   */
  async putStream(key: string, pieces: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, contentType?: string): Promise<void> {
    // Loaded on the first large attachment: most mail has none.
    const { Upload } = await import('@aws-sdk/lib-storage');
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: Readable.from(pieces, { objectMode: false }), ContentType: contentType },
      partSize: MULTIPART_PART_BYTES,
      queueSize: 1,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!result.Body) return undefined;
      // A view on the SDK's bytes, not a copy: raw mail can be 25 MB.
      const bytes = await result.Body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  /** A presigned GetObject for one object; S3 answers with the given type and disposition, whatever was stored. */
  async downloadUrl(key: string, serving: { contentType: string; disposition: string }, expiresInSeconds: number): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentType: serving.contentType, ResponseContentDisposition: serving.disposition, ResponseCacheControl: 'private, no-store' });
    return getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
  }

  /**
   * A presigned POST policy for one key: S3 itself refuses another key, another `Content-Type`
   * (every field is an exact condition of the policy), or a file outside 1..`maxBytes` bytes
   * (`content-length-range`), before anything is stored. A key ending in `${filename}` takes the
   * uploaded file's own name under its fixed prefix.
   */
  async uploadForm(key: string, rules: UploadRules, expiresInSeconds: number): Promise<{ url: string; fields: Record<string, string> }> {
    const fields: Record<string, string> = { 'Cache-Control': 'private, no-store' };
    if (rules.contentType) fields['Content-Type'] = rules.contentType;
    if (rules.redirect) fields.success_action_redirect = rules.redirect;
    return createPresignedPost(this.client, { Bucket: this.bucket, Key: key, Fields: fields, Conditions: [['content-length-range', 1, rules.maxBytes]], Expires: expiresInSeconds });
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
      token = page.NextContinuationToken;
    } while (token);
    return keys.sort();
  }
}

let shared: S3Client | undefined;
/** A bucket through one S3 client shared by both buckets of a function (an `awsRuntime` part). */
export function s3BlobStore(bucket: string): S3BlobStore {
  shared ??= new S3Client({});
  return new S3BlobStore(shared, bucket);
}
