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
  errors?: Array<{ field: string; message: string }>;
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
    working: '我们正在处理您的问题，有进展会第一时间通过邮件告知您。',
    workingBy: (at: string) => `我们正在处理，预计在 ${at} 之前给出处理方案。`,
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
    working: 'We are working on your request and will mail you as soon as there is news.',
    workingBy: (at: string) => `We are working on it and expect to have a plan by ${at}.`,
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
            html`<li style="margin:.75rem 0;padding:.75rem;border-radius:8px;background:${entry.direction === 'inbound' ? '#eef3fb' : '#f6f7f9'}"><p class="hint" style="margin:0 0 .3rem">${entry.direction === 'inbound' ? t.you : input.deskName} · ${entry.at}</p><div style="white-space:pre-wrap;overflow-wrap:anywhere">${entry.text}</div></li>`,
        )}</ol>`;
  const errorBox = errors.length > 0 ? html`<div class="errors" role="alert"><p>${t.errorsTitle}</p><ul><li>${t.textError}</li></ul></div>` : '';
  const body = html`<header><h1>${t.title}</h1><span>${input.deskName}</span></header>
<div class="card">
<dl><dt>${t.ticketNo}</dt><dd class="big">${input.ticketNo}</dd><dt>${t.subject}</dt><dd>${input.subject}</dd><dt>${t.status}</dt><dd><strong>${input.statusLabel}</strong></dd></dl>
</div>
<section class="card" aria-labelledby="next"><h2 id="next" style="font-size:1.15rem;margin-top:0">${t.next}</h2>${nextStepText(input.language, input.nextStep)}</section>
${input.added ? html`<div class="card" role="status"><p>${t.added}</p></div>` : ''}
<form class="card" method="post" action="${input.action}">
${errorBox}
<label for="text">${t.add} <span class="hint">${t.addHint}</span></label>
<textarea id="text" name="text" maxlength="5000" required>${input.text ?? ''}</textarea>
<input type="hidden" name="nonce" value="${input.nonce}">
<button type="submit">${t.submit}</button>
</form>
<section class="card" aria-labelledby="conversation"><h2 id="conversation" style="font-size:1.15rem;margin-top:0">${t.conversation}</h2>${entries}</section>`;
  return page(input.language, `${t.title} ${input.ticketNo}`, body);
}
