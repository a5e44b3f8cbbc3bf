import { html, type SafeHtml } from '../escape.js';
import type { Language } from '../../domain/ticket.js';
import type { ProblemField } from '../errors.js';
import { page } from './layout.js';
import { REQUEST_TYPE_LABELS, URGENCY_LABELS } from '../../contract/ticket-form.js';
import { TICKET_TYPES } from '../../domain/ticket.js';
import { URGENCIES } from '../../domain/classification.js';

const TEXT = {
  'zh-CN': {
    title: '提交工单',
    intro: '请描述您遇到的问题，我们会立即发送带有工单号的确认邮件，并在承诺时间内回复。',
    switchTo: 'English',
    name: '姓名',
    email: '电子邮箱',
    phone: '手机号码',
    contactHint: '邮箱与手机至少填写一项，以便我们回复您',
    account: '账号',
    order: '订单号',
    subject: '主题',
    type: '问题类型',
    typeHint: '不确定可以选“其他”，我们会根据描述判断',
    urgency: '紧急程度',
    urgencyHint: '我们会结合问题内容确定处理优先级',
    description: '问题描述',
    descriptionHint: '请尽量写清楚发生了什么、何时发生、您已尝试过什么（最多 5000 字）',
    optional: '（选填）',
    submit: '提交',
    errorsTitle: '请修改以下内容后再提交：',
    thanksTitle: '已收到您的工单',
    ticketNo: '工单号',
    thanksBody: '我们已向您发送确认邮件。请保留工单号，回复邮件时无需修改主题。',
    firstResponse: '预计首次回复时间',
    newTicket: '再提交一个问题',
    trap: '请勿填写此项',
  },
  en: {
    title: 'Contact support',
    intro: 'Tell us what happened. You will get a confirmation mail with your ticket number at once, and a reply within the promised time.',
    switchTo: '中文',
    name: 'Name',
    email: 'Email',
    phone: 'Phone',
    contactHint: 'Give an email address or a phone number (or both) so we can reply',
    account: 'Account',
    order: 'Order number',
    subject: 'Subject',
    type: 'Type of request',
    typeHint: 'Not sure? Choose "Other": we also read what you write',
    urgency: 'Urgency',
    urgencyHint: 'We set the priority from this and from what you describe',
    description: 'What happened?',
    descriptionHint: 'What happened, when, and what you have tried already (up to 5000 characters)',
    optional: '(optional)',
    submit: 'Send',
    errorsTitle: 'Please correct the following and send again:',
    thanksTitle: 'We have your request',
    ticketNo: 'Ticket number',
    thanksBody: 'A confirmation mail is on its way. Keep the ticket number; when you reply to our mail, leave the subject as it is.',
    firstResponse: 'Expected first response by',
    newTicket: 'Ask something else',
    trap: 'Leave this field empty',
  },
} as const;

const FIELD_LABELS: Record<string, keyof (typeof TEXT)['en']> = {
  name: 'name',
  email: 'email',
  phone: 'phone',
  account: 'account',
  order: 'order',
  subject: 'subject',
  type: 'type',
  urgency: 'urgency',
  description: 'description',
};

export interface FormPageInput {
  language: Language;
  deskName: string;
  idempotencyKey: string;
  values?: Record<string, string | undefined>;
  errors?: ProblemField[];
}

/** The customer form: plain HTML that works without JavaScript, in the customer's language. */
export function renderFormPage(input: FormPageInput): string {
  const t = TEXT[input.language];
  const values = input.values ?? {};
  const errorFor = (field: string): string | undefined => input.errors?.find((error) => error.field === field)?.message;
  const other: Language = input.language === 'en' ? 'zh-CN' : 'en';
  const field = (name: string, type: string, label: string, extra: { optional?: boolean; hint?: string; autocomplete?: string } = {}): SafeHtml => {
    const error = errorFor(name);
    const describedBy = [extra.hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
    return html`<label for="${name}">${label} ${extra.optional ? html`<span class="hint">${t.optional}</span>` : ''}</label>
${extra.hint ? html`<p class="hint" id="${name}-hint">${extra.hint}</p>` : ''}
<input id="${name}" name="${name}" type="${type}" value="${values[name] ?? ''}" autocomplete="${extra.autocomplete ?? 'off'}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? html` aria-invalid="true"` : ''}>
${error ? html`<p class="error" id="${name}-error">${error}</p>` : ''}`;
  };
  const choice = (name: string, label: string, hint: string, options: { id: string; label: string }[], selected: string): SafeHtml => {
    const error = errorFor(name);
    return html`<label for="${name}">${label}</label>
<p class="hint" id="${name}-hint">${hint}</p>
<select id="${name}" name="${name}" aria-describedby="${name}-hint${error ? ` ${name}-error` : ''}"${error ? html` aria-invalid="true"` : ''}>${options.map(
      (option) => html`<option value="${option.id}"${option.id === selected ? html` selected` : ''}>${option.label}</option>`,
    )}</select>
${error ? html`<p class="error" id="${name}-error">${error}</p>` : ''}`;
  };
  const descriptionError = errorFor('description');
  const body = html`<header><h1>${t.title}</h1><nav><a href="/?lang=${other}" hreflang="${other}" lang="${other}">${t.switchTo}</a></nav></header>
<p>${input.deskName} · ${t.intro}</p>
${input.errors && input.errors.length > 0
  ? html`<div class="errors" role="alert"><p>${t.errorsTitle}</p><ul>${input.errors.map(
      (error) => html`<li><a href="#${error.field}">${FIELD_LABELS[error.field] ? t[FIELD_LABELS[error.field]!] : error.field}</a>: ${error.message}</li>`,
    )}</ul></div>`
  : ''}
<form class="card" method="post" action="/tickets" accept-charset="utf-8">
<input type="hidden" name="language" value="${input.language}">
<input type="hidden" name="idempotencyKey" value="${input.idempotencyKey}">
${field('name', 'text', t.name, { optional: true, autocomplete: 'name' })}
${field('email', 'email', t.email, { hint: t.contactHint, autocomplete: 'email' })}
${field('phone', 'tel', t.phone, { optional: true, autocomplete: 'tel' })}
${field('account', 'text', t.account, { optional: true })}
${field('order', 'text', t.order, { optional: true })}
${field('subject', 'text', t.subject, { optional: true })}
${choice('type', t.type, t.typeHint, TICKET_TYPES.map((id) => ({ id, label: REQUEST_TYPE_LABELS[id][input.language] })), values.type ?? 'other')}
${choice('urgency', t.urgency, t.urgencyHint, URGENCIES.map((id) => ({ id, label: URGENCY_LABELS[id][input.language] })), values.urgency ?? 'medium')}
<label for="description">${t.description}</label>
<p class="hint" id="description-hint">${t.descriptionHint}</p>
<textarea id="description" name="description" required maxlength="5000" aria-describedby="description-hint${descriptionError ? ' description-error' : ''}"${descriptionError ? html` aria-invalid="true"` : ''}>${values.description ?? ''}</textarea>
${descriptionError ? html`<p class="error" id="description-error">${descriptionError}</p>` : ''}
<div class="trap" aria-hidden="true"><label for="website">${t.trap}</label><input id="website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
<button type="submit">${t.submit}</button>
</form>`;
  return page(input.language, `${t.title} · ${input.deskName}`, body);
}

export interface ThankYouInput {
  language: Language;
  deskName: string;
  ticketNo: string;
  firstResponseText: string;
}

export function renderThankYouPage(input: ThankYouInput): string {
  const t = TEXT[input.language];
  const body = html`<h1>${t.thanksTitle}</h1>
<section class="card" aria-labelledby="ticket-heading">
<h2 id="ticket-heading" class="hint">${t.ticketNo}</h2>
<p class="big" data-ticket-no="${input.ticketNo}">${input.ticketNo}</p>
<p>${t.thanksBody}</p>
<dl><dt>${t.firstResponse}</dt><dd>${input.firstResponseText}</dd></dl>
</section>
<p><a href="/?lang=${input.language}">${t.newTicket}</a></p>`;
  return page(input.language, `${t.thanksTitle} · ${input.ticketNo}`, body);
}
