import { useState } from 'react';
import type { AttachmentLink } from '../../../shared/contract/agent-api.js';
import type { Attachment, TimelineMessage } from '../api.js';
import { useSession } from '../context.js';
import { useI18n } from '../i18n.js';
import { errorText } from '../words.js';

/**
 * One attachment of a message: its name (as text) and a button that asks the API for a
 * short-lived link. Images are previewed in an <img> (a browser runs nothing in one); every other
 * file downloads, served as octet-stream with the name escaped by the server, never opened inline.
 */
export function AttachmentFile(props: { ticketNo: string; message: TimelineMessage; attachment: Attachment; index: number }) {
  const { api } = useSession();
  const { language } = useI18n();
  const en = language === 'en';
  const [preview, setPreview] = useState<AttachmentLink>();
  const [error, setError] = useState<string>();
  const stored = !props.attachment.flags.includes('too-large');

  const open = async () => {
    setError(undefined);
    try {
      const link = await api.request<AttachmentLink>('GET', `/tickets/${encodeURIComponent(props.ticketNo)}/messages/${encodeURIComponent(props.message.messageId)}/attachments/${props.index}`);
      if (link.inline) {
        setPreview(link);
        return;
      }
      const anchor = document.createElement('a');
      anchor.href = link.url;
      anchor.download = link.name;
      anchor.rel = 'noopener';
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
    } catch (cause) {
      setError(errorText(cause, language));
    }
  };

  return (
    <span className="attachment-file" data-attachment={props.attachment.name}>
      <span>{props.attachment.name}</span>{' '}
      {stored && (
        <button type="button" className="link" onClick={() => void open()}>
          {props.attachment.contentType.startsWith('image/') ? (en ? 'View' : '查看') : en ? 'Download' : '下载'}
          <span className="visually-hidden"> {props.attachment.name}</span>
        </button>
      )}
      {preview && (
        <span className="preview">
          <img src={preview.url} alt={preview.name} loading="lazy" />
        </span>
      )}
      {error && <span role="alert" className="error"> {error}</span>}
    </span>
  );
}
