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
 * Bilingual keyword rules (see shared/domain/classification.ts for how keywords match: Chinese
 * anywhere, English on word boundaries with common endings). Every matching rule adds its tag;
 * the highest priority among matches wins, and a rule without a priority counts as P3. Rule order
 * breaks ties between rules of equal priority (the type and the best-guess team come from the
 * earlier one), so the more specific rules come first.
 *
 * Keywords are chosen to be specific: broad words such as 请问 ("may I ask", in front of almost
 * every Chinese question), 怎么 (also "why"), 错误 (also "wrong address") or "package" (also a
 * price plan) would tag nearly every request and send it to confirmation for nothing.
 */
export const DEFAULT_RULES: KeywordRule[] = [
  {
    tag: 'outage',
    keywords: [
      '宕机', '系统瘫痪', '服务中断', '全部无法', '都无法使用', '网站打不开', '网站无法访问', '系统无法访问', '服务不可用', '停服', '大面积',
      'outage', 'is down', 'site down', 'service down', 'server down', 'system down', 'down for everyone', 'not reachable', 'production down', 'service unavailable',
    ],
    type: 'fault',
    team: 'technical',
    priority: 'P1',
  },
  {
    tag: 'security',
    keywords: [
      '盗刷', '账号被盗', '账户被盗', '被盗号', '资金安全', '未经授权', '异常扣款', '诈骗',
      'fraud', 'fraudulent', 'unauthorized charge', 'unauthorised charge', 'unauthorized transaction', 'unauthorised transaction', 'account hacked', 'account compromised', 'been hacked',
    ],
    type: 'fault',
    team: 'technical',
    priority: 'P1',
  },
  {
    tag: 'payment-failed',
    keywords: [
      '支付失败', '付款失败', '无法支付', '支付不成功', '付不了款', '交易失败', '重复扣费', '重复扣款', '扣款', '多扣',
      'payment failed', 'payment declined', 'payment error', 'payment not going through', 'charged twice', 'double charged', 'card declined', 'could not pay', 'cannot pay', "can't pay",
    ],
    type: 'fault',
    team: 'technical',
    priority: 'P2',
  },
  {
    tag: 'complaint',
    keywords: [
      '投诉', '太差', '不满', '差评', '态度差', '态度恶劣', '欺骗', '骗人', '合同纠纷', '律师', '起诉', '消协', '12315',
      'complaint', 'complain', 'unacceptable', 'terrible service', 'poor service', 'contract dispute', 'lawyer', 'legal action', 'scam',
    ],
    type: 'complaint',
    team: 'after-sales',
    priority: 'P2',
  },
  {
    tag: 'login',
    keywords: [
      '无法登录', '登录不了', '登录不上', '登不上', '登录失败', '无法登陆', '登陆不了', '密码错误', '忘记密码', '账号被锁', '账号锁定',
      'cannot log in', "can't log in", 'unable to log in', 'cannot login', "can't login", 'unable to login', 'login failed', 'cannot sign in', "can't sign in", 'unable to sign in',
      'locked out', 'account locked', 'password reset', 'reset my password', 'forgot my password', 'forgot password',
    ],
    type: 'fault',
    team: 'technical',
  },
  {
    tag: 'bug',
    keywords: [
      '报错', '出错', '系统错误', '错误代码', '错误提示', '提示错误', '闪退', '崩溃', '卡死', '白屏', '打不开', '无法使用', '用不了', '故障', '异常',
      'bug', 'error', 'crash', 'freezes', 'does not work', "doesn't work", 'not working', 'stopped working', 'glitch',
    ],
    type: 'fault',
    team: 'technical',
  },
  {
    tag: 'damaged',
    keywords: ['破损', '损坏', '坏了', '质量问题', '瑕疵', '发错货', '少发', '漏发', 'damaged', 'arrived broken', 'defective', 'faulty item', 'wrong item', 'missing item'],
    type: 'after-sales',
    team: 'after-sales',
  },
  {
    tag: 'refund',
    keywords: ['退款', '退货', '退钱', '换货', '退换', '七天无理由', 'refund', 'return', 'money back', 'exchange', 'replacement'],
    type: 'after-sales',
    team: 'after-sales',
  },
  {
    tag: 'order-change',
    keywords: [
      '取消订单', '修改订单', '修改地址', '更改地址', '改地址', '修改收货',
      'cancel my order', 'cancel the order', 'cancel order', 'change my order', 'change my address', 'change the address', 'change the delivery address', 'change the shipping address',
    ],
    type: 'after-sales',
    team: 'after-sales',
  },
  {
    tag: 'delivery',
    keywords: [
      '物流', '快递', '发货', '配送', '没收到', '未收到', '还没到', '没到货', '运单', '快递单号',
      'delivery', 'shipping', 'tracking', 'parcel', 'shipment', 'not received', 'never received', "hasn't arrived", 'has not arrived', 'not arrived', 'where is my order',
    ],
    type: 'after-sales',
    team: 'after-sales',
  },
  {
    tag: 'invoice',
    keywords: ['发票', '账单', '开票', '收据', 'invoice', 'billing', 'receipt', 'vat'],
    type: 'consultation',
    team: 'general',
  },
  {
    tag: 'how-to',
    keywords: [
      '如何', '怎样', '怎么用', '怎么设置', '怎么操作', '怎么办理', '怎么使用', '使用方法', '教程', '在哪里设置',
      'how do i', 'how to', 'how can i', 'where can i', 'is it possible to', 'tutorial', 'instructions',
    ],
    type: 'consultation',
    team: 'general',
  },
  {
    tag: 'suggestion',
    keywords: ['建议', '希望增加', '希望能增加', '新功能', '功能建议', '改进意见', 'suggestion', 'feature request', 'would be nice', 'it would be great', 'feedback'],
    type: 'suggestion',
    team: 'general',
    priority: 'P4',
  },
];
