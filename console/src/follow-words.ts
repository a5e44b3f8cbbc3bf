import type { UiLanguage } from './labels.js';

/**
 * The console's words for follow-through (docs/follow-through.md): tasks, plans, unread markers,
 * checklists, the escalation register and feature requests. Kept beside i18n.tsx's dictionary
 * in the same two languages.
 */
const WORDS = {
  myTasks: { en: 'My tasks', 'zh-CN': '我的任务' },
  plan: { en: 'Plan given', 'zh-CN': '提供方案' },
  planText: { en: 'The plan or workaround, and what happens next (sent to the customer)', 'zh-CN': '处理方案或临时办法，以及下一步（发送给客户）' },
  why: { en: 'Why it is needed (sent to the customer)', 'zh-CN': '为什么需要（发送给客户）' },
  due: { en: 'Due', 'zh-CN': '截止' },
  reasonCol: { en: 'What to do', 'zh-CN': '事项' },
  markDone: { en: 'Mark done', 'zh-CN': '标记完成' },
  noTasks: { en: 'No open tasks.', 'zh-CN': '没有待办任务。' },
  unread: { en: 'New since you last looked', 'zh-CN': '有新动态' },
  unreadCount: { en: 'unread', 'zh-CN': '条未读' },
  'customer-has-not-answered': { en: 'Customer has not answered: follow up', 'zh-CN': '客户未回复：请跟进' },
  reopened: { en: 'Ticket reopened: answer again', 'zh-CN': '工单已重新打开：请再次答复' },
  'customer-wrote-after-close': { en: 'Customer wrote after close', 'zh-CN': '客户在关闭后来信' },
  'unread-assigned': { en: 'assigned to you', 'zh-CN': '分配给你' },
  'unread-customer-replied': { en: 'customer replied', 'zh-CN': '客户回复' },
  'unread-mentioned': { en: 'you were mentioned', 'zh-CN': '有人提到你' },
  'unread-task': { en: 'new task', 'zh-CN': '新任务' },
  'first-response-deadline-missed': { en: 'First-response deadline missed', 'zh-CN': '首次响应超时' },
  'plan-deadline-missed': { en: 'Plan deadline missed', 'zh-CN': '解决方案超时' },
  'resolution-deadline-missed': { en: 'Resolution deadline missed', 'zh-CN': '解决时限超时' },
  features: { en: 'Feature requests', 'zh-CN': '需求登记' },
  feature: { en: 'Request', 'zh-CN': '需求' },
  customers: { en: 'Customers', 'zh-CN': '客户数' },
  stage: { en: 'Stage', 'zh-CN': '阶段' },
  urgency: { en: 'Urgency', 'zh-CN': '紧急程度' },
  background: { en: 'Customer background', 'zh-CN': '客户背景' },
  industry: { en: 'Industry', 'zh-CN': '行业' },
  feedback: { en: 'Feedback to the customers (sent to each)', 'zh-CN': '给客户的反馈（逐一发送）' },
  changeStage: { en: 'Change stage', 'zh-CN': '更新阶段' },
  linkFeature: { en: 'Record as feature request', 'zh-CN': '登记为需求' },
  newFeature: { en: '— a new request —', 'zh-CN': '— 新需求 —' },
  title: { en: 'Title', 'zh-CN': '标题' },
  demandType: { en: 'Demand type', 'zh-CN': '需求类型' },
  'stage-received': { en: 'Received', 'zh-CN': '已登记' },
  'stage-investigating': { en: 'Investigating', 'zh-CN': '评估中' },
  'stage-in-development': { en: 'In development', 'zh-CN': '开发中' },
  'stage-in-test': { en: 'In test', 'zh-CN': '测试中' },
  'stage-released': { en: 'Released', 'zh-CN': '已发布' },
  'stage-declined': { en: 'Declined', 'zh-CN': '暂不采纳' },
  'urgency-high': { en: 'High (24 h)', 'zh-CN': '高（24 小时）' },
  'urgency-medium': { en: 'Medium (3 working days)', 'zh-CN': '中（3 个工作日）' },
  'urgency-low': { en: 'Low', 'zh-CN': '低' },
  'background-new': { en: 'New customer', 'zh-CN': '新客户' },
  'background-existing': { en: 'Existing customer', 'zh-CN': '老客户' },
  'type-new-feature': { en: 'New feature', 'zh-CN': '新功能' },
  'type-improvement': { en: 'Improvement', 'zh-CN': '功能改进' },
  'type-integration': { en: 'Integration', 'zh-CN': '集成对接' },
  'type-performance': { en: 'Performance', 'zh-CN': '性能' },
  'type-usability': { en: 'Usability', 'zh-CN': '易用性' },
  'type-other': { en: 'Other', 'zh-CN': '其他' },
  checklist: { en: 'Handling checklist', 'zh-CN': '处理清单' },
  identityChecked: { en: 'Identity checked', 'zh-CN': '已核实身份' },
  identityNeeded: { en: 'Identity not yet checked: needed before changing an order or address.', 'zh-CN': '尚未核实身份：修改订单或地址前必须核实。' },
  identityMethod: { en: 'How it was checked (e.g. last 4 digits of the ordering phone)', 'zh-CN': '核实方式（如下单手机号后四位）' },
  recordIdentity: { en: 'Record identity check', 'zh-CN': '记录身份核实' },
  changesOrder: { en: 'This reply changes an order or an address', 'zh-CN': '此回复涉及修改订单或地址' },
  register: { en: 'Escalation register', 'zh-CN': '升级登记表' },
  week: { en: 'Week', 'zh-CN': '周' },
  raised: { en: 'Raised', 'zh-CN': '升级时间' },
  severity: { en: 'Severity', 'zh-CN': '严重程度' },
  description: { en: 'Description', 'zh-CN': '问题描述' },
  reason: { en: 'Reason', 'zh-CN': '原因' },
  firstAction: { en: 'First action', 'zh-CN': '首次处理措施' },
  receiving: { en: 'Receiving team / person', 'zh-CN': '接收团队/人员' },
  expected: { en: 'Expected resolution', 'zh-CN': '预计解决时间' },
  actual: { en: 'Actual resolution', 'zh-CN': '实际解决时间' },
  solution: { en: 'Solution', 'zh-CN': '解决方案' },
  satisfaction: { en: 'Satisfaction', 'zh-CN': '满意度' },
  handler: { en: 'Handler', 'zh-CN': '处理人' },
  secondTier: { en: 'Desk manager told', 'zh-CN': '已升级至经理' },
} as const satisfies Record<string, Record<UiLanguage, string>>;

export type FollowWord = keyof typeof WORDS;

export function fw(word: FollowWord, language: UiLanguage): string {
  return WORDS[word][language];
}

/** A task's or marker's reason in the UI language; an unknown one as it came. */
export function reasonText(reason: string, language: UiLanguage): string {
  return reason in WORDS ? WORDS[reason as FollowWord][language] : reason;
}
