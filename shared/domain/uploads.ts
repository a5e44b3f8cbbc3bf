/**
 * Files people add to a ticket by upload: an agent's attachments to a reply, a customer's on the
 * status page. The browser sends the bytes straight to the blob store through a short-lived upload
 * form (S3 presigned POST; locally a signed `/uploads/` link) that only accepts one key, one
 * declared type and at most `MAX_UPLOAD_BYTES`. Nothing the browser declared is trusted after
 * that: the file's type is read from its first bytes and its name's extension, and must be one of
 * `UPLOAD_TYPES`; HTML, SVG, scripts and executables are refused whatever they are called.
 *
 * Sizes come from the mail we send: SES takes at most 10 MB of raw MIME per message (SendRawEmail)
 * and base64 grows a file by a third, so a reply carries at most `MAX_REPLY_ATTACHMENT_BYTES`.
 */

/** Largest single file, for agents and customers alike. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** Files on one reply or one status-page post. */
export const MAX_FILES_PER_MESSAGE = 5;
/** All files of one reply together: 7 MB becomes about 9.5 MB of base64, under SES's 10 MB. */
export const MAX_REPLY_ATTACHMENT_BYTES = 7 * 1024 * 1024;
/** How long an upload form works: long enough for a slow phone upload, too short to share. */
export const UPLOAD_FORM_SECONDS = 900;
/** Files one status link may add in an hour (a customer adding screenshots, not a flood). */
export const CUSTOMER_UPLOADS_PER_HOUR = 20;
/**
 * What the status page's form lets the blob store take. A refusal by S3 itself is an XML error page
 * the customer cannot act on (a plain form post to S3 has no redirect on error), so the store takes
 * up to four times the limit and the desk refuses a file over `MAX_UPLOAD_BYTES` on its own page,
 * in the customer's language. Such a file never joins the ticket; `uploads/` expires after a day.
 */
export const STATUS_PAGE_UPLOAD_CEILING_BYTES = 4 * MAX_UPLOAD_BYTES;
/**
 * How long the status page's form works: a customer may read the page a while before picking a
 * file, and an expired form is again S3's XML page. Each view signs a fresh one.
 */
export const STATUS_PAGE_FORM_SECONDS = 3600;
/** Upload forms one agent may ask for in an hour. */
export const AGENT_UPLOADS_PER_HOUR = 200;
/** Longest file name kept (characters). */
export const MAX_UPLOAD_NAME_CHARS = 120;

/** What a file may be, by content; `extensions` are the names it may carry (lower case, without the dot). */
const UPLOAD_TYPES = {
  'image/png': { extensions: ['png'] },
  'image/jpeg': { extensions: ['jpg', 'jpeg'] },
  'image/gif': { extensions: ['gif'] },
  'image/webp': { extensions: ['webp'] },
  'application/pdf': { extensions: ['pdf'] },
  'text/plain': { extensions: ['txt', 'log', 'csv'] },
  'application/zip': { extensions: ['zip'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { extensions: ['docx'] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { extensions: ['xlsx'] },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { extensions: ['pptx'] },
} as const satisfies Record<string, { extensions: readonly string[] }>;
export type UploadType = keyof typeof UPLOAD_TYPES;
const UPLOAD_TYPE_NAMES = Object.keys(UPLOAD_TYPES) as UploadType[];

export type UploadRefusal = 'empty' | 'too-large' | 'type-not-allowed' | 'type-mismatch' | 'too-many-files' | 'total-too-large';

/**
 * A file name fit to keep, serve and mail: no path (anything up to the last `/` or `\` goes), no
 * control or bidirectional-override characters, no leading dots, at most `MAX_UPLOAD_NAME_CHARS`
 * characters with its extension kept.
 *
 * @example
 * uploadName('../../etc/passwd'); // 'passwd'
 * uploadName('C:\\fakepath\\屏幕截图.png'); // '屏幕截图.png'
 */
export function uploadName(raw: string): string {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = [...base]
    // eslint-disable-next-line no-control-regex
    .filter((char) => !/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(char))
    .join('')
    .replace(/["<>:|?*]/g, '_')
    .trim()
    .replace(/^\.+/, '');
  const chars = [...cleaned];
  if (chars.length <= MAX_UPLOAD_NAME_CHARS) return cleaned || 'file';
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return chars.slice(0, MAX_UPLOAD_NAME_CHARS - [...extension].length).join('') + extension;
}

/** The lower-case extension of a name, without the dot ('' when it has none). */
function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The upload type a name's extension claims, if it is one we take. */
function typeForName(name: string): UploadType | undefined {
  const extension = extensionOf(name);
  return UPLOAD_TYPE_NAMES.find((type) => (UPLOAD_TYPES[type].extensions as readonly string[]).includes(extension));
}

/** Checks what the browser says it will send, before an upload form is handed out. */
export function checkDeclaredUpload(file: { name: string; size: number }): { ok: true; type: UploadType } | { ok: false; refusal: UploadRefusal } {
  if (!Number.isInteger(file.size) || file.size < 1) return { ok: false, refusal: 'empty' };
  if (file.size > MAX_UPLOAD_BYTES) return { ok: false, refusal: 'too-large' };
  const type = typeForName(uploadName(file.name));
  return type ? { ok: true, type } : { ok: false, refusal: 'type-not-allowed' };
}

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0): boolean => signature.every((byte, index) => bytes[offset + index] === byte);
const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

/**
 * The type a file's first bytes show, among the types we take; undefined for anything else.
 * Text must be valid UTF-8 without NUL bytes and must not open like markup (`<`): an `.txt` that
 * is an HTML page is not text.
 */
export function sniffUploadType(bytes: Uint8Array): 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'application/pdf' | 'application/zip' | 'text/plain' | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'application/zip';
  return isPlainText(bytes) ? 'text/plain' : undefined;
}

function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  const start = text.replace(/^\uFEFF/, '').trimStart();
  return !start.startsWith('<');
}

/**
 * What a stored upload is: the type its bytes and its name agree on, or why it is refused. Office
 * documents are zip files: a `.docx` must start like a zip, and is kept under its Office type.
 *
 * @example
 * classifyUpload('shot.png', pngBytes); // { ok: true, type: 'image/png' }
 * classifyUpload('shot.png', htmlBytes); // { ok: false, refusal: 'type-mismatch' }
 */
export function classifyUpload(name: string, bytes: Uint8Array): { ok: true; type: UploadType } | { ok: false; refusal: UploadRefusal } {
  if (bytes.length === 0) return { ok: false, refusal: 'empty' };
  if (bytes.length > MAX_UPLOAD_BYTES) return { ok: false, refusal: 'too-large' };
  const claimed = typeForName(name);
  if (!claimed) return { ok: false, refusal: 'type-not-allowed' };
  const sniffed = sniffUploadType(bytes);
  const agrees = sniffed === claimed || (sniffed === 'application/zip' && claimed.startsWith('application/vnd.openxmlformats-officedocument.'));
  return agrees ? { ok: true, type: claimed } : { ok: false, refusal: 'type-mismatch' };
}

/**
 * The built-in malware check: the EICAR anti-virus test file, which every scanner must flag, so
 * an operator can see the withholding path work end to end. It is not a virus scanner; see
 * docs/security.md for what real scanning on AWS would add.
 */
export function carriesTestSignature(bytes: Uint8Array): boolean {
  if (bytes.length > 64 * 1024) return false;
  return new TextDecoder('latin1').decode(bytes).includes('EICAR-STANDARD-ANTIVIRUS-TEST-FILE');
}
