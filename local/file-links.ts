import { createHmac, timingSafeEqual } from 'node:crypto';
import type { BlobStore } from '../shared/services/context.js';

/**
 * The local stand-in for S3's presigned downloads: `/files/<token>` links signed with a key of the
 * data folder, each naming one blob, its type, its disposition and its expiry. The local runtime
 * serves them (`serveFileLink`); a link that is forged, altered or expired answers 404.
 */
interface Claims {
  k: string;
  t: string;
  d: string;
  e: number;
}

export class LocalFileLinks {
  constructor(
    private readonly secret: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  sign(key: string, serving: { contentType: string; disposition: string }, expiresInSeconds: number): string {
    const claims: Claims = { k: key, t: serving.contentType, d: serving.disposition, e: Math.floor(this.now().getTime() / 1000) + expiresInSeconds };
    const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    return `/files/${payload}.${this.mac(payload)}`;
  }

  verify(token: string): { key: string; contentType: string; disposition: string } | undefined {
    const [payload, mac] = token.split('.');
    if (!payload || !mac) return undefined;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
      if (typeof claims.k !== 'string' || typeof claims.e !== 'number' || claims.e < this.now().getTime() / 1000) return undefined;
      return { key: claims.k, contentType: String(claims.t), disposition: String(claims.d) };
    } catch {
      return undefined;
    }
  }

  /** The blob store with downloads through these links. */
  withLinks(store: BlobStore): BlobStore {
    return {
      put: (key, body, contentType) => store.put(key, body, contentType),
      get: (key) => store.get(key),
      ...(store.list ? { list: (prefix: string) => (store.list as NonNullable<BlobStore['list']>).call(store, prefix) } : {}),
      downloadUrl: async (key, serving, expiresInSeconds) => this.sign(key, serving, expiresInSeconds),
    };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(`file-link:${payload}`).digest('base64url');
  }
}

/** Headers of a served file: never sniffed, never run, never cached by a shared cache. */
export function fileHeaders(serving: { contentType: string; disposition: string }, length: number): Record<string, string> {
  return {
    'content-type': serving.contentType,
    'content-disposition': serving.disposition,
    'content-length': String(length),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; img-src 'self'; sandbox",
    'cache-control': 'private, no-store',
  };
}
