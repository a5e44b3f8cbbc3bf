import type { Language, Priority, TicketStatus, TicketType } from '../domain/ticket.js';

const TYPE_LABELS: Readonly<Record<TicketType, Record<Language, string>>> = {
  consultation: { 'zh-CN': '咨询', en: 'Consultation' },
  fault: { 'zh-CN': '故障报修', en: 'Fault report' },
  'after-sales': { 'zh-CN': '售后服务', en: 'After-sales' },
  complaint: { 'zh-CN': '投诉', en: 'Complaint' },
  suggestion: { 'zh-CN': '建议', en: 'Suggestion' },
  other: { 'zh-CN': '其他', en: 'Other' },
};

const PRIORITY_LABELS: Readonly<Record<Priority, Record<Language, string>>> = {
  P1: { 'zh-CN': 'P1 紧急', en: 'P1 Urgent' },
  P2: { 'zh-CN': 'P2 高', en: 'P2 High' },
  P3: { 'zh-CN': 'P3 普通', en: 'P3 Normal' },
  P4: { 'zh-CN': 'P4 低', en: 'P4 Low' },
};

const STATUS_LABELS: Readonly<Record<TicketStatus, Record<Language, string>>> = {
  new: { 'zh-CN': '新建', en: 'New' },
  'needs-confirmation': { 'zh-CN': '待确认分类', en: 'Awaiting classification' },
  open: { 'zh-CN': '处理中', en: 'In progress' },
  'waiting-on-customer': { 'zh-CN': '等待客户回复', en: 'Waiting for customer reply' },
  resolved: { 'zh-CN': '已解决', en: 'Resolved' },
  closed: { 'zh-CN': '已关闭', en: 'Closed' },
  reopened: { 'zh-CN': '已重新打开', en: 'Reopened' },
};

// Values arrive from stored records; an unknown one is shown as it is rather than as "undefined".
function lookup<K extends string>(table: Readonly<Record<K, Record<Language, string>>>, key: K, language: Language): string {
  const entry = Object.hasOwn(table, key) ? table[key] : undefined;
  return entry?.[language] ?? entry?.en ?? String(key);
}

/**
 * The ticket type as shown to people.
 *
 * @example
 * typeLabel('fault', 'zh-CN'); // '故障报修'
 */
export function typeLabel(type: TicketType, language: Language): string {
  return lookup(TYPE_LABELS, type, language);
}

/**
 * The priority with its meaning.
 *
 * @example
 * priorityLabel('P1', 'en'); // 'P1 Urgent'
 */
export function priorityLabel(priority: Priority, language: Language): string {
  return lookup(PRIORITY_LABELS, priority, language);
}

/**
 * The ticket status as shown to people.
 *
 * @example
 * statusLabel('waiting-on-customer', 'zh-CN'); // '等待客户回复'
 */
export function statusLabel(status: TicketStatus, language: Language): string {
  return lookup(STATUS_LABELS, status, language);
}

const REASON_LABELS: Readonly<Record<string, Record<Language, string>>> = {
  'first-response-deadline-missed': { 'zh-CN': '首次响应超时', en: 'first-response deadline missed' },
  'plan-deadline-missed': { 'zh-CN': '解决方案（临时方案）超时', en: 'plan/workaround deadline missed' },
  'resolution-deadline-missed': { 'zh-CN': '解决时限超时', en: 'resolution deadline missed' },
  'customer-has-not-answered': { 'zh-CN': '客户 24 小时未回复', en: 'the customer has not answered for 24 hours' },
  'survey-window-expired': { 'zh-CN': '满意度调查期限已过', en: 'survey window expired' },
  reopened: { 'zh-CN': '工单已重新打开，需要重新答复', en: 'the ticket was reopened and needs a new answer' },
  'customer-wrote-after-close': { 'zh-CN': '客户在工单关闭后来信', en: 'the customer wrote after the ticket was closed' },
  'customer-says-not-solved': { 'zh-CN': '客户表示问题仍未解决', en: 'the customer says the problem is not solved' },
  mentioned: { 'zh-CN': '同事在备注中提到了你', en: 'a colleague mentioned you in a note' },
  'p1-still-unanswered': { 'zh-CN': 'P1 工单升级后仍无人答复', en: 'P1 still unanswered after escalation' },
};

/** Reasons the system writes as codes read as words in mail; a reason an agent typed stays as typed. */
export function reasonLabel(reason: string, language: Language): string {
  return REASON_LABELS[reason]?.[language] ?? reason;
}
