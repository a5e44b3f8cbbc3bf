import type { ApiError, TimelineEvent, TimelineMessage } from './api.js';
import type { NoticeKind } from '../../shared/domain/vocabulary.js';
import { label, type UiLanguage } from './labels.js';

/**
 * The console's sentences: the timeline in plain words, what a customer was sent, and the API's
 * error codes, in the UI language. Nothing internal (field names, template ids, team ids) is shown
 * as it is; an unknown value falls back to a neutral phrase, never to JSON.
 */

export interface Names {
  /** An agent's display name by id (ids are shown only when unknown). */
  agent(id: string): string;
  /** A team's name in the UI language. */
  team(id: string): string;
}

type Phrase = Record<UiLanguage, string>;

/** Every notice kind (= template id) by name: the compiler refuses a kind without one. */
const NOTICES: Record<NoticeKind, Phrase> = {
  acknowledgement: { en: 'acknowledgement', 'zh-CN': '受理确认' },
  assignment: { en: 'assignment notice', 'zh-CN': '分配通知' },
  reply: { en: 'reply', 'zh-CN': '回复' },
  plan: { en: 'plan', 'zh-CN': '处理方案' },
  'waiting-on-customer': { en: 'request for information', 'zh-CN': '补充信息请求' },
  reminder: { en: 'reminder', 'zh-CN': '提醒' },
  progress: { en: 'progress note', 'zh-CN': '进展通知' },
  resolution: { en: 'resolution notice and survey', 'zh-CN': '解决通知与满意度调查' },
  'survey-thanks': { en: 'thanks for the survey', 'zh-CN': '调查致谢' },
  'survey-again': { en: 'survey answer not understood', 'zh-CN': '调查回复未识别' },
  reopen: { en: 'reopening notice', 'zh-CN': '重新打开通知' },
  'feature-request-linked': { en: 'feature request recorded', 'zh-CN': '需求已登记' },
  'feature-request-update': { en: 'feature request update', 'zh-CN': '需求进展' },
  escalation: { en: 'escalation', 'zh-CN': '升级通知' },
  'confirmation-alert': { en: 'unconfirmed classification alert', 'zh-CN': '分类未确认提醒' },
  'follow-up-task': { en: 'follow-up task', 'zh-CN': '跟进任务' },
  'repeated-reopen': { en: 'reopened again alert', 'zh-CN': '多次重开提醒' },
  'desk-manager-escalation': { en: 'escalation to the desk managers', 'zh-CN': '升级至经理' },
  'agent-assigned': { en: 'ticket assigned to you', 'zh-CN': '工单分配给你' },
  'agent-customer-replied': { en: 'customer replied', 'zh-CN': '客户回复提醒' },
  'agent-mentioned': { en: 'you were mentioned', 'zh-CN': '有人提到你' },
  'staff-digest': { en: 'staff digest', 'zh-CN': '员工汇总通知' },
  'qa-low-score': { en: 'low score alert', 'zh-CN': '低分提醒' },
  'weekly-report': { en: 'weekly report', 'zh-CN': '周报' },
};

/** A notice kind (template id) as words. */
export function noticeName(kind: string, language: UiLanguage): string {
  return NOTICES[kind as NoticeKind]?.[language] ?? (language === 'en' ? 'notice' : '通知');
}

/** Outbound mails written by an agent; the others (acknowledgements, reminders...) are automatic and shown collapsed. */
export const AGENT_WRITTEN = new Set(['reply', 'plan', 'waiting-on-customer']);

export function isAutomatic(message: TimelineMessage): boolean {
  if (message.direction === 'outbound') return !AGENT_WRITTEN.has(kindOf(message));
  return message.direction === 'inbound' && (message.flags ?? []).includes('automatic');
}

/** The notice kind an outbound message was sent as (the notifier puts it first in its flags). */
export function kindOf(message: TimelineMessage): string {
  if (message.direction === 'inbound') return (message.flags ?? []).includes('automatic') ? 'automatic' : '';
  return message.flags?.[0] ?? 'reply';
}

const CHANNEL: Record<string, Phrase> = {
  email: { en: 'by email', 'zh-CN': '通过邮件' },
  form: { en: 'through the web form', 'zh-CN': '通过网页表单' },
  phone: { en: 'by phone', 'zh-CN': '通过电话' },
  chat: { en: 'by chat', 'zh-CN': '通过在线聊天' },
};

const CLOSE_REASON: Record<string, Phrase> = {
  agent: { en: 'by an agent', 'zh-CN': '由客服关闭' },
  'survey-window': { en: 'after the survey window', 'zh-CN': '调查期结束后自动关闭' },
  survey: { en: 'after the survey', 'zh-CN': '调查完成后关闭' },
};

function who(actor: string, names: Names, language: UiLanguage): string {
  if (actor === 'customer') return language === 'en' ? 'The customer' : '客户';
  if (actor === 'system') return language === 'en' ? 'The desk' : '系统';
  if (actor === 'sweeper') return language === 'en' ? 'The deadline check' : '时限检查';
  return names.agent(actor);
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/**
 * A moment as every page of the console writes it, in the UI language ("2 Dec 2026, 08:06",
 * "2026年12月2日 08:06"); '' for a missing or unreadable one.
 */
export function formatWhen(iso: unknown, language: UiLanguage): string {
  const at = typeof iso === 'string' ? new Date(iso) : undefined;
  if (!at || Number.isNaN(at.getTime())) return '';
  return at.toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'medium', timeStyle: 'short' });
}

const CLASSIFICATION_FIELDS: Record<string, Phrase> = { type: { en: 'type', 'zh-CN': '类型' }, priority: { en: 'priority', 'zh-CN': '优先级' }, team: { en: 'team', 'zh-CN': '团队' }, tags: { en: 'tags', 'zh-CN': '标签' } };

function changes(detail: Record<string, unknown>, language: UiLanguage, names: Names): string {
  const raw = detail.changes as Record<string, { from?: unknown; to?: unknown } | unknown> | undefined;
  if (!raw || typeof raw !== 'object') return '';
  const parts: string[] = [];
  for (const [field, value] of Object.entries(raw)) {
    const to = value && typeof value === 'object' && 'to' in value ? (value as { to: unknown }).to : value;
    const shown = field === 'team' && typeof to === 'string' ? names.team(to) : Array.isArray(to) ? to.join(', ') : typeof to === 'string' ? label(language, to) : '';
    const fieldName = CLASSIFICATION_FIELDS[field]?.[language];
    if (fieldName && shown) parts.push(language === 'en' ? `${fieldName} ${shown}` : `${fieldName}：${shown}`);
  }
  return parts.join(language === 'en' ? ', ' : '，');
}

/**
 * One timeline event as a sentence in the UI language.
 *
 * @example
 * eventSentence({ kind: 'assigned', actor: 'system', detail: { agentId: 'alice' } }, 'en', names); // 'The desk assigned the ticket to Alice Wang.'
 */
export function eventSentence(event: Pick<TimelineEvent, 'kind' | 'actor' | 'detail'>, language: UiLanguage, names: Names): string {
  const d = event.detail ?? {};
  const actor = who(event.actor, names, language);
  const en = language === 'en';
  switch (event.kind) {
    case 'created': {
      const channel = CHANNEL[String(d.channel)]?.[language] ?? '';
      return en ? `Ticket created ${channel}.`.replace(' .', '.') : `工单已创建${channel ? `（${channel}）` : ''}。`;
    }
    case 'classified': {
      const team = str(d.team) ? names.team(String(d.team)) : '';
      const type = str(d.type) ? label(language, String(d.type)) : '';
      const priority = str(d.priority) ? label(language, String(d.priority)) : '';
      if (d.decided === false) return en ? `Classified as ${type}, ${priority}, for ${team}: an agent must confirm it.` : `自动分类为${type}、${priority}，归属${team}：需要客服确认。`;
      return en ? `Classified as ${type}, ${priority}, for ${team}.` : `自动分类为${type}、${priority}，归属${team}。`;
    }
    case 'classification-confirmed': {
      const changed = changes(d, language, names);
      return en ? `${actor} confirmed the classification${changed ? ` (${changed})` : ''}.` : `${actor}确认了分类${changed ? `（${changed}）` : ''}。`;
    }
    case 'classification-changed': {
      const changed = changes(d, language, names);
      return en ? `${actor} changed the classification${changed ? `: ${changed}` : ''}.` : `${actor}修改了分类${changed ? `：${changed}` : ''}。`;
    }
    case 'assigned':
      return en ? `${actor} assigned the ticket to ${names.agent(String(d.agentId))}.` : `${actor}将工单分配给${names.agent(String(d.agentId))}。`;
    case 'replied':
      return en ? `${actor} replied to the customer.` : `${actor}回复了客户。`;
    case 'plan-given':
      return en ? `${actor} gave the customer a plan.` : `${actor}向客户提供了处理方案。`;
    case 'note-added':
      return en ? `${actor} added an internal note.` : `${actor}添加了内部备注。`;
    case 'waiting-on-customer':
      return en
        ? `${actor} asked the customer for: ${str(d.missing) ?? '…'}${str(d.why) ? ` (why: ${str(d.why)})` : ''}`
        : `${actor}请客户补充：${str(d.missing) ?? '…'}${str(d.why) ? `（原因：${str(d.why)}）` : ''}`;
    case 'customer-replied':
      return d.notSolved === true ? (en ? 'The customer replied that it is not solved.' : '客户回复：问题仍未解决。') : en ? 'The customer replied.' : '客户回复了。';
    case 'customer-replied-after-close':
      return en ? 'The customer wrote after the ticket was closed.' : '工单关闭后客户再次来信。';
    case 'automatic-mail-received':
      return en ? 'An automatic mail arrived (not answered).' : '收到一封自动邮件（不作回复）。';
    case 'escalated': {
      const breach = str(d.breachKind) ?? str((d as { breach?: { kind?: string } }).breach?.kind);
      if (event.actor === 'sweeper' || breach) return en ? `Escalated: a deadline was missed${str(d.dueAt) ? ` (due ${formatWhen(d.dueAt, language)})` : ''}.` : `已升级：错过时限${str(d.dueAt) ? `（截止 ${formatWhen(d.dueAt, language)}）` : ''}。`;
      return en ? `${actor} escalated the ticket: ${str(d.reason) ?? ''}` : `${actor}升级了工单：${str(d.reason) ?? ''}`;
    }
    case 'resolved':
      return en ? `${actor} resolved the ticket: ${str(d.summary) ?? ''}` : `${actor}解决了工单：${str(d.summary) ?? ''}`;
    case 'reopened':
      return en ? `${actor === names.agent('customer') ? 'The customer' : actor} reopened the ticket: ${str(d.reason) ?? ''}` : `${actor}重新打开了工单：${str(d.reason) ?? ''}`;
    case 'closed':
      return en ? `Ticket closed ${CLOSE_REASON[String(d.reason)]?.en ?? ''}.`.replace(' .', '.') : `工单已关闭${CLOSE_REASON[String(d.reason)] ? `（${CLOSE_REASON[String(d.reason)]?.['zh-CN']}）` : ''}。`;
    case 'survey-answered':
      return en ? `The customer gave ${String(d.score)} of 5${d.low === true ? ' (low: sent to QA)' : ''}.` : `客户评分 ${String(d.score)}/5${d.low === true ? '（低分：转质检）' : ''}。`;
    case 'survey-reply-received':
      return en ? `The customer answered the survey by mail (${String(d.score ?? '—')} of 5).` : `客户通过邮件回复了调查（${String(d.score ?? '—')}/5）。`;
    case 'qa-follow-up':
      return en ? `${actor} followed up the low score: ${str(d.outcome) ?? ''}` : `${actor}完成了低分回访：${str(d.outcome) ?? ''}`;
    case 'linked-to-previous':
      return en ? `Follows up closed ticket ${String(d.previousTicketNo)}.` : `跟进已关闭的工单 ${String(d.previousTicketNo)}。`;
    case 'followed-up-by':
      return en ? `The customer wrote again: see ticket ${String(d.ticketNo)}.` : `客户再次来信：见工单 ${String(d.ticketNo)}。`;
    case 'feature-request-linked':
      return en ? `${actor} recorded the request as feature request ${String(d.featureId)}; the customer was told.` : `${actor}将请求登记为需求 ${String(d.featureId)}，已通知客户。`;
    case 'feature-request-stage':
      return en ? `Feature request ${String(d.featureId)} moved to ${String(d.stage)}; the customer was told.` : `需求 ${String(d.featureId)} 进入新阶段（${String(d.stage)}），已通知客户。`;
    case 'identity-verified':
      return en ? `${actor} checked the customer's identity (${str(d.method) ?? '…'}).` : `${actor}已核实客户身份（${str(d.method) ?? '…'}）。`;
    case 'escalated-to-desk-manager':
      return en ? 'Still unresolved after escalation: the desk manager was told.' : '升级后仍未解决：已通知服务台经理。';
    case 'task-done':
      return en ? `${actor} completed a follow-up task.` : `${actor}完成了跟进任务。`;
    case 'progress-sent':
    case 'progress':
      return en ? 'A progress note went to the customer.' : '已向客户发送进展通知。';
    case 'reminder-sent':
    case 'reminder':
      return en ? 'The customer was reminded of the missing information.' : '已提醒客户补充信息。';
    case 'confirmation-alert':
      return en ? 'Supervisors were alerted: the classification is still unconfirmed.' : '已提醒主管：分类仍未确认。';
    case 'phone-call':
    case 'chat':
      return en ? `${actor} logged a ${event.kind === 'chat' ? 'chat' : 'phone call'}.` : `${actor}记录了一次${event.kind === 'chat' ? '在线聊天' : '电话'}。`;
    default:
      return en ? `${actor}: ${event.kind.replace(/-/g, ' ')}.` : `${actor}：${event.kind.replace(/-/g, ' ')}。`;
  }
}

/** A message's heading: who wrote it, and for what we sent, which notice it was. */
export function messageHeading(message: TimelineMessage, language: UiLanguage, names: Names): string {
  const en = language === 'en';
  if (message.direction === 'inbound') return kindOf(message) === 'automatic' ? (en ? 'Automatic mail from the customer side' : '客户方自动邮件') : en ? 'The customer wrote' : '客户来信';
  if (message.direction === 'internal') return en ? `Internal note by ${names.agent(message.author)}` : `${names.agent(message.author)}的内部备注`;
  const kind = kindOf(message);
  if (AGENT_WRITTEN.has(kind)) return en ? `${names.agent(message.author === 'system' ? '' : message.author) || 'We'} sent a ${noticeName(kind, language)}` : `${message.author === 'system' ? '我们' : names.agent(message.author)}发送了${noticeName(kind, language)}`;
  return en ? `Sent automatically: ${noticeName(kind, language)}` : `自动发送：${noticeName(kind, language)}`;
}

const ERROR_TEXT: Record<string, Phrase> = {
  'invalid-request': { en: 'Some fields need attention.', 'zh-CN': '部分内容需要修改。' },
  'settings-changed': { en: 'Someone saved these settings meanwhile: reload to see their version, then make your change again.', 'zh-CN': '其他人已在此期间保存了这些设置：请重新加载查看最新版本后再修改。' },
  'malformed-json': { en: 'The request could not be read.', 'zh-CN': '请求无法读取。' },
  unauthenticated: { en: 'Your session has ended: please sign in again.', 'zh-CN': '登录已失效，请重新登录。' },
  forbidden: { en: 'Your role does not allow this.', 'zh-CN': '您的角色无权执行此操作。' },
  'not-found': { en: 'Not found, or not yours to see.', 'zh-CN': '未找到，或您无权查看。' },
  'method-not-allowed': { en: 'This action is not available here.', 'zh-CN': '此处不支持该操作。' },
  conflict: { en: 'The ticket changed meanwhile: look again and retry.', 'zh-CN': '工单已被他人修改，请刷新后重试。' },
  'identity-check-required': {
    en: 'This reply changes an order or an address: record the customer’s identity check first (checklist beside the ticket).',
    'zh-CN': '此回复涉及修改订单或地址：请先在右侧清单中记录已核实客户身份。',
  },
  'concurrent-update': { en: 'Someone changed the ticket at the same moment: look again and retry.', 'zh-CN': '有人同时修改了工单，请刷新后重试。' },
  'newer-reply': { en: 'A newer message arrived since you opened the ticket: read it before sending.', 'zh-CN': '您打开工单后有新消息，请先阅读再发送。' },
  'payload-too-large': { en: 'That is too large to send.', 'zh-CN': '内容太大，无法发送。' },
  'unsupported-media-type': { en: 'That kind of content cannot be sent.', 'zh-CN': '不支持该内容类型。' },
  'rate-limited': { en: 'Too many requests: wait a moment.', 'zh-CN': '请求过于频繁，请稍候。' },
  unavailable: { en: 'The desk is busy: try again in a moment.', 'zh-CN': '系统繁忙，请稍后重试。' },
  internal: { en: 'Something went wrong on our side.', 'zh-CN': '系统出错了。' },
  'not-held': { en: 'This mail was already decided by someone else.', 'zh-CN': '该邮件已由他人处理。' },
  'no-claimed-ticket': { en: 'This mail names no ticket: open it as a new ticket instead.', 'zh-CN': '该邮件未关联工单，请建为新工单。' },
  'claimed-ticket-closed': { en: 'That ticket closed too long ago: open the mail as a new ticket.', 'zh-CN': '该工单关闭已久，请将邮件建为新工单。' },
  'needs-confirmation': { en: 'Confirm its classification first.', 'zh-CN': '请先确认分类。' },
  'attachment-infected': { en: 'An attached file was flagged as malware: remove it and send again.', 'zh-CN': '附件被检测为恶意文件：请移除后再发送。' },
  'files-need-mail': { en: 'Files go by mail, or by a text message with a link: this customer left no mail address and no mobile number a text can reach. Send the words without the files, or phone them.', 'zh-CN': '附件通过邮件或带链接的短信发送，而该客户既未留邮箱，也没有可接收短信的手机号：请去掉附件后发送，或致电客户。' },
  'attachment-withheld': { en: 'This file is withheld (flagged or not stored).', 'zh-CN': '该文件不可下载（被标记或未保存）。' },
  'upload-refused': { en: 'The file storage refused the file (too large, changed, or the upload form expired): add it again.', 'zh-CN': '文件存储拒绝了该文件（过大、已更改或上传表单过期），请重新添加。' },
  'uploads-unavailable': { en: 'This desk takes no file uploads.', 'zh-CN': '本系统未启用文件上传。' },
  'agent-exists': { en: 'An agent with this id already exists: choose another id.', 'zh-CN': '该编号已被其他客服使用，请换一个编号。' },
  'agent-email-taken': { en: 'Another agent already signs in with this email address.', 'zh-CN': '该邮箱已被其他客服用于登录。' },
  'agent-changed': { en: 'Someone changed this agent meanwhile: look again and retry.', 'zh-CN': '该客服信息已被他人修改，请刷新后重试。' },
  'own-admin': { en: 'You cannot disable yourself or drop your own admin role: ask another admin.', 'zh-CN': '不能停用自己或取消自己的管理员角色，请联系其他管理员。' },
  'invalid-encoding': { en: 'The request was not valid UTF-8.', 'zh-CN': '请求不是有效的 UTF-8 编码。' },
  'unsupported-charset': { en: 'The request must be sent in UTF-8.', 'zh-CN': '请求必须使用 UTF-8 编码。' },
  'unavailable-for-legal-reasons': { en: 'This cannot be shown for legal reasons.', 'zh-CN': '因法律原因无法显示。' },
  'not-through-front-door': { en: "Use the desk's own address.", 'zh-CN': '请通过服务台的正式地址访问。' },
};

const ACTIONS: Record<string, Phrase> = {
  reply: { en: 'reply to', 'zh-CN': '回复' },
  'give-plan': { en: 'give a plan on', 'zh-CN': '提供方案给' },
  note: { en: 'add a note to', 'zh-CN': '添加备注到' },
  'wait-on-customer': { en: 'wait on the customer for', 'zh-CN': '等待客户补充' },
  escalate: { en: 'escalate', 'zh-CN': '升级' },
  resolve: { en: 'resolve', 'zh-CN': '解决' },
  reopen: { en: 'reopen', 'zh-CN': '重新打开' },
  close: { en: 'close', 'zh-CN': '关闭' },
  assign: { en: 'assign', 'zh-CN': '分配' },
  'confirm-classification': { en: 'confirm the classification of', 'zh-CN': '确认分类' },
  'change-classification': { en: 'change the classification of', 'zh-CN': '修改分类' },
};

const FIELD_NAMES: Record<string, Phrase> = {
  text: { en: 'Text', 'zh-CN': '内容' },
  summary: { en: 'Summary', 'zh-CN': '解决说明' },
  reason: { en: 'Reason', 'zh-CN': '原因' },
  missing: { en: 'What is missing', 'zh-CN': '缺少的信息' },
  agentId: { en: 'Agent', 'zh-CN': '客服' },
  team: { en: 'Team', 'zh-CN': '团队' },
  tags: { en: 'Tags', 'zh-CN': '标签' },
  email: { en: 'Email', 'zh-CN': '邮箱' },
  phone: { en: 'Phone', 'zh-CN': '电话' },
  from: { en: 'From', 'zh-CN': '开始日期' },
  to: { en: 'To', 'zh-CN': '结束日期' },
  ticketNo: { en: 'Ticket number', 'zh-CN': '工单号' },
  reference: { en: 'Order or account number', 'zh-CN': '订单号或账号' },
  status: { en: 'Status', 'zh-CN': '状态' },
  query: { en: 'Search', 'zh-CN': '搜索' },
  contact: { en: 'Contact', 'zh-CN': '联系方式' },
  channel: { en: 'Channel', 'zh-CN': '渠道' },
  description: { en: 'Description', 'zh-CN': '描述' },
  macroId: { en: 'Macro', 'zh-CN': '宏' },
  attachments: { en: 'Attachment', 'zh-CN': '附件' },
  name: { en: 'File name', 'zh-CN': '文件名' },
  size: { en: 'File size', 'zh-CN': '文件大小' },
};

/** Why an uploaded file was refused (the API's `upload-*` field codes; shared/domain/uploads.ts). */
const UPLOAD_PROBLEMS: Record<string, Phrase> = {
  'upload-empty': { en: 'the file is empty.', 'zh-CN': '文件为空。' },
  'upload-too-large': { en: 'larger than 5 MB.', 'zh-CN': '超过 5 MB。' },
  'upload-type-not-allowed': { en: 'this type is not accepted (images, PDF, text, zip and Office files are).', 'zh-CN': '不支持该类型（可上传图片、PDF、文本、zip 和 Office 文件）。' },
  'upload-type-mismatch': { en: "its content does not match its name.", 'zh-CN': '文件内容与文件名不符。' },
  'upload-total-too-large': { en: 'the files together are larger than 7 MB.', 'zh-CN': '附件合计超过 7 MB。' },
  'upload-missing': { en: 'the upload did not finish or has expired: add the file again.', 'zh-CN': '文件未上传完成或已过期，请重新添加。' },
};

function fieldProblem(field: { field: string; code?: string; params?: Record<string, string | number> }, language: UiLanguage): string {
  const en = language === 'en';
  const name = FIELD_NAMES[field.field.split('.').pop() ?? '']?.[language] ?? FIELD_NAMES[field.field]?.[language] ?? (en ? 'A field' : '某项内容');
  const max = field.params?.maximum;
  const min = field.params?.minimum;
  const upload = UPLOAD_PROBLEMS[field.code ?? ''];
  if (upload) return `${name}: ${upload[language]}`;
  switch (field.code) {
    case 'too_big':
      return en ? `${name}: at most ${max ?? ''} characters.` : `${name}：最多 ${max ?? ''} 个字符。`;
    case 'too_small':
      return min !== undefined && Number(min) <= 1 ? (en ? `${name}: required.` : `${name}：必填。`) : en ? `${name}: at least ${min ?? ''}.` : `${name}：至少 ${min ?? ''}。`;
    case 'invalid_format':
      return en ? `${name}: not in the expected format.` : `${name}：格式不正确。`;
    case 'invalid_type':
    case 'invalid_value':
    case 'invalid-value':
    case 'custom':
      return en ? `${name}: not a valid value.` : `${name}：取值无效。`;
    case 'unrecognized_keys':
      return en ? 'The request has fields the desk does not know.' : '请求包含无法识别的字段。';
    default:
      return en ? `${name}: please check.` : `${name}：请检查。`;
  }
}

const STATUS_FALLBACK: Record<number, string> = { 400: 'invalid-request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found', 409: 'conflict', 413: 'payload-too-large', 415: 'unsupported-media-type', 429: 'rate-limited', 503: 'unavailable' };

/** The sentence for the error's code (or, failing that, its status), without the fields. */
function headline(api: Partial<ApiError>, language: UiLanguage): string {
  const en = language === 'en';
  if (api.code === 'illegal-transition') {
    const action = ACTIONS[String(api.params?.action)]?.[language] ?? (en ? 'do this to' : '处理');
    const from = api.params?.from ? label(language, String(api.params.from)) : '';
    const hint = api.params?.from === 'needs-confirmation' ? (en ? ' Confirm its classification first.' : '请先确认分类。') : '';
    return en ? `You cannot ${action} a ticket while it is “${from}”.${hint}` : `无法${action}状态为"${from}"的工单。${hint}`;
  }
  return ERROR_TEXT[api.code ?? '']?.[language] ?? ERROR_TEXT[STATUS_FALLBACK[api.status ?? 500] ?? 'internal']?.[language] ?? '';
}

const FIELD_CODES = new Set(['too_big', 'too_small', 'invalid_format', 'invalid_type', 'invalid_value', 'invalid-value', 'custom', 'unrecognized_keys']);

/** Whether the console has its own words for a code the API sends, an error's or a field's (others fall back to their status's). */
export function translatesCode(code: string): boolean {
  return code === 'illegal-transition' || code in ERROR_TEXT || code in UPLOAD_PROBLEMS || FIELD_CODES.has(code);
}

/**
 * What to tell the agent about a failed request, in the UI language, from the API's error code and
 * field codes (never the API's English detail).
 */
export function errorText(error: unknown, language: UiLanguage): string {
  const api = error as Partial<ApiError> | undefined;
  if (!api || typeof api.status !== 'number') return language === 'en' ? 'The desk could not be reached: check the connection.' : '无法连接服务，请检查网络。';
  const fields = (api.fields ?? []).map((field) => fieldProblem(field, language));
  return [headline(api, language), ...fields].join(' ');
}

/**
 * For the editors of desk settings and templates: the translated sentence, then each refused field
 * by its path with the API's own words, which name the exact setting or placeholder at fault (the
 * people there edit the same paths; a translated "a field: not valid" would not say which).
 */
export function editorErrorText(error: unknown, language: UiLanguage): string {
  const api = error as Partial<ApiError> | undefined;
  if (!api || typeof api.status !== 'number' || (api.fields ?? []).length === 0) return errorText(error, language);
  return `${headline(api, language)} ${(api.fields ?? []).map((field) => `${field.field}: ${field.message}`).join('; ')}`;
}
