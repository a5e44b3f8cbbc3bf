import type { BlobStore } from '../services/context.js';
import type { S3BlobStore } from './s3-blob-store.js';

/**
 * The mail bucket for a function that reads it rarely (the notifier: only a reply with files).
 * The S3 client's code is evaluated on first use, not at cold start, so the acknowledgement path
 * pays nothing for it.
 */
export function lazyS3BlobStore(bucket: string): BlobStore {
  let store: Promise<S3BlobStore> | undefined;
  const open = () => (store ??= import('./s3-blob-store.js').then((module) => module.s3BlobStore(bucket)));
  return {
    put: async (key, body, contentType) => (await open()).put(key, body, contentType),
    putStream: async (key, pieces, contentType) => (await open()).putStream(key, pieces, contentType),
    get: async (key) => (await open()).get(key),
  };
}
