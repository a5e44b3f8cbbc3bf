import { localDateParts } from '../../domain/calendar.js';
import { toE164 } from '../../domain/contact.js';
import { ZONE_NAMES_ZH } from '../../domain/sla.js';
import type { Language, Ticket } from '../../domain/ticket.js';
import { expectedResolution } from '../timer-deps.js';
import { isServable } from '../../domain/attachments.js';
import type { TextChannel, TextLink } from './index.js';

/**
 * SMS: to a customer who left only a phone number (AWS End User Messaging SMS on AWS, the outbox
 * locally), the acknowledgement, and any notice that carries files (an agent's reply, plan or
 * request for information): a short text with a short-lived link to the status page, which shows
 * the desk's words and lets the customer download the files. Other notices to a phone-only
 * customer wait for an agent's call.
 */
export const smsChannel = {
  name: 'sms',
  reach(notification, ticket) {
    if ((notification.kind !== 'acknowledgement' && !(notification.attachments ?? []).some(isServable)) || !ticket.customer.phone) return undefined;
    const to = toE164(ticket.customer.phone);
    return to ? { to } : { skip: 'phone-number-not-dialable' };
  },
  text(_notification, ticket, config, link?: TextLink) {
    if (link) return linkSms(ticket, config.desk.name[ticket.language], link, config.calendar.timeZone);
    return acknowledgementSms(ticket, config.desk.name[ticket.language], {
      firstResponse: new Date(ticket.firstResponseDueAt),
      // The same promise the mailed acknowledgement makes, where the policy gives one.
      resolution: expectedResolution(ticket, config, { planCounts: false }),
      timeZone: config.calendar.timeZone,
    });
  },
} as const satisfies TextChannel<'sms'>;

/**
 * The most segments an acknowledgement may take. Each segment is billed as one message, and a
 * text of three or more arrives late or in pieces on some handsets.
 */
export const SMS_SEGMENT_LIMIT = 2;

/** The characters of the GSM 03.38 default alphabet (one septet each) and its extension table (two each). */
const GSM_BASIC = new Set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà");
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

/**
 * How a text travels as SMS: in the GSM 7-bit alphabet when every character is in it (160
 * septets in one message, 153 per segment of a longer one), else in UCS-2 (70 UTF-16 units,
 * 67 per segment). The carriers' rule, written out rather than taken from a package: it is the
 * whole of what the desk needs, and the notifier's bundle stays as it is.
 *
 * @example
 * smsSegments('Ticket CS20240520001 received'); // { encoding: 'gsm-7', units: 29, segments: 1 }
 * smsSegments('已收到您的请求');                // { encoding: 'ucs-2', units: 7, segments: 1 }
 */
export function smsSegments(text: string): { encoding: 'gsm-7' | 'ucs-2'; units: number; segments: number } {
  let septets = 0;
  for (const character of text) {
    if (GSM_BASIC.has(character)) septets += 1;
    else if (GSM_EXTENSION.has(character)) septets += 2;
    else {
      const units = text.length;
      return { encoding: 'ucs-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
    }
  }
  return { encoding: 'gsm-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A due time in few characters: day, month and time, with the year only when it is not the ticket's own. */
function shortDueTime(due: Date, language: Language, timeZone: string, sameYearAs: number): string {
  const p = localDateParts(due, timeZone);
  const time = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  const year = p.year === sameYearAs ? '' : String(p.year);
  return language === 'en' ? `${p.day} ${EN_MONTHS[p.month - 1]}${year ? ` ${year}` : ''} ${time}` : `${year ? `${year}年` : ''}${p.month}月${p.day}日 ${time}`;
}

/**
 * The SMS acknowledgement: the desk, the ticket number, when the first answer is due and, where
 * the policy promises one, when the request should be resolved; never the customer's words.
 * Within {@link SMS_SEGMENT_LIMIT} segments: the resolution time goes in when it fits, the English
 * hint to quote the ticket number only when it adds no segment, and a desk name too long for the
 * rest is shortened.
 */
export function acknowledgementSms(
  ticket: Pick<Ticket, 'ticketNo' | 'language' | 'createdAt'>,
  deskName: string,
  due: { firstResponse: Date; resolution?: Date; timeZone: string },
): string {
  const year = localDateParts(new Date(ticket.createdAt), due.timeZone).year;
  const first = shortDueTime(due.firstResponse, ticket.language, due.timeZone, year);
  const resolution = due.resolution ? shortDueTime(due.resolution, ticket.language, due.timeZone, year) : undefined;
  const compose = (desk: string, withResolution: boolean, withHint: boolean): string =>
    ticket.language === 'en'
      ? `${desk}: we have your request, ticket ${ticket.ticketNo}. First response by ${first}${withResolution && resolution ? `, resolution expected by ${resolution}` : ''} (${due.timeZone}).${withHint ? ' Quote the ticket number when you contact us.' : ''}`
      : `【${desk}】已收到您的请求，工单号 ${ticket.ticketNo}，将于${first}前首次回复${withResolution && resolution ? `，预计${resolution}前解决` : ''}（${ZONE_NAMES_ZH[due.timeZone] ?? due.timeZone}）。`;
  const fits = (text: string) => smsSegments(text).segments <= SMS_SEGMENT_LIMIT;
  const withResolution = resolution !== undefined && fits(compose(deskName, true, false));
  const plain = compose(deskName, withResolution, false);
  if (fits(plain)) {
    const hinted = compose(deskName, withResolution, true);
    return ticket.language === 'en' && smsSegments(hinted).segments === smsSegments(plain).segments ? hinted : plain;
  }
  // A desk name long enough to break the limit on its own is cut, never the ticket number or the time.
  return compose(shortenedDeskName(deskName, (desk) => fits(compose(desk, false, false))), false, false);
}

/**
 * The desk name cut, one character at a time and marked with `…`, until the text it goes into
 * fits; at its shortest one character and the mark, whether or not that fits.
 */
function shortenedDeskName(deskName: string, fitsWith: (desk: string) => boolean): string {
  let desk = [...deskName];
  while (desk.length > 1 && !fitsWith(`${desk.join('')}…`)) desk = desk.slice(0, -1);
  return `${desk.join('')}…`;
}

/**
 * The text that carries files: the desk, the ticket number, how many files, until when the link
 * works, and the link (a short status link, shared/domain/survey.ts); never the customer's words
 * nor the agent's. Within {@link SMS_SEGMENT_LIMIT} segments where it can be: the expiry goes first,
 * then the desk name is shortened; the link and the ticket number are never cut.
 */
export function linkSms(ticket: Pick<Ticket, 'ticketNo' | 'language' | 'createdAt'>, deskName: string, link: TextLink, timeZone: string): string {
  const year = localDateParts(new Date(ticket.createdAt), timeZone).year;
  const until = shortDueTime(link.expiresAt, ticket.language, timeZone, year);
  const compose = (desk: string, withExpiry: boolean): string =>
    ticket.language === 'en'
      ? `${desk}: ticket ${ticket.ticketNo}: we sent you ${link.files === 1 ? 'a file' : `${link.files} files`} with our message. Open${withExpiry ? ` by ${until}` : ''}: ${link.url}`
      : `【${desk}】工单${ticket.ticketNo}有新留言和${link.files}个文件，${withExpiry ? `${until}前可查看` : '请查看'}：${link.url}`;
  const fits = (text: string) => smsSegments(text).segments <= SMS_SEGMENT_LIMIT;
  if (fits(compose(deskName, true))) return compose(deskName, true);
  const desk = shortenedDeskName(deskName, (shortened) => fits(compose(shortened, true)));
  if (fits(compose(desk, true))) return compose(desk, true);
  // A base URL so long the link alone breaks the limit: the link still goes, in one more segment.
  return compose(desk, false);
}
