import { randomBytes } from 'node:crypto';
import { ATTACHMENTS_PREFIX, UPLOADS_PREFIX } from '../config/mail-bucket.js';
import type { AttachmentRef } from '../domain/ticket.js';
import {
  AGENT_UPLOADS_PER_HOUR,
  carriesTestSignature,
  checkDeclaredUpload,
  classifyUpload,
  CUSTOMER_UPLOADS_PER_HOUR,
  MAX_REPLY_ATTACHMENT_BYTES,
  MAX_UPLOAD_BYTES,
  STATUS_PAGE_FORM_SECONDS,
  STATUS_PAGE_UPLOAD_CEILING_BYTES,
  UPLOAD_FORM_SECONDS,
  uploadName,
  type UploadRefusal,
} from '../domain/uploads.js';
import type { UploadForm } from '../contract/agent-api.js';
import type { Runtime } from './context.js';
import { ConflictError, RateLimitedError, ValidationError } from './errors.js';
import { sha256Hex } from './inbound-fields.js';
import { rateWindow, secondsLeftInHour } from '../domain/expiry.js';

/**
 * Files added to a ticket by upload (shared/domain/uploads.ts says what is taken):
 *
 *   browser ── POST …/uploads {name, size} ──► form()      rate limit, declared name/size checked,
 *      │                                                    upload form for uploads/<no>/<id>/<name>
 *      └── multipart POST straight to the blob store ──►   S3 (or /uploads/ locally) holds it to
 *                                                           that key, type and size
 *   reply {attachments: [id]} ──► collect()   reads each pending file, types it by its bytes, hashes
 *                                              it, checks the test signature, copies it to
 *                                              attachments/<no>/<upload id>/<name>
 *                                              ──► the reply's notice carries the refs (MIME parts)
 *                                 refused?  ──► discard()   the reply's change was refused (a guard, an
 *                                              illegal transition, an outage): its copies go again
 *
 * The copy's key names the upload, not only the content: no other reply ever refers to it, so a
 * refused reply can remove its copies without breaking an earlier one that sent the same file.
 *
 * A pending upload never reaches a customer or an agent: only `collect` turns it into an
 * attachment, and the bucket's lifecycle rule removes `uploads/` after a day.
 */

/** Who is uploading: an agent (rate-limited per agent) or the customer through the status link (per ticket). */
export type Uploader = { kind: 'agent'; agentId: string } | { kind: 'customer' };

const RATE_WINDOW_TTL_HOURS = 2;
/** S3 (and the local stand-in) put the uploaded file's own name in place of this in a key. */
const FILENAME_PLACEHOLDER = '${filename}';

function pendingPrefix(ticketNo: string, uploadId: string): string {
  return `${UPLOADS_PREFIX}${ticketNo}/${uploadId}/`;
}

const REFUSAL_TEXT: Record<UploadRefusal, string> = {
  empty: 'the file is empty',
  'too-large': `larger than ${MAX_UPLOAD_BYTES} bytes`,
  'type-not-allowed': 'this type of file is not accepted',
  'type-mismatch': "the file's content does not match its name",
  'too-many-files': 'too many files',
  'total-too-large': `the files together are larger than ${MAX_REPLY_ATTACHMENT_BYTES} bytes`,
};

function refused(field: string, refusal: UploadRefusal): ValidationError {
  return new ValidationError(`upload refused: ${refusal}`, [{ field, message: REFUSAL_TEXT[refusal], code: `upload-${refusal}`, params: { maxBytes: MAX_UPLOAD_BYTES } }]);
}

/** One collected file: kept (maybe flagged), or refused and why. */
export type CollectedUpload = { uploadId: string; ref: AttachmentRef } | { uploadId: string; refusal: UploadRefusal | 'missing' };

export class UploadService {
  constructor(private readonly runtime: Runtime) {}

  /**
   * An upload form for one file of a ticket. With a known name (the console), the name and size are
   * checked first and the form only takes that size and that type; without one (the status page's
   * plain HTML form, which cannot know the file before it is picked) the form takes any one file up
   * to `STATUS_PAGE_UPLOAD_CEILING_BYTES` under its own name, and `collect` judges it.
   *
   * An agent's form is counted against their hourly allowance. The status page's is not: every view
   * of the page signs one (no table write: a view only reads), and the file is counted when it
   * comes back to join the ticket ({@link admitCustomerFile}).
   */
  async form(ticketNo: string, uploader: Uploader, file?: { name: string; size: number }, redirect?: string): Promise<UploadForm> {
    const blobs = this.runtime.mailBlobs;
    if (!blobs.uploadForm) throw new ConflictError('this deployment takes no uploads', { code: 'uploads-unavailable' });
    let name = FILENAME_PLACEHOLDER;
    let contentType: string | undefined;
    let maxBytes = STATUS_PAGE_UPLOAD_CEILING_BYTES;
    if (file) {
      const declared = checkDeclaredUpload(file);
      if (!declared.ok) throw refused(declared.refusal === 'type-not-allowed' ? 'name' : 'size', declared.refusal);
      name = uploadName(file.name);
      contentType = declared.type;
      maxBytes = file.size;
    }
    if (uploader.kind === 'agent') await this.limit(`uploads:agent:${uploader.agentId}`, AGENT_UPLOADS_PER_HOUR);
    const uploadId = randomBytes(18).toString('base64url');
    const key = `${pendingPrefix(ticketNo, uploadId)}${name}`;
    const seconds = uploader.kind === 'customer' ? STATUS_PAGE_FORM_SECONDS : UPLOAD_FORM_SECONDS;
    const form = await blobs.uploadForm.call(blobs, key, { ...(contentType ? { contentType } : {}), maxBytes, ...(redirect ? { redirect: redirect.replace('{uploadId}', uploadId) } : {}) }, seconds);
    // The form expires by the real clock that signs it (S3 checks the policy's time), not the desk clock.
    const expiresAt = new Date(Date.now() + seconds * 1000).toISOString();
    return { uploadId, url: form.url, fields: form.fields, contentType: contentType ?? 'application/octet-stream', maxBytes, expiresAt };
  }

  /**
   * Turns uploaded files into attachments of the ticket: each read back, typed by its bytes and
   * name, hashed and stored under `attachments/<no>/<upload id>/<name>`. A file carrying the test
   * signature is flagged `virus` and its bytes are not kept (as inbound mail's files are).
   */
  async collect(ticketNo: string, uploadIds: readonly string[], only?: { key: string }): Promise<CollectedUpload[]> {
    const blobs = this.runtime.mailBlobs;
    const out: CollectedUpload[] = [];
    for (const uploadId of uploadIds) {
      const prefix = pendingPrefix(ticketNo, uploadId);
      const key = only?.key.startsWith(prefix) ? only.key : (await blobs.list?.call(blobs, prefix))?.[0];
      const bytes = key ? await blobs.get(key) : undefined;
      if (!key || !bytes) {
        out.push({ uploadId, refusal: 'missing' });
        continue;
      }
      const name = uploadName(key.slice(prefix.length));
      const verdict = classifyUpload(name, bytes);
      if (!verdict.ok) {
        out.push({ uploadId, refusal: verdict.refusal });
        continue;
      }
      const sha256 = sha256Hex(bytes);
      const ref: AttachmentRef = { name, contentType: verdict.type, size: bytes.length, sha256, flags: [] };
      if (carriesTestSignature(bytes)) {
        ref.flags.push('virus');
      } else {
        ref.storageKey = `${ATTACHMENTS_PREFIX}${ticketNo}/${uploadId}/${name}`;
        await blobs.put(ref.storageKey, bytes, verdict.type);
      }
      out.push({ uploadId, ref });
    }
    return out;
  }

  /**
   * Every file posted with one upload form, by key: the status page's form takes a file under its
   * own name, so a customer who goes back and sends another with the same page has two.
   */
  async pendingKeys(ticketNo: string, uploadId: string): Promise<string[]> {
    const blobs = this.runtime.mailBlobs;
    return (await blobs.list?.call(blobs, pendingPrefix(ticketNo, uploadId))) ?? [];
  }

  /**
   * An agent's files for a reply: all of them usable, or the reply is refused before anything is
   * sent (a missing, mistyped or flagged file is the agent's to fix, never silently dropped).
   */
  async forReply(ticketNo: string, uploadIds: readonly string[]): Promise<AttachmentRef[]> {
    if (uploadIds.length === 0) return [];
    const collected = await this.collect(ticketNo, uploadIds);
    const refs: AttachmentRef[] = [];
    collected.forEach((file, index) => {
      if ('refusal' in file) {
        if (file.refusal === 'missing') throw new ValidationError('upload not found', [{ field: `attachments.${index}`, message: 'no uploaded file under this id (expired or never sent)', code: 'upload-missing' }]);
        throw refused(`attachments.${index}`, file.refusal);
      }
      if (file.ref.flags.includes('virus')) throw new ConflictError(`attachment ${file.ref.name} was flagged as malware`, { code: 'attachment-infected' });
      refs.push(file.ref);
    });
    if (refs.reduce((sum, ref) => sum + ref.size, 0) > MAX_REPLY_ATTACHMENT_BYTES) throw refused('attachments', 'total-too-large');
    return refs;
  }

  /**
   * Removes the copies `collect` made for a change that was then refused, so no object under
   * attachments/ is left that no message refers to. Best effort: a copy that cannot be removed now
   * stays (an orphan costs storage, not correctness).
   */
  async discard(ticketNo: string, refs: readonly AttachmentRef[]): Promise<number> {
    const blobs = this.runtime.mailBlobs;
    if (!blobs.delete) return 0;
    let removed = 0;
    for (const ref of refs) {
      // Only a copy this service made for this ticket (attachments/<no>/<upload id>/<name>).
      if (!ref.storageKey?.startsWith(`${ATTACHMENTS_PREFIX}${ticketNo}/`)) continue;
      const removedOne = await blobs.delete.call(blobs, ref.storageKey).then(
        () => true,
        () => false,
      );
      if (removedOne) removed += 1;
    }
    return removed;
  }

  /**
   * Counts one file coming back from the status page's form before it is read: one status link adds
   * at most `CUSTOMER_UPLOADS_PER_HOUR` files an hour, whatever becomes of them.
   */
  async admitCustomerFile(ticketNo: string): Promise<void> {
    await this.limit(`uploads:ticket:${ticketNo}`, CUSTOMER_UPLOADS_PER_HOUR);
  }

  /** Uploads are free to sign but not to fill: an agent's forms, and the files one status link adds, are bounded per hour. */
  private async limit(what: string, max: number): Promise<void> {
    const now = this.runtime.clock.now();
    const { hour, expiresAt } = rateWindow(now, RATE_WINDOW_TTL_HOURS);
    const count = await this.runtime.store.countInHour(what, hour, expiresAt);
    if (count > max) throw new RateLimitedError(`more than ${max} uploads this hour`, secondsLeftInHour(now), 'uploads');
  }
}

/**
 * Files the customer added through the status page in the hour before `now`, from the ticket's
 * messages (which the page reads anyway): whether to offer the form at all, at no extra cost.
 */
export function statusPageFilesSince(messages: ReadonlyArray<{ at: string; flags: readonly string[] }>, now: Date): number {
  const since = new Date(now.getTime() - 3600_000).toISOString();
  return messages.filter((message) => message.at >= since && message.flags.includes('status-page') && message.flags.includes('file')).length;
}
