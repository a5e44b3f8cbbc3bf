import { createHmac, timingSafeEqual } from 'node:crypto';
import { uploadName } from '../shared/domain/uploads.js';
import type { BlobStore, UploadRules } from '../shared/services/context.js';

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

  /**
   * The local stand-in for an S3 presigned POST: `/uploads/<token>` takes one multipart file for
   * one key, of one type, of 1..maxBytes bytes, until it expires (the local runtime checks it all).
   */
  signUpload(key: string, rules: UploadRules, expiresInSeconds: number): { url: string; fields: Record<string, string> } {
    const claims: UploadClaims = { k: key, t: rules.contentType ?? '', m: rules.maxBytes, e: Math.floor(this.now().getTime() / 1000) + expiresInSeconds, ...(rules.redirect ? { r: rules.redirect } : {}) };
    const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    const fields: Record<string, string> = { key };
    if (rules.contentType) fields['Content-Type'] = rules.contentType;
    if (rules.redirect) fields.success_action_redirect = rules.redirect;
    return { url: `/uploads/${payload}.${this.mac(payload, 'upload-form')}`, fields };
  }

  verifyUpload(token: string): { key: string; contentType: string; maxBytes: number; redirect?: string } | undefined {
    const [payload, mac] = token.split('.');
    if (!payload || !mac) return undefined;
    const expected = Buffer.from(this.mac(payload, 'upload-form'));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as UploadClaims;
      if (typeof claims.k !== 'string' || typeof claims.m !== 'number' || typeof claims.e !== 'number' || claims.e < this.now().getTime() / 1000) return undefined;
      return { key: claims.k, contentType: typeof claims.t === 'string' ? claims.t : '', maxBytes: claims.m, ...(typeof claims.r === 'string' ? { redirect: claims.r } : {}) };
    } catch {
      return undefined;
    }
  }

  /** The blob store with downloads and uploads through these links. */
  withLinks(store: BlobStore): BlobStore {
    return {
      put: (key, body, contentType) => store.put(key, body, contentType),
      get: (key) => store.get(key),
      ...(store.list ? { list: (prefix: string) => (store.list as NonNullable<BlobStore['list']>).call(store, prefix) } : {}),
      ...(store.delete ? { delete: (key: string) => (store.delete as NonNullable<BlobStore['delete']>).call(store, key) } : {}),
      downloadUrl: async (key, serving, expiresInSeconds) => this.sign(key, serving, expiresInSeconds),
      uploadForm: async (key, rules, expiresInSeconds) => this.signUpload(key, rules, expiresInSeconds),
    };
  }

  private mac(payload: string, purpose = 'file-link'): string {
    return createHmac('sha256', this.secret).update(`${purpose}:${payload}`).digest('base64url');
  }
}

interface UploadClaims {
  k: string;
  t: string;
  m: number;
  e: number;
  r?: string;
}

/**
 * Reads one upload form post as S3 would: the form's `key` and `Content-Type` must be the signed
 * ones and the file 1..maxBytes bytes. Answers the file, or why it is refused (S3's error codes).
 */
export async function readUploadPost(
  body: Buffer,
  contentType: string,
  rules: { key: string; contentType: string; maxBytes: number },
): Promise<{ ok: true; bytes: Buffer; key: string } | { ok: false; status: number; code: string }> {
  let form: FormData;
  try {
    form = await new Request('http://local/upload', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
  } catch {
    return { ok: false, status: 400, code: 'MalformedPOSTRequest' };
  }
  if (form.get('key') !== rules.key || (rules.contentType !== '' && form.get('Content-Type') !== rules.contentType)) return { ok: false, status: 403, code: 'AccessDenied' };
  const file = form.get('file');
  if (!file || typeof file === 'string') return { ok: false, status: 400, code: 'InvalidArgument' };
  if (file.size < 1) return { ok: false, status: 400, code: 'EntityTooSmall' };
  if (file.size > rules.maxBytes) return { ok: false, status: 400, code: 'EntityTooLarge' };
  // As S3 does: `${filename}` in the key becomes the name the browser sent (made safe for a folder path here).
  const name = uploadName(file.name);
  const key = rules.key.endsWith('${filename}') ? rules.key.slice(0, -'${filename}'.length) + name : rules.key;
  return { ok: true, bytes: Buffer.from(await file.arrayBuffer()), key };
}

/**
 * Where a refused upload of a page's form sends the browser: the page it came from (the form's
 * signed redirect), told why instead of which file, so the customer reads a sentence in their
 * language, not the store's error document. (S3 cannot do this: a presigned POST only redirects
 * on success, so on AWS the status page's form lets S3 take files up to four times the limit and
 * the desk refuses them on its own page.)
 */
export function uploadRefusalRedirect(redirect: string, code: string): string {
  const back = new URL(redirect);
  back.searchParams.delete('upload');
  back.searchParams.set('refused', code);
  return back.toString();
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
