import type { AttachmentRef } from './ticket.js';

/**
 * How a stored file is handed to a browser. Nothing a customer or agent uploaded is ever served as
 * something a browser would run or render as a page: raster images open inline (the console
 * previews them), everything else downloads as `application/octet-stream` under its (escaped)
 * name. SVG is not a raster image: it can carry script, so it downloads too.
 */

/** Image types a browser renders without running anything. */
const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** How long a download link works: long enough to click, too short to forward usefully. */
export const DOWNLOAD_LINK_SECONDS = 300;

export interface FileServing {
  contentType: string;
  inline: boolean;
  /** A `Content-Disposition` value with the name escaped for the header (RFC 6266 / RFC 8187). */
  disposition: string;
}

/**
 * @example
 * servingOf({ name: 'bill "Q1".pdf', contentType: 'application/pdf' });
 * // { contentType: 'application/octet-stream', inline: false, disposition: 'attachment; filename="bill _Q1_.pdf"; filename*=UTF-8\'\'bill%20%22Q1%22.pdf' }
 */
export function servingOf(file: Pick<AttachmentRef, 'name' | 'contentType'>): FileServing {
  const type = file.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const inline = (INLINE_IMAGE_TYPES as readonly string[]).includes(type);
  return { contentType: inline ? type : 'application/octet-stream', inline, disposition: contentDisposition(inline ? 'inline' : 'attachment', file.name) };
}

/** A header-safe `Content-Disposition`: an ASCII fallback name without quotes or controls, and the exact name percent-encoded. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const cleaned = [...name].filter((char) => char >= ' ' && char !== '\u007f').join('').trim() || 'file';
  const ascii = cleaned.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;%]/g, '_');
  const encoded = encodeURIComponent(cleaned).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Whether a file may be handed out at all: stored, and not flagged as a virus. */
export function isServable(file: Pick<AttachmentRef, 'storageKey' | 'flags'>): boolean {
  return file.storageKey !== undefined && !file.flags.includes('virus');
}
