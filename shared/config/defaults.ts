import type { AgentConfig, KeywordRule, TeamConfig } from './schema.js';

/** The three teams the requirements name. */
export const DEFAULT_TEAMS: TeamConfig[] = [
  { id: 'technical', name: { 'zh-CN': '技术支持', en: 'Technical Support' }, types: ['fault'] },
  { id: 'after-sales', name: { 'zh-CN': '售后服务', en: 'After-Sales' }, types: ['after-sales', 'complaint'] },
  { id: 'general', name: { 'zh-CN': '综合咨询', en: 'General Enquiries' }, types: ['consultation', 'suggestion', 'other'] },
];

/** Demo agents for the local runtime; a deployment replaces them with its Cognito users. */
export const DEFAULT_AGENTS: AgentConfig[] = [
  { id: 'alice', name: 'Alice Wang', email: 'alice@support.example.com', team: 'technical', roles: ['agent'], available: true },
  { id: 'bob', name: 'Bob Li', email: 'bob@support.example.com', team: 'technical', roles: ['agent'], available: true },
  { id: 'carol', name: 'Carol Zhang', email: 'carol@support.example.com', team: 'after-sales', roles: ['agent'], available: true },
  { id: 'dave', name: 'Dave Chen', email: 'dave@support.example.com', team: 'general', roles: ['agent'], available: true },
  { id: 'sam', name: 'Sam Zhou', email: 'sam@support.example.com', team: 'technical', roles: ['agent', 'supervisor'], available: true },
  { id: 'quinn', name: 'Quinn Liu', email: 'quinn@support.example.com', team: 'general', roles: ['qa'], available: true },
  { id: 'root', name: 'Desk Admin', email: 'admin@support.example.com', team: 'general', roles: ['admin', 'supervisor'], available: false },
];

/**
 * Bilingual keyword rules. Order matters only for readability: every matching rule adds its tag,
 * and the highest priority among matches wins.
 */
export const DEFAULT_RULES: KeywordRule[] = [
  {
    tag: 'outage',
    keywords: ['宕机', '崩溃', '全部无法', '系统瘫痪', '服务中断', '无法访问', '停服', 'outage', 'is down', 'site down', 'service down', 'not reachable', 'all users', 'production down'],
    type: 'fault',
    team: 'technical',
    priority: 'P1',
  },
  {
    tag: 'payment-failed',
    keywords: ['支付失败', '付款失败', '扣款', '重复扣费', 'payment failed', 'payment declined', 'charged twice', 'double charged', 'card declined'],
    type: 'fault',
    team: 'technical',
    priority: 'P2',
  },
  {
    tag: 'login',
    keywords: ['无法登录', '登录不了', '登不上', '登录失败', '密码错误', 'cannot log in', "can't log in", 'cannot login', "can't login", 'unable to log in', 'login failed', 'locked out', 'password reset'],
    type: 'fault',
    team: 'technical',
  },
  {
    tag: 'bug',
    keywords: ['报错', '错误', '闪退', '打不开', 'bug', 'error', 'crash', 'broken', 'does not work', "doesn't work", 'not working'],
    type: 'fault',
    team: 'technical',
  },
  {
    tag: 'delivery',
    keywords: ['物流', '快递', '发货', '配送', '没收到', '未收到', 'delivery', 'shipping', 'tracking', 'parcel', 'package', 'not received', 'shipment'],
    type: 'after-sales',
    team: 'after-sales',
  },
  {
    tag: 'refund',
    keywords: ['退款', '退货', '退钱', '换货', 'refund', 'return', 'money back', 'exchange'],
    type: 'after-sales',
    team: 'after-sales',
  },
  {
    tag: 'complaint',
    keywords: ['投诉', '太差', '不满', '欺骗', '合同纠纷', 'complaint', 'complain', 'unacceptable', 'terrible service', 'contract dispute'],
    type: 'complaint',
    team: 'after-sales',
    priority: 'P2',
  },
  {
    tag: 'invoice',
    keywords: ['发票', '账单', '开票', 'invoice', 'billing', 'receipt'],
    type: 'consultation',
    team: 'general',
  },
  {
    tag: 'how-to',
    keywords: ['如何', '怎么', '怎样', '请问', 'how do i', 'how to', 'how can i', 'where can i'],
    type: 'consultation',
    team: 'general',
  },
  {
    tag: 'suggestion',
    keywords: ['建议', '希望增加', '反馈', 'suggestion', 'feature request', 'would be nice', 'feedback'],
    type: 'suggestion',
    team: 'general',
    priority: 'P4',
  },
];
