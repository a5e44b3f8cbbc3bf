import type { StatusNextStep } from '../../services/survey.js';
import type { Language } from '../../domain/ticket.js';
import { html, type SafeHtml } from '../escape.js';
import { page } from './layout.js';

/**
 * The customer's status page: where the ticket stands, what happens next and when, the
 * conversation (mail in and out, never internal notes), and a form to add information. No scripts.
 */

/** What the customer is told to expect next; the survey service decides it. */
export type NextStep = StatusNextStep;

export interface ConversationEntry {
  direction: 'inbound' | 'outbound';
  /** Already formatted for the customer. */
  at: string;
  text: string;
  /** Files of the message, by name; a withheld one was flagged as malware; `href` downloads one (through a fresh short-lived link). */
  files?: Array<{ name: string; withheld: boolean; href?: string }>;
}

/**
 * The file form: a plain multipart POST straight to the blob store (S3 presigned POST, or the local
 * runtime's /uploads/ link), which answers with a redirect back to this page. No script needed.
 */
export interface FileUploadForm {
  url: string;
  fields: Record<string, string>;
}

export interface StatusPageInput {
  language: Language;
  deskName: string;
  ticketNo: string;
  subject: string;
  statusLabel: string;
  nextStep: NextStep;
  conversation: ConversationEntry[];
  /** Path the form posts to (the same /status/{token}). */
  action: string;
  nonce: string;
  /** Set after a successful post. */
  added?: boolean;
  text?: string;
  errors?: Array<{ field: string; message: string; code?: string }>;
  /** Where a file can be added; absent when uploads are off or this link used its hourly allowance (`uploadLimited`). */
  upload?: FileUploadForm;
  uploadLimited?: boolean;
  /** A file was just added. */
  fileAdded?: boolean;
}

const TEXT = {
  'zh-CN': {
    title: '工单进度',
    ticketNo: '工单号',
    subject: '主题',
    status: '当前状态',
    next: '下一步',
    classifying: (at: string) => `我们正在确认问题类别，并会在 ${at} 之前首次回复您。`,
    firstResponse: (at: string) => `客服人员会在 ${at} 之前首次回复您。`,
    progress: (at: string) => `我们正在处理，下一次进展通知不晚于 ${at}。`,
    working: '我们正在处理您的问题，有进展会第一时间告知您。',
    workingBy: (at: string) => `我们正在处理，预计在 ${at} 之前给出处理方案。`,
    resolving: (at: string) => `我们正在处理，按照服务承诺预计在 ${at} 之前解决。`,
    waiting: '我们在等待您补充信息，请在下方填写：',
    resolved: '您的问题已解决。',
    resolvedUntil: (at: string) => `如问题仍未解决，请在 ${at} 之前在下方告诉我们，工单会重新打开。`,
    closed: (at: string) => `工单已于 ${at} 关闭。如仍需帮助，可在下方留言，我们会跟进。`,
    closedNoDate: '工单已关闭。如仍需帮助，可在下方留言，我们会跟进。',
    conversation: '沟通记录',
    you: '您',
    empty: '暂无记录。',
    add: '补充信息',
    addHint: '例如订单号、错误提示、操作步骤（最多 5000 字）',
    submit: '提交',
    added: '已收到您补充的信息，我们会尽快处理。',
    errorsTitle: '请修改以下内容后再提交：',
    textError: '请填写内容（最多 5000 字）',
    addFile: '添加文件',
    fileHint: '截图、照片、PDF、文本、zip 或 Office 文件，每个不超过 5 MB',
    uploadButton: '上传',
    fileAdded: '已收到您的文件。',
    fileLimit: '此链接本小时上传次数已达上限，请稍后再试，或直接回复邮件附上文件。',
    withheld: '（已隔离：疑似病毒）',
    fileErrors: {
      'upload-empty': '文件为空。',
      'upload-too-large': '文件超过 5 MB。',
      'upload-type-not-allowed': '不支持该类型的文件（可上传图片、PDF、文本、zip 和 Office 文件）。',
      'upload-type-mismatch': '文件内容与文件名不符，未保存。',
      'upload-missing': '文件未上传完成或已过期，请重新上传。',
      'upload-expired': '上传表单已过期，请重新选择文件上传。',
    } as Record<string, string>,
    fileErrorDefault: '文件未能保存，请重试。',
  },
  en: {
    title: 'Ticket status',
    ticketNo: 'Ticket number',
    subject: 'Subject',
    status: 'Status',
    next: 'What happens next',
    classifying: (at: string) => `We are confirming what kind of request this is and will answer by ${at}.`,
    firstResponse: (at: string) => `An agent will answer by ${at}.`,
    progress: (at: string) => `We are working on it; you will hear from us again by ${at}.`,
    working: 'We are working on your request and will let you know as soon as there is news.',
    workingBy: (at: string) => `We are working on it and expect to have a plan by ${at}.`,
    resolving: (at: string) => `We are working on it; under our service commitment it is resolved by ${at}.`,
    waiting: 'We are waiting for information from you; please add it below:',
    resolved: 'Your request has been resolved.',
    resolvedUntil: (at: string) => `If it is not solved, tell us below before ${at} and the ticket will be reopened.`,
    closed: (at: string) => `The ticket was closed on ${at}. If you still need help, write below and we will follow up.`,
    closedNoDate: 'The ticket is closed. If you still need help, write below and we will follow up.',
    conversation: 'Conversation',
    you: 'You',
    empty: 'Nothing yet.',
    add: 'Add information',
    addHint: 'For example an order number, an error message, the steps you took (up to 5000 characters)',
    submit: 'Send',
    added: 'Thank you, we have your information and will look at it soon.',
    errorsTitle: 'Please correct the following and send again:',
    textError: 'Write something (up to 5000 characters)',
    addFile: 'Add a file',
    fileHint: 'A screenshot, photo, PDF, text, zip or Office file, up to 5 MB',
    uploadButton: 'Upload',
    fileAdded: 'Thank you, we have your file.',
    fileLimit: 'This link has reached its uploads for this hour; try again later, or reply to our mail with the file attached.',
    withheld: '(withheld: flagged as a virus)',
    fileErrors: {
      'upload-empty': 'The file is empty.',
      'upload-too-large': 'The file is larger than 5 MB.',
      'upload-type-not-allowed': 'We cannot take this type of file (images, PDF, text, zip and Office files are fine).',
      'upload-type-mismatch': "The file's content does not match its name; it was not kept.",
      'upload-missing': 'The upload did not finish or has expired; please upload it again.',
      'upload-expired': 'The upload form had expired; please choose the file again.',
    } as Record<string, string>,
    fileErrorDefault: 'The file could not be kept; please try again.',
  },
} as const;

function nextStepText(language: Language, step: NextStep): SafeHtml {
  const t = TEXT[language];
  switch (step.kind) {
    case 'classifying':
      return html`<p>${t.classifying(step.at)}</p>`;
    case 'first-response':
      return html`<p>${t.firstResponse(step.at)}</p>`;
    case 'progress':
      return html`<p>${t.progress(step.at)}</p>`;
    case 'working':
      return html`<p>${step.at ? t.workingBy(step.at) : t.working}</p>`;
    case 'resolving':
      return html`<p>${t.resolving(step.at)}</p>`;
    case 'waiting':
      return html`<p>${t.waiting}</p>${step.missing ? html`<p style="white-space:pre-wrap"><strong>${step.missing}</strong></p>` : ''}`;
    case 'resolved':
      return html`<p>${t.resolved}</p>${step.summary ? html`<p>${step.summary}</p>` : ''}${step.at ? html`<p>${t.resolvedUntil(step.at)}</p>` : ''}`;
    case 'closed':
      return html`<p>${step.at ? t.closed(step.at) : t.closedNoDate}</p>`;
  }
}

export function renderStatusPage(input: StatusPageInput): string {
  const t = TEXT[input.language];
  const errors = input.errors ?? [];
  const entries =
    input.conversation.length === 0
      ? html`<p>${t.empty}</p>`
      : html`<ol style="list-style:none;padding:0;margin:0">${input.conversation.map(
          (entry) =>
            html`<li style="margin:.75rem 0;padding:.75rem;border-radius:8px;background:${entry.direction === 'inbound' ? '#eef3fb' : '#f6f7f9'}"><p class="hint" style="margin:0 0 .3rem">${entry.direction === 'inbound' ? t.you : input.deskName} · ${entry.at}</p>${entry.text ? html`<div style="white-space:pre-wrap;overflow-wrap:anywhere">${entry.text}</div>` : ''}${
              entry.files && entry.files.length > 0 ? html`<ul class="files" style="margin:.3rem 0 0;padding-left:1.2rem">${entry.files.map((file) => html`<li style="overflow-wrap:anywhere">📎 ${file.href && !file.withheld ? html`<a href="${file.href}">${file.name}</a>` : file.name}${file.withheld ? ` ${t.withheld}` : ''}</li>`)}</ul>` : ''
            }</li>`,
        )}</ol>`;
  const textErrors = errors.filter((error) => error.field !== 'file');
  const fileErrors = errors.filter((error) => error.field === 'file');
  const errorBox = textErrors.length > 0 ? html`<div class="errors" role="alert"><p>${t.errorsTitle}</p><ul><li>${t.textError}</li></ul></div>` : '';
  const fileErrorBox = fileErrors.length > 0 ? html`<div class="errors" role="alert"><ul>${fileErrors.map((error) => html`<li>${t.fileErrors[error.code ?? ''] ?? t.fileErrorDefault}</li>`)}</ul></div>` : '';
  // The blob store takes the fields in this order and the file last (S3 ignores anything after the file).
  const fileForm = input.upload
    ? html`<form class="card" method="post" action="${input.upload.url}" enctype="multipart/form-data">
${fileErrorBox}
${Object.entries(input.upload.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<label for="file">${t.addFile} <span class="hint">${t.fileHint}</span></label>
<input type="file" id="file" name="file" required accept=".png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,.log,.csv,.zip,.docx,.xlsx,.pptx">
<button type="submit">${t.uploadButton}</button>
</form>`
    : input.uploadLimited
      ? html`<div class="card">${fileErrorBox}<p class="hint">${t.fileLimit}</p></div>`
      : fileErrorBox;
  const body = html`<header><h1>${t.title}</h1><span>${input.deskName}</span></header>
<div class="card">
<dl><dt>${t.ticketNo}</dt><dd class="big">${input.ticketNo}</dd><dt>${t.subject}</dt><dd>${input.subject}</dd><dt>${t.status}</dt><dd><strong>${input.statusLabel}</strong></dd></dl>
</div>
<section class="card" aria-labelledby="next"><h2 id="next" style="font-size:1.15rem;margin-top:0">${t.next}</h2>${nextStepText(input.language, input.nextStep)}</section>
${input.added ? html`<div class="card" role="status"><p>${t.added}</p></div>` : ''}
${input.fileAdded ? html`<div class="card" role="status"><p>${t.fileAdded}</p></div>` : ''}
<form class="card" method="post" action="${input.action}">
${errorBox}
<label for="text">${t.add} <span class="hint">${t.addHint}</span></label>
<textarea id="text" name="text" maxlength="5000" required>${input.text ?? ''}</textarea>
<input type="hidden" name="nonce" value="${input.nonce}">
<button type="submit">${t.submit}</button>
</form>
${fileForm}
<section class="card" aria-labelledby="conversation"><h2 id="conversation" style="font-size:1.15rem;margin-top:0">${t.conversation}</h2>${entries}</section>`;
  return page(input.language, `${t.title} ${input.ticketNo}`, body);
}
