import { useState } from 'react';
import type { Attachment, TicketDetail, TimelineEvent, TimelineMessage } from '../api.js';
import { useNames } from '../context.js';
import { useI18n } from '../i18n.js';
import { eventSentence, formatWhen, isAutomatic, kindOf, messageHeading } from '../words.js';

type TimelineItem = { at: string; key: string; message?: TimelineMessage; event?: TimelineEvent };

/** Messages and events in one list, oldest first (`newestFirst` reverses it). */
export function timelineOf(detail: Pick<TicketDetail, 'messages' | 'events'>, newestFirst = false): TimelineItem[] {
  const items: TimelineItem[] = [
    ...detail.messages.map((message) => ({ at: message.at, key: `m-${message.messageId}`, message })),
    ...detail.events.map((event) => ({ at: event.at, key: `e-${event.eventId}`, event })),
  ];
  items.sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
  return newestFirst ? items.reverse() : items;
}

function AttachmentList(props: { attachments: Attachment[] | undefined; ticketNo: string; messageId: string; renderFile?: (attachment: Attachment, index: number) => React.ReactNode }) {
  const { t, language } = useI18n();
  // Virus-flagged files are never offered, not even by name.
  const safe = (props.attachments ?? []).map((attachment, index) => ({ attachment, index })).filter(({ attachment }) => !(attachment.flags ?? []).includes('virus'));
  const withheld = (props.attachments ?? []).length - safe.length;
  if (safe.length === 0 && withheld === 0) return null;
  return (
    <div className="attachments">
      <span className="muted">{t.attachments}:</span>
      <ul>
        {safe.map(({ attachment, index }) => (
          <li key={`${attachment.name}-${index}`}>
            {props.renderFile ? props.renderFile(attachment, index) : attachment.name}{' '}
            <span className="muted">({Math.max(1, Math.ceil(attachment.size / 1024))} KB{(attachment.flags ?? []).includes('too-large') ? (language === 'en' ? ', too large, not kept' : '，过大未保存') : ''})</span>
          </li>
        ))}
        {withheld > 0 && <li className="muted">{language === 'en' ? `${withheld} file(s) withheld: flagged as a virus` : `${withheld} 个文件因疑似病毒已隔离`}</li>}
      </ul>
    </div>
  );
}

const ORDER_KEY = 'ticketline.timeline.newestFirst';

/**
 * The ticket's story in plain sentences in the UI language: what the customer wrote and what we
 * wrote in full, automatic mails folded to one line, every event as a sentence. Newest first by
 * choice (kept in the browser).
 */
export function Timeline(props: { detail: TicketDetail; renderFile?: (message: TimelineMessage, attachment: Attachment, index: number) => React.ReactNode }) {
  const { language } = useI18n();
  const [newestFirst, setNewestFirst] = useState(() => localStorage.getItem(ORDER_KEY) === 'true');
  const names = useNames();
  const en = language === 'en';
  const when = (at: string) => formatWhen(at, language);
  const toggle = () => {
    localStorage.setItem(ORDER_KEY, String(!newestFirst));
    setNewestFirst(!newestFirst);
  };
  return (
    <>
      <p className="timeline-order">
        <button type="button" className="link" onClick={toggle} aria-pressed={newestFirst}>
          {en ? 'Newest first' : '最新在前'}
        </button>
      </p>
      <ol className="timeline" data-order={newestFirst ? 'newest-first' : 'oldest-first'}>
        {timelineOf(props.detail, newestFirst).map((item) => {
          if (item.event) {
            return (
              <li key={item.key} className="event" data-kind={item.event.kind}>
                <p className="meta"><time dateTime={item.at}>{when(item.at)}</time></p>
                <p className="sentence">{eventSentence(item.event, language, names)}</p>
              </li>
            );
          }
          const message = item.message!;
          const heading = messageHeading(message, language, names);
          if (isAutomatic(message)) {
            return (
              <li key={item.key} className={`msg ${message.direction} automatic`} data-notice={kindOf(message)}>
                <details>
                  <summary><span className="meta"><time dateTime={item.at}>{when(item.at)}</time></span> {heading}</summary>
                  {message.subject && <p className="msg-subject">{message.subject}</p>}
                  <p className="text">{message.text}</p>
                </details>
              </li>
            );
          }
          return (
            <li key={item.key} className={`msg ${message.direction}`} data-notice={message.direction === 'outbound' ? kindOf(message) : undefined}>
              <p className="meta"><strong>{heading}</strong> · <time dateTime={item.at}>{when(item.at)}</time></p>
              {message.subject && message.direction === 'inbound' && <p className="msg-subject">{message.subject}</p>}
              <p className="text">{message.text}</p>
              <AttachmentList attachments={message.attachments} ticketNo={props.detail.ticket.ticketNo} messageId={message.messageId} renderFile={props.renderFile ? (attachment, index) => props.renderFile?.(message, attachment, index) : undefined} />
            </li>
          );
        })}
      </ol>
    </>
  );
}
