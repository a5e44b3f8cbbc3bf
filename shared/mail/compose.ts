import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { isPlausibleAddress, isValidMessageId, splitAddress, TICKET_NO, UNSAFE_CHAR } from './addresses.js';

export { isPlausibleAddress, isValidMessageId, ticketNoFromPlusAddress } from './addresses.js';

/**
 * Builds the raw RFC 5322 message for every mail the desk sends (SES SendRawEmail and the local
 * outbox take the same bytes). Everything that reaches a header is checked or cleaned here, because
 * values come from customers (names, subjects) and from earlier mail (message ids): a CR/LF that
 * slipped through would let a customer add a `Bcc:` to our own notice.
 */

export type AutoSubmitted = 'auto-replied' | 'auto-generated' | 'no';

export interface OutboundAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutboundMail {
  from: { name: string; address: string };
  to: string[];
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  /** Without angle brackets: `local@domain`. */
  messageId: string;
  /** Without angle brackets. An invalid id is dropped, never copied. */
  inReplyTo?: string;
  /** Without angle brackets, oldest first. Invalid ids are dropped, never copied. */
  references?: string[];
  /** RFC 3834. Anything but 'no' also asks Exchange/Outlook not to auto-respond. */
  autoSubmitted: AutoSubmitted;
  /** Extra headers (e.g. `X-Ticketline-Ticket`); the headers this module sets itself cannot be overridden. */
  headers?: Record<string, string>;
  date: Date;
  attachments?: OutboundAttachment[];
}

/** The mail cannot be built safely. `field` says which input; the offending value is left out on purpose (personal data). */
export class MailComposeError extends Error {
  override name = 'MailComposeError';
  readonly field: string;

  constructor(message: string, field: string, options?: { cause?: unknown }) {
    super(message, options);
    this.field = field;
  }
}

const UNSAFE_CHARS = new RegExp(UNSAFE_CHAR.source, 'gu');
const HEADER_NAME = /^[!-9;-~]+$/;
/** Headers this module owns: a caller-supplied header of these names could redirect or disguise the mail. */
const RESERVED_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'auto-submitted',
  'x-auto-response-suppress',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'return-path',
]);
const MAX_REFERENCES = 20;
const MAX_DISPLAY_NAME_CHARS = 100;

/** One line, no control characters, no surrounding or doubled white space. */
function headerText(value: string): string {
  return String(value).replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
}

/** A lone CR would survive the CRLF conversion below and is a bare CR on the wire. */
function lineBreaks(value: string): string {
  return String(value).replace(/\r\n?/g, '\n');
}

function address(value: string, field: string): string {
  // A stray space around a pasted address is harmless; anything else must already be right.
  const trimmed = typeof value === 'string' ? value.replace(/^ +| +$/g, '') : value;
  if (!isPlausibleAddress(trimmed)) throw new MailComposeError(`${field} is not a valid email address`, field);
  return trimmed;
}

function displayName(value: string): string {
  const chars = [...headerText(value)];
  return chars.slice(0, MAX_DISPLAY_NAME_CHARS).join('');
}

/** References keep the thread root and the most recent ids, as RFC 5322 suggests for long threads. */
function references(ids: readonly string[] | undefined): string[] {
  const valid = [...new Set((ids ?? []).filter(isValidMessageId))];
  return valid.length <= MAX_REFERENCES ? valid : [valid[0] as string, ...valid.slice(-(MAX_REFERENCES - 1))];
}

function customHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw new MailComposeError('custom header name is not a valid field name', `headers.${name.slice(0, 40)}`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw new MailComposeError(`header ${name} is set by composeMail and cannot be overridden`, `headers.${name}`);
    out[name] = headerText(value);
  }
  return out;
}

const CONTENT_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$/;

function attachment(a: OutboundAttachment, index: number): { filename: string; contentType: string; content: Buffer } {
  if (!Buffer.isBuffer(a.content)) throw new MailComposeError('attachment content must be a Buffer', `attachments[${index}].content`);
  const filename =
    [...headerText(a.filename).replace(/[/\\]/g, '_')]
      .slice(0, 200)
      .join('')
      .trim() || 'attachment';
  // An odd type from a customer's original file must not stop the mail; the bytes still go out.
  const contentType = CONTENT_TYPE.test(a.contentType) ? a.contentType.toLowerCase() : 'application/octet-stream';
  return { filename, contentType, content: a.content };
}

/**
 * Builds the raw MIME bytes of an outbound mail.
 *
 * @throws MailComposeError for an invalid address, message id, date or custom header
 * @example
 * const raw = await composeMail({
 *   from: { name: 'Ticketline 客服中心', address: 'support@support.example.com' },
 *   to: ['zhang@example.com'],
 *   replyTo: buildReplyToAddress('support@support.example.com', 'CS20240520001'),
 *   subject: '[CS20240520001] 我们已收到您的请求',
 *   text, html,
 *   messageId: 'CS20240520001.ack.1@support.example.com',
 *   inReplyTo: customerMessageId,
 *   references: [customerMessageId],
 *   autoSubmitted: 'auto-replied',
 *   date: now,
 * });
 */
export async function composeMail(input: OutboundMail): Promise<Buffer> {
  if (!Array.isArray(input.to) || input.to.length === 0) throw new MailComposeError('at least one recipient is required', 'to');
  const to: string[] = [];
  input.to.forEach((value, i) => {
    const a = address(value, `to[${i}]`);
    if (!to.some((seen) => seen.toLowerCase() === a.toLowerCase())) to.push(a);
  });
  const from = { name: displayName(input.from.name), address: address(input.from.address, 'from.address') };
  const replyTo = input.replyTo === undefined ? undefined : address(input.replyTo, 'replyTo');
  if (!isValidMessageId(input.messageId)) throw new MailComposeError('messageId must be local@domain without angle brackets', 'messageId');
  if (!(input.date instanceof Date) || Number.isNaN(input.date.getTime())) throw new MailComposeError('date must be a valid Date', 'date');
  if (!['auto-replied', 'auto-generated', 'no'].includes(input.autoSubmitted)) throw new MailComposeError('autoSubmitted must be auto-replied, auto-generated or no', 'autoSubmitted');

  const inReplyTo = input.inReplyTo !== undefined && isValidMessageId(input.inReplyTo) ? input.inReplyTo : undefined;
  const refs = references(input.references);
  const headers: Record<string, string> = { ...customHeaders(input.headers) };
  if (input.autoSubmitted !== 'no') {
    headers['Auto-Submitted'] = input.autoSubmitted;
    headers['X-Auto-Response-Suppress'] = 'All';
  }

  const composer = new MailComposer({
    from,
    to: to.map((a) => ({ name: '', address: a })),
    ...(replyTo === undefined ? {} : { replyTo: { name: '', address: replyTo } }),
    subject: headerText(input.subject),
    messageId: `<${input.messageId}>`,
    ...(inReplyTo === undefined ? {} : { inReplyTo: `<${inReplyTo}>` }),
    ...(refs.length === 0 ? {} : { references: refs.map((id) => `<${id}>`) }),
    date: input.date,
    headers,
    text: lineBreaks(input.text),
    ...(input.html === undefined ? {} : { html: lineBreaks(input.html) }),
    attachments: (input.attachments ?? []).map(attachment),
    // Content is always given inline; never let a value be read as a file path or fetched as a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    // RFC 5322 wants CRLF everywhere; bare LFs from agent text would otherwise reach the wire.
    newline: 'windows',
  });
  try {
    return await composer.compile().build();
  } catch (cause) {
    throw new MailComposeError('the MIME message could not be built', 'message', { cause });
  }
}

/**
 * The Reply-To of a ticket's mail: the support address plus-addressed with the ticket number, so a
 * reply finds its ticket even when the customer's mail client drops the subject and the thread ids.
 *
 * @throws MailComposeError when the support address or ticket number is invalid
 * @example
 * buildReplyToAddress('support@support.example.com', 'CS20240520001'); // 'support+CS20240520001@support.example.com'
 */
export function buildReplyToAddress(supportAddress: string, ticketNo: string): string {
  const support = address(supportAddress, 'supportAddress');
  if (!TICKET_NO.test(ticketNo)) throw new MailComposeError('ticketNo must be CS followed by at least 11 digits', 'ticketNo');
  const { local, domain } = splitAddress(support) as { local: string; domain: string };
  const base = local.split('+')[0] ?? local;
  const result = `${base}+${ticketNo.toUpperCase()}@${domain}`;
  if (!isPlausibleAddress(result)) throw new MailComposeError('the plus address would be too long', 'supportAddress');
  return result;
}
