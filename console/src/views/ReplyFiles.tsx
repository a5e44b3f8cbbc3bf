import { useRef } from 'react';
import type { ApiClient } from '../api.js';
import { useI18n } from '../i18n.js';
import { errorText } from '../words.js';

/** One file chosen for a reply: uploading, uploaded (with its upload id) or refused (with why). */
export interface ReplyFile {
  key: string;
  name: string;
  size: number;
  state: 'uploading' | 'ready' | 'failed';
  uploadId?: string;
  error?: string;
}

/** The same limits the API holds files to (shared/domain/uploads.ts), told before choosing. */
const MAX_FILES = 5;
const ACCEPT = '.png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,.log,.csv,.zip,.docx,.xlsx,.pptx';

function sizeText(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Files attached to what mails the customer: a reply, a plan, a request for information. Each file
 * uploads as soon as it is chosen (straight to the blob store, through an upload form from the
 * API), so a refused type or size shows at once; the mail is sent with the upload ids of the ready
 * files and the server checks each again before mailing it.
 */
export function ReplyFiles(props: { api: ApiClient; ticketNo: string; files: ReplyFile[]; onChange: (update: (files: ReplyFile[]) => ReplyFile[]) => void }) {
  const { language } = useI18n();
  const en = language === 'en';
  const input = useRef<HTMLInputElement | null>(null);

  const add = (chosen: FileList | null) => {
    for (const file of [...(chosen ?? [])].slice(0, Math.max(0, MAX_FILES - props.files.length))) {
      const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
      props.onChange((files) => [...files, { key, name: file.name, size: file.size, state: 'uploading' }]);
      props.api
        .uploadFile(props.ticketNo, file)
        .then((uploadId) => props.onChange((files) => files.map((entry) => (entry.key === key ? { ...entry, state: 'ready', uploadId } : entry))))
        .catch((cause: unknown) => props.onChange((files) => files.map((entry) => (entry.key === key ? { ...entry, state: 'failed', error: errorText(cause, language) } : entry))));
    }
    if (input.current) input.current.value = '';
  };

  return (
    <div className="field reply-files">
      <label htmlFor="reply-files">{en ? 'Attach files' : '添加附件'}</label>
      <input id="reply-files" ref={input} type="file" multiple accept={ACCEPT} disabled={props.files.length >= MAX_FILES} aria-describedby="reply-files-hint" onChange={(event) => add(event.target.files)} />
      <p id="reply-files-hint" className="hint small">
        {en ? 'Up to 5 files, 5 MB each, 7 MB together: images, PDF, text, zip, Office.' : '最多 5 个文件，每个不超过 5 MB，合计不超过 7 MB：图片、PDF、文本、zip、Office 文件。'}
      </p>
      {props.files.length > 0 && (
        <ul className="files" aria-live="polite">
          {props.files.map((file) => (
            <li key={file.key} data-upload-state={file.state}>
              <span>{file.name}</span> <span className="small">({sizeText(file.size)})</span>{' '}
              {file.state === 'uploading' && <span className="small">{en ? 'uploading…' : '上传中…'}</span>}
              {file.state === 'ready' && <span className="small">{en ? 'ready' : '已上传'}</span>}
              {file.state === 'failed' && <span role="alert" className="error">{file.error}</span>}{' '}
              <button type="button" className="link" onClick={() => props.onChange((files) => files.filter((entry) => entry.key !== file.key))}>
                {en ? 'Remove' : '移除'}
                <span className="visually-hidden"> {file.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The file picker, or why there is none. Files go by mail; to a customer who left only a phone
 * number, as a text message with a short-lived link to their status page (the message and the
 * files are there); to a customer with neither, not at all.
 */
export function FilesOrWhyNot(props: Parameters<typeof ReplyFiles>[0] & { reach: 'mail' | 'text' | 'none' }) {
  const { language } = useI18n();
  const { reach, ...picker } = props;
  const en = language === 'en';
  if (reach === 'none') {
    return <p className="hint small" data-no-files>{en ? 'No files: this customer left neither a mail address nor a mobile number, so nothing can carry them. Phone them.' : '无法添加附件：该客户既未留邮箱也未留手机号，附件无法送达。请致电客户。'}</p>;
  }
  return (
    <>
      {reach === 'text' && (
        <p className="hint small" data-files-by-text>
          {en
            ? 'This customer left no mail address: with files, they get a text message with a link to their status page, where they can read this message and download the files (the link works for 3 days).'
            : '该客户未留邮箱：添加附件后，客户会收到一条短信，内含工单进度页链接，可在页面上查看本条留言并下载附件（链接 3 天内有效）。'}
        </p>
      )}
      <ReplyFiles {...picker} />
    </>
  );
}
