import type { Language } from '../../domain/ticket.js';
import { html, type SafeHtml } from '../escape.js';
import { page } from './layout.js';

/** The survey confirmation page, its thank-you page and the page for a link that does not work. No scripts. */

const TEXT = {
  'zh-CN': {
    title: '服务满意度评价',
    intro: '感谢您花一点时间评价我们对以下工单的服务：',
    ticketNo: '工单号',
    question: '您对本次服务的满意程度',
    scores: { 1: '1 分 · 非常不满意', 2: '2 分 · 不满意', 3: '3 分 · 一般', 4: '4 分 · 满意', 5: '5 分 · 非常满意' },
    comment: '您的意见',
    optional: '（选填）',
    submit: '提交评价',
    confirmHint: '点击“提交评价”后才会记录您的评分。',
    answered: (score: number) => `您之前的评分是 ${score} 分，如需修改请重新提交。`,
    windowEnds: (when: string) => `评价可在 ${when} 之前提交或修改。`,
    thanksTitle: '感谢您的评价',
    thanks: (score: number) => `我们已记录您的评分：${score} 分（满分 5 分）。`,
    replaced: '您的评分已更新。',
    unchanged: '您的评分此前已记录，无需重复提交。',
    lowScore: (when: string) => `很抱歉这次没能让您满意。我们的质量团队会在 ${when} 之前与您联系。`,
    change: (when: string) => `如需修改，可在 ${when} 之前再次打开邮件中的评价链接。`,
    errorsTitle: '请修改以下内容后再提交：',
    scoreError: '请选择 1 到 5 分',
    commentError: '意见过长',
    invalidTitle: '链接无效',
    invalid: '这个评价链接无效或已被修改。请直接使用邮件中的链接，或回复邮件告诉我们您的评分。',
    expiredTitle: '评价已结束',
    expired: '这个评价链接已过期，评价窗口已关闭。如仍有问题，欢迎回复邮件或再次联系我们。',
    notOpenTitle: '暂时无法评价',
    notOpen: '这个工单目前不在评价阶段（例如已重新打开处理）。工单解决后我们会再次邀请您评价。',
  },
  en: {
    title: 'How did we do?',
    intro: 'Thank you for taking a moment to rate our service on this ticket:',
    ticketNo: 'Ticket number',
    question: 'How satisfied are you with our service?',
    scores: { 1: '1 · Very dissatisfied', 2: '2 · Dissatisfied', 3: '3 · Neutral', 4: '4 · Satisfied', 5: '5 · Very satisfied' },
    comment: 'Your comments',
    optional: '(optional)',
    submit: 'Send my rating',
    confirmHint: 'Your rating is recorded only when you press "Send my rating".',
    answered: (score: number) => `You rated us ${score} before; send again to change it.`,
    windowEnds: (when: string) => `You can send or change your rating until ${when}.`,
    thanksTitle: 'Thank you for your feedback',
    thanks: (score: number) => `We have recorded your rating: ${score} out of 5.`,
    replaced: 'Your rating has been updated.',
    unchanged: 'We already had this rating; nothing more to do.',
    lowScore: (when: string) => `We are sorry we did not meet your expectations. Our quality team will contact you by ${when}.`,
    change: (when: string) => `To change it, open the rating link in our mail again before ${when}.`,
    errorsTitle: 'Please correct the following and send again:',
    scoreError: 'Choose a score from 1 to 5',
    commentError: 'The comment is too long',
    invalidTitle: 'This link does not work',
    invalid: 'This rating link is not valid or has been changed. Please use the link from our mail as it is, or reply to the mail with your score.',
    expiredTitle: 'The survey has closed',
    expired: 'This rating link has expired and the survey window has closed. If you still need help, reply to our mail or contact us again.',
    notOpenTitle: 'Rating is not open',
    notOpen: 'This ticket is not waiting for a rating right now (for example, it was reopened). We will ask again once it is resolved.',
  },
} as const;

export interface SurveyPageInput {
  language: Language;
  deskName: string;
  ticketNo: string;
  summary: string;
  /** Path the form posts to (the same /survey/{token}). */
  action: string;
  selected?: number;
  comment?: string;
  previousScore?: number;
  windowEnds?: string;
  errors?: Array<{ field: string; message: string }>;
}

function header(language: Language, deskName: string, title: string): SafeHtml {
  return html`<header><h1>${title}</h1><span>${deskName}</span></header>`;
}

/**
 * The confirmation page a one-click link opens: the chosen score preselected, a comment box, one
 * button. A GET shows it and records nothing; only the POST of this form records.
 */
export function renderSurveyPage(input: SurveyPageInput): string {
  const t = TEXT[input.language];
  const errors = input.errors ?? [];
  const scores = ([5, 4, 3, 2, 1] as const).map(
    (score) =>
      html`<label style="font-weight:400"><input type="radio" name="score" value="${score}" style="width:auto" ${input.selected === score ? html`checked` : ''} required> ${t.scores[score]}</label>`,
  );
  const errorBox =
    errors.length > 0
      ? html`<div class="errors" role="alert"><p>${t.errorsTitle}</p><ul>${errors.map((error) => html`<li>${error.field === 'score' ? t.scoreError : error.field === 'comment' ? t.commentError : error.message}</li>`)}</ul></div>`
      : '';
  const body = html`${header(input.language, input.deskName, t.title)}
<div class="card">
<p>${t.intro}</p>
<dl><dt>${t.ticketNo}</dt><dd class="big">${input.ticketNo}</dd><dt></dt><dd>${input.summary}</dd></dl>
</div>
<form class="card" method="post" action="${input.action}">
${errorBox}
${input.previousScore !== undefined ? html`<p>${t.answered(input.previousScore)}</p>` : ''}
<fieldset style="border:0;padding:0;margin:0"><legend style="font-weight:600">${t.question}</legend>${scores}</fieldset>
<label for="comment">${t.comment} <span class="hint">${t.optional}</span></label>
<textarea id="comment" name="comment" maxlength="2000">${input.comment ?? ''}</textarea>
<button type="submit">${t.submit}</button>
<p class="hint">${t.confirmHint}${input.windowEnds ? html` ${t.windowEnds(input.windowEnds)}` : ''}</p>
</form>`;
  return page(input.language, t.title, body);
}

export interface SurveyThanksInput {
  language: Language;
  deskName: string;
  ticketNo: string;
  score: number;
  outcome: 'recorded' | 'replaced' | 'unchanged';
  /** Set after a low score: when QA will call. */
  followUpDue?: string;
  windowEnds?: string;
}

export function renderSurveyThanksPage(input: SurveyThanksInput): string {
  const t = TEXT[input.language];
  const body = html`${header(input.language, input.deskName, t.thanksTitle)}
<div class="card" role="status">
<p class="big">${input.ticketNo}</p>
<p>${t.thanks(input.score)}</p>
${input.outcome === 'replaced' ? html`<p>${t.replaced}</p>` : input.outcome === 'unchanged' ? html`<p>${t.unchanged}</p>` : ''}
${input.followUpDue ? html`<p>${t.lowScore(input.followUpDue)}</p>` : ''}
${input.windowEnds ? html`<p class="hint">${t.change(input.windowEnds)}</p>` : ''}
</div>`;
  return page(input.language, t.thanksTitle, body);
}

export type LinkProblem = 'invalid' | 'expired' | 'not-open';

/** The page for a link that does not work: forged or changed, expired, or a survey that is not open. */
export function renderLinkProblemPage(language: Language, deskName: string, problem: LinkProblem): string {
  const t = TEXT[language];
  const [title, text] = problem === 'expired' ? [t.expiredTitle, t.expired] : problem === 'not-open' ? [t.notOpenTitle, t.notOpen] : [t.invalidTitle, t.invalid];
  return page(language, title, html`${header(language, deskName, title)}<div class="card" role="alert"><p>${text}</p></div>`);
}
