import type { AttachmentRef } from '../domain/ticket.js';
import type { MailAttachment } from '../mail/parse.js';
import type { BlobStore } from './context.js';
import { safeContentType, safeFileName, sha256Hex } from './inbound-fields.js';

/** References kept on one message; a mail with more keeps them all in its raw copy. */
const MAX_ATTACHMENT_REFS = 100;

export interface StoredAttachments {
  refs: AttachmentRef[];
  /** At least one attachment was over the size budget and was not stored. */
  tooLarge: boolean;
  /** More attachments than `MAX_ATTACHMENT_REFS`; the rest are only in the raw mail. */
  truncated: boolean;
}

/**
 * Stores a mail's attachments in the mail bucket under `<prefix>/<sha256>/<file name>`, before the
 * message that points to them is written, so no ticket ever references a missing file. The keys
 * depend only on the content, so a retried mail writes the same objects again.
 * Over-budget attachments are listed with the flag `too-large`; with `virus` none is stored at all
 * (the raw mail stays in the bucket for whoever investigates), so nothing infected can be served.
 *
 * @example
 * const { refs } = await storeAttachments(runtime.mailBlobs, 'attachments/3f2a...', mail.attachments, { virus: false });
 */
export async function storeAttachments(blobs: BlobStore, prefix: string, attachments: MailAttachment[], options: { virus: boolean }): Promise<StoredAttachments> {
  const refs: AttachmentRef[] = [];
  let tooLarge = false;
  for (const attachment of attachments.slice(0, MAX_ATTACHMENT_REFS)) {
    const name = safeFileName(attachment.filename);
    const contentType = safeContentType(attachment.contentType);
    const flags: AttachmentRef['flags'] = attachment.inline ? ['inline'] : [];
    const ref: AttachmentRef = { name, contentType, size: attachment.size, sha256: attachment.sha256, flags };
    if (options.virus) {
      flags.push('virus');
    } else if (attachment.tooLarge) {
      flags.push('too-large');
      tooLarge = true;
    } else {
      ref.storageKey = `${prefix}/${attachment.sha256}/${name}`;
      // A large attachment streams from the mail's bytes: its whole decoded copy is never made.
      if (attachment.chunks && blobs.putStream) await blobs.putStream(ref.storageKey, attachment.chunks(), contentType);
      else await blobs.put(ref.storageKey, attachment.content, contentType);
    }
    refs.push(ref);
  }
  return { refs, tooLarge, truncated: attachments.length > MAX_ATTACHMENT_REFS };
}

/** Keeps a text too long for a table item as a file next to the attachments, so nothing the customer wrote is cut off. */
export async function storeFullText(blobs: BlobStore, prefix: string, text: string): Promise<AttachmentRef> {
  const body = Buffer.from(text, 'utf8');
  const sha256 = sha256Hex(body);
  const storageKey = `${prefix}/${sha256}/full-text.txt`;
  await blobs.put(storageKey, body, 'text/plain; charset=utf-8');
  return { name: 'full-text.txt', contentType: 'text/plain', size: body.length, sha256, storageKey, flags: [] };
}
