import type { Cue, KeywordRule } from './schema.js';

/**
 * The default bilingual classification data (how it is used: shared/domain/classification.ts;
 * how it is measured: docs/triage-evaluation.md). Chinese keywords are written in Simplified
 * Chinese: Traditional text is converted before matching. English keywords match by word stem,
 * so one form covers "charge", "charged", "charges".
 *
 * Rules vote for a type; no rule names a team, so the team follows the type (configurable per
 * team in `teams[].types`). Keywords are chosen to be specific: broad words such as 请问 belong to
 * the information cue below, which only votes weakly for a consultation.
 */
/**
 * A keyword list written as one text, the keywords separated by "|" (white space around them is
 * not part of them): the lists are long, and as a text each keyword costs one separator in the
 * bundle instead of two quotes and a comma.
 */
const words = (list: string): string[] => list.split('|').map((word) => word.trim());

/**
 * Words about giving money back. Next to them, "not arrived yet" is a refund on its way (after-sales,
 * P3 by the policy), not money gone missing (a fault, P1).
 */
const REFUND_WORDS = words(`退款|退钱|退费|退回|退还|退的钱|退货款|返还|退了|refund|reimburse|money back`);

/** Words about a login account. Next to them, "frozen" is a lock-out (P2), not frozen funds (P1). */
const ACCOUNT_LOCK_WORDS = words(`账号|帐号|账户被锁|密码|登录|登陆|登入|异常登录|解锁|log in|login|password|sign in`);

/**
 * Asking how one's own case is going (a status question, P3, typed by what the case is about):
 * next to these, "怎么/哪里/想问/吗" are not a how-to or an information request, and a closing
 * "thanks" is politeness, not a thank-you note.
 */
const PROGRESS_WORDS = words(`
  进度|进展|处理到|到哪一步|到哪了|处理得怎么样|怎么样了|好了吗|好了没|开好了|寄出了吗|发出了吗|有消息吗|有结果吗|查一下|帮忙查|帮我查|追踪一下|跟进一下|确认一下状态|
  status of|any news|any update|an update on|check on|checking on|checking in|following up|where things stand|heard anything
`);

/**
 * Asking for something to be added: in that sentence, fault words name the feature wanted
 * ("建议增加密码错误提示次数" proposes a login-error counter; nothing is broken).
 */
/** Places: "where is your store" asks for information (P4), "where can I change it" how to do something (P3). */
const PLACE_WORDS = words(`门市|门店|实体店|线下店|公司地址|门店地址|办公地址|办公室|office|offices|located|location|store near`);

/** Next to these, "在哪/哪里/怎么" ask about a case or a place, not how to do something. */
const HOW_TO_UNLESS = [...PROGRESS_WORDS, ...PLACE_WORDS];

/** Asking whether something will be charged is a question about the rules, not money at risk. */
const CHARGE_QUESTION_WORDS = words(`会自动扣费吗|会扣费吗|会不会扣|会扣钱吗|会收费吗|will i be charged|am i charged|do you charge`);

/**
 * Praise said in scorn ("Wow, great service.", "thanks for nothing", 你们可真行): next to these,
 * thanks are not a thank-you note, and the words themselves are a complaint.
 */
const SARCASM_WORDS = words(`oh great|oh fantastic|oh brilliant|oh wonderful|oh perfect|just great|thanks for nothing|thanks a lot for|money well spent|可真行|服了你们|真是服了|呵呵`);

/**
 * Asking for something to be done in the same sentence as the thanks ("麻烦看一下，谢谢", "please
 * fix this, thanks"): the thanks are politeness, not a thank-you note. (Not "please" alone: a
 * thank-you note says "please pass on my thanks".)
 */
const COURTESY_WORDS = words(`麻烦看|麻烦尽快|请尽快|尽快处理|please fix|please check|please look|could you check|could you look|can you check|can you look`);

const ADDITION_WORDS = words(`建议增加|建议添加|建议加上|希望增加|希望能增加|希望可以增加|能不能增加|可否增加|please add|could you add|can you add|add an option|nice to have`);

/**
 * Lists shared by a rule and a cue, so they cannot drift apart (and the bundle carries each word
 * once): a payment that fails or takes money twice is a fault AND money at risk (P1 by the policy);
 * fraud is a security fault AND money at risk; a failure word names a fault AND a broken feature
 * (P2); a cosmetic problem a fault AND a non-core one (P3); an outage a fault AND P1.
 */
const PAYMENT_FAILURE_WORDS = words(`
  支付失败|付款失败|无法支付|付不了|交易异常|重复扣|扣款|扣费|被扣|扣了|扣掉|扣走|多扣|钱扣了|提现失败|订单未成功|无法付款|没法付款|没办法付款|付了两遍|多付|重复支付|付款成功但|支付成功但|钱付了但|payment failed|payment fail|
  payments are failing|payment declined|charged twice|double charged|declined|duplicate charge|billed twice|double billed|
  could not be completed|transaction failed|won't go through|paid twice|payment went through but|paid but|无法刷卡|没办法刷卡|刷不了卡|刷卡失败|结不了账|结不了帐|无法结账|
  无法结帐|没办法结账|没办法结帐|付款页面打不开|支付页面打不开|took twice|taken twice|twice for the same|卡在待支付|一直待支付|支付不成功|交易失败|都付不了|不能付款|不能支付|没法支付|没办法支付|付了两次|重复付款|
  payment error|payment not going through|card declined|could not pay|cannot pay|can't pay|transaction declined|doesn't go through|
  not going through|没法刷卡|不能刷卡|没法结账|没法结帐|停在待支付|
  checkout keeps|checkout is broken|checkout broken|checkout fails|checkout failing|checkout error|checkout not working|checkout isn't working|checkout doesn't work|
  can't checkout|cannot checkout|can't check out|cannot check out|结账失败|结账页面打不开|结账一直
`);

const FRAUD_WORDS = words(`
  盗刷|被盗|盗用|盗号|莫名|不明款项|冒用|冒名|fraud|unauthorized|unauthorised|did not authorize|didn't authorize|hacked|compromised|did not make these|
  didn't make these|identity theft|不是我本人|不是本人|非本人|没买过|没有买过|根本没打开过|没有消费过|没消费过|i never bought|never made this|i didn't buy|i did not buy|被转走|转走了|
  被划走|划走了|didn't make this|did not make this|block my account|资金变动|异常扣款|诈骗|冒充|身份被盗|fraudulent|not authorize|did not place|didn't place|
  never made that|wasn't me|never placed|never ordered|i didn't order|i did not order
`);

/** Money the customer paid that has not arrived where it should: missing, unless it is a refund. */
const MONEY_MISSING_WORDS = words(`没有到账|没到账|未到账|不到账|没有入账|没入账|未入账|余额没有增加|余额没变`);

const FUNDS_FROZEN_WORDS = words(`冻结|funds frozen|frozen funds|balance frozen|frozen balance`);

const FAILURE_WORDS = words(`
  报错|闪退|卡死|转圈|没反应|没有反应|用不了|坏掉|异常|失败|对不上|404|没生效|受限|没有任何反应|显示为0|数据不对|不准确|不好使|失灵|加载不出|显示不出|点不了|黑屏|卡住|上传不了|保存不了|提交不了|发不出去|error|crash|freezes|
  does not work|doesn't work|not working|does nothing|timeout|broken|500|404|spinning|never loads|isn't working|stopped|greyed out|grayed out|
  incorrect|not responding|unresponsive|乱码|提不了|自动关闭|改不了|一直在加载|导不出来|没导出来|导出不了|显示空白|邮件收不到|收不到邮件|没收到邮件|信一直没收到|doesn't exist|does not exist|无权限|
  没有权限|没权限|权限不足|no permission|permission denied|access denied|forbidden|403|something went wrong|went wrong|出错了|系统错误|freezing|超时|一直超时|没保存上|
  保存不上|empty file|produces an empty
`);

const MINOR_FAULT_WORDS = words(`
  显示不全|错位|错别字|很慢|特别慢|载入很慢|typo|slow|no results|oddly|font|旧号码|过时|看不清|不消失|outdated|out of date|hard to read|字太小|截断|怪怪的|truncated|annoying|
  misspelled|看不太清|takes a while|偶尔|卡一下|十几秒|几十秒|好几秒|等半天|打开很慢|反应很慢|loads slowly|seconds to load|seconds to open
`);

const OUTAGE_WORDS = words(`
  宕机|瘫痪|服务中断|当机|挂了|挂掉|502|503|outage|当掉|死机|完全中断|全部中断|业务中断|全部返回|全都报错|全部报错
`);

const HOW_TO_WORDS = words(`
  如何|怎么|怎样|教程|在哪|哪里|how do i|how to|how can i|where can i|where do i|tutorial|where to find|where to see|where to get|could you tell me
`);

export const DEFAULT_RULES: KeywordRule[] = [
  {
    tag: 'outage',
    keywords: [...OUTAGE_WORDS, ...words(`
      崩溃|崩了|无法访问|访问不了|连不上|无法连接|无法连线|网站打不开|白屏|服务器繁忙|down|unavailable|not reachable|blank page|can't access|cannot access|系统崩
    `)],
    type: 'fault',
    weight: 1.5,
  },
  {
    tag: 'security',
    keywords: [...FRAUD_WORDS, ...words(`
      异地登录|陌生地点|被人登录|被别人登录|被人改了|using my account|someone else|another country|unknown device|unknown location|someone is logging|someone logged in|
      logged into my account
    `)],
    type: 'fault',
    weight: 1.5,
  },
  {
    tag: 'payment-failed',
    keywords: [...PAYMENT_FAILURE_WORDS, ...words(`
      银行卡状态|显示未付款|显示未支付|订单没生成|没有生成订单|订单不见了|checkout|was charged|charged me|charged my card|charged my account|charges on my card|
      charge on my statement|order was not created|no order was created
    `)],
    unless: CHARGE_QUESTION_WORDS,
    type: 'fault',
    weight: 1.5,
  },
  {
    // Money the customer paid that has not arrived where it should: missing, unless it is a refund.
    tag: 'payment-missing',
    keywords: MONEY_MISSING_WORDS,
    unless: REFUND_WORDS,
    type: 'fault',
    weight: 1.5,
  },
  {
    tag: 'funds-frozen',
    keywords: FUNDS_FROZEN_WORDS,
    unless: ACCOUNT_LOCK_WORDS,
    type: 'fault',
    weight: 1.5,
  },
  {
    tag: 'login',
    keywords: words(`
      无法登录|登录不了|登录不上|登不上|登不进|登录失败|无法登陆|登陆不了|密码错误|账号被锁|账号锁定|被锁定|锁住|账号被冻结|账号冻结|解冻|解锁|验证码|收不到短信|没法注册|
      log in|login|sign in|account locked|locked|unlock|password reset|reset my password|logged out|session expired|401|
      重设密码|重置密码|找回密码|
      被限制|已被限制|限制登录|账号受限|存在风险
    `),
    unless: ADDITION_WORDS,
    type: 'fault',
  },
  {
    tag: 'bug',
    keywords: [...FAILURE_WORDS, ...MINOR_FAULT_WORDS, ...words(`
      出错|错误代码|错误提示|服务器内部错误|内部错误|无法使用|不能用|没法用|故障|无法导出|导出失败|同步失败|加载|格式有点乱|换不了|搜不到|下不了单|无法下单|没法下单|收不了款|显示成|显示不对|显示错|格式不对|没任何反应|点不动|数据有误|统计不对|出故障|
      刷不出|点不开|自动退出|一直提示|不显示|上传失败|下载不了|下载失败|保存失败|提交失败|发送失败|无法保存|无法上传|无法下载|无法发送|无法打开|无法显示|无法加载|无法同步|无法更新|bug|glitch|fails|blank|odd|
      sort order|loading forever|different from|mismatch|inconsistent|wrong price|shows the wrong|shows wrong|won't load|unable to|
      not loading|doesn't load|won't let me|disappeared|not showing|isn't showing|not displaying|not updating|can't upload|can't download|
      can't save|keeps crashing|black screen|logs me out|kicked out|卡顿|很卡|进不去|无响应|数据丢失|不同步|闪屏|won't open|can't open|cannot open|hangs|
      frozen|stuck|not syncing|data loss|旧的|信息有误|写错了|消不掉|去不掉|解绑|still shows the old|difficult to read|won't go away|doesn't go away|
      doesn't disappear|不见了|数据没了|数据丢了|丢失|自己关闭|自动关掉|一直加载|一片空白|页面空白|被截断|显示不完整|奇怪|不正常|排序不对|排序有问题|排序错|没有收到邮件|修复|请修复|page not found|not found|
      need this fixed|please fix|fix this|get this fixed|emails never arrive|never received the email|didn't get the email|an error occurred|出了点问题|
      spelling mistake|spelling error|misspelt|拼写错误|拼错|takes ages|takes forever|没有保存|empty export|of the old|old version|旧版|有点卡|会卡
    `)],
    unless: ADDITION_WORDS,
    type: 'fault',
  },
  {
    tag: 'damaged',
    keywords: words(`
      破损|损坏|坏了|摔坏|裂痕|划痕|凹痕|瑕疵|质量问题|质量太差|开线|发错|少发|漏发|少寄|漏寄|补寄|补发|缺少|不符|质量差|做工|起球|掉色|褪色|破洞|碎了|不新鲜|临期|过期了|变质|缺件|空包|假货|不是正品|货不对板|寄错|太紧|太松|偏大|偏小|不合身|没有声音|漏水|不合脚|尺码不合适|不合适|
      damaged|crushed|cracked|defective|wrong item|wrong size|wrong color|wrong colour|leaking|scratched|doesn't match|does not match|without the charger|too small|too big|lost package|missing parts|missing item|instead of|but got|but received|faulty|arrived damaged|not as described|counterfeit|fake|spoiled|missing from my order|incomplete order|return label|doesn't fit|does not fit|too tight|too loose|
      裂了|裂开|破了|摔碎|压坏|压扁|凹了|变形|刮痕|
      只收到|只到了|少了一件|缺了|only received|only got|items missing|item missing|
      没声音|无声|不响
    `),
    type: 'after-sales',
    weight: 1.2,
  },
  {
    tag: 'refund',
    keywords: words(`
      退款|退货|退钱|退的钱|退费|换货|退换|换一个|换个|无理由|保修|维修|售后|退差价|差价|价保|
      refund|return|money back|exchange|replacement|warranty|repair|swap|sent back|send back|shipped back|mailed back|
      换新
    `),
    // A question about the returns policy is an information request, not a return.
    unless: words(`政策|policy|policies`),
    type: 'after-sales',
  },
  {
    tag: 'order-change',
    keywords: words(`
      取消订单|修改订单|改一下订单|订单里的|改数量|修改数量|改地址|修改地址|更改地址|修改收货|改一下收货|不想要了|
      cancel my order|cancel the order|cancel order|change my order|before it ships|
      下错单|下错了|拍错了|买错了|选错了|ordered the wrong|placed the wrong|wrong order|
      取消通知|被取消|自动取消|order was cancelled|order was canceled|cancelled my order|canceled my order
    `),
    type: 'after-sales',
    weight: 1.2,
  },
  {
    tag: 'delivery',
    keywords: words(`
      物流|快递|发货|配送|没收到|未收到|没有收到|还没到|没到|送达|包裹|运单|到货|待发货|外箱|外盒|收到的|签收|延误|丢件|还没发货|催|还没收到|一直没收到|迟迟|派送|送货|驿站|寄丢|代收|出货|寄出|
      delivery|delivered|shipping|tracking|parcel|package|shipment|arrived|arrive|never arrived|not received|where is my order|courier|received|late|delayed|undelivered|hasn't arrived|hasn't shipped|not shipped|out for delivery|lost in transit|dispatched|in transit|
      中转|停在|卡在中转|卡在路上|没动|不动了|stuck in transit|still processing|still pending|显示处理中|还在处理中|一直处理中
    `),
    // "没有物流信息", "haven't received my parcel": a delivery problem said with a negation is still about delivery.
    negatable: false,
    type: 'after-sales',
  },
  {
    tag: 'complaint',
    keywords: words(`
      投诉|太差|不满|差评|态度|恶劣|欺骗|骗人|失望|不客气|再也不|管不管|打不通|没人联系|没有人|太慢了|回复太慢|处理非常不满意|到底|生气|垃圾服务|垃圾平台|太垃圾|真垃圾|忽悠|敷衍|推脱|不负责任|在拖|一直拖|拖着|拖延|踢皮球|服务太差|差劲|没人理|没人管|没人回|不回复|太过分|离谱|坑人|无语|气死|搞什么|破服务|受够了|讨个说法|给个说法|要个说法|不专业|推卸|没有诚意|很差|
      complain|complaint|unacceptable|terrible|rude|disappointed|unhappy|cheated|rip-off|ripoff|hung up|
      not impressed|never called|never got back|promised a callback|poor service|bad service|useless|waste of time|fed up|sick of|outrageous|shocking|appalling|dismissive|nobody knows|no response|not good enough|never again|lied|misleading|bad experience|unhelpful|incompetent|not happy|
      nobody answered|nobody replied|nobody responds|nobody calls|nobody picks|nobody helps|nobody gets back|nobody contacted|nobody cares|
      no one answered|no one replied|no one responds|no one calls|no one picks|no one helps|no one gets back|no one contacted|no one cares|is anyone there|angry|furious|worst|awful|horrible|ridiculous|frustrated|unprofessional|ignored|
      不耐烦|很冲|语气|爱答不理|爱理不理|冷淡|骂人|罐头|答非所问|复制粘贴|机器人回复|根本没有在看|根本不看|找领导|找你们领导|找主管|impatient|condescending|arrogant|snapped at|not acceptable|on hold|got disconnected|kept waiting|copy-paste|every agent|a manager|your manager|
      占线|没人接|打不进去|不想做生意|很不满意|没有下文|没下文|一直叫我等|让我等|
      迟到|连个电话|爽约|放鸽子|no-show|didn't show up|never showed up|never turned up|nobody came|no one came|
      说话不算数|不算数|言而无信|extremely rude|very rude|so rude|
      不太友善|不友善|不礼貌|没礼貌|弄脏|弄得很脏|挺脏|没收拾|不收拾|乱扔|扔在门口|没敲门|不敲门|回复的速度|回复速度|回复慢|响应慢|
      promised me|you promised|was promised|were promised|说好的|答应过|答应我|繁琐|折腾|来回跑|no reply|
      expect a reply|expected a reply|expected better|would have expected|not what i expected|call ended|cut me off|talked down|patronising|patronizing
    `),
    type: 'complaint',
    weight: 1.5,
  },
  {
    // Scorn is a complaint, but a weak one: "thanks a lot for charging me twice" is still money at risk.
    tag: 'sarcasm',
    keywords: SARCASM_WORDS,
    type: 'complaint',
    weight: 0.75,
  },
  {
    tag: 'invoice',
    keywords: words(`发票|开票|收据|抬头|统编|增值税|对账单|credit note|billing statement|statement of account|invoice|a receipt|the receipt|my receipt|receipt for|vat`),
    type: 'consultation',
  },
  {
    tag: 'how-to',
    keywords: [...HOW_TO_WORDS, ...words(`
      步骤|使用方法|想请教|咋办|咋弄|请教一下|instructions|how does|can you tell me|is there a way|is it possible to|how would i|
      what is the best way|where is the|guide|documentation
    `)],
    unless: HOW_TO_UNLESS,
    type: 'consultation',
  },
  {
    tag: 'suggestion',
    keywords: words(`
      建议|希望能|希望可以|希望增加|希望以后|新功能|能不能增加|增加一个|功能建议|改进|意见|能不能出|要是能|如果能|最好能|可否增加|可以增加|能增加|可以考虑|考虑增加|考虑推出|能加入|希望加入|加一个|可以加|新增|希望你们|希望贵|要是有|如果有个|期待|能否支持|能否增加|是否可以增加|
      suggestion|suggest|feature request|would be nice|would be great|it would be|please add|could you add|can you add|add an option|allow|feedback|we miss|would love|wish|idea|improvement|enhancement|could you consider|would be helpful|would be useful|please consider|option to|ability to|add support for|integration with|dark mode|would like to see|should be able to|why not add|
      产品反馈|几点反馈|一些反馈|反馈几点|几点建议|使用反馈|
      it would help|would help a lot|would be handy|would make it easier|would be easier
    `),
    type: 'suggestion',
    weight: 1.5,
  },
  {
    tag: 'not-a-request',
    keywords: words(`
      合作|洽谈|应聘|简历|招聘|广告公司|测试|名单里删除|退订|营销短信|媒体|采访|赞助|商务合作|推广|代理|加盟|供应商|投资|求职|实习|
      partnership|partner|collaboration|reseller|distributor|supplier|business opportunity|testing|job|resume|unsubscribe|marketing agency|press|interview|sponsorship|vendor|seo|guest post|advertising|sponsor|investment|internship|careers|
      journalist|writing an article|writing about|podcast|blogger|记者|撰稿|
      invite your|invitation|conference|speak at|邀请|峰会|论坛|演讲|应征|职缺|履历|岗位|vacancy|vacancies|
      可以关闭|不用处理了|自己解决了|solved it myself|you can close this|please close this
    `),
    type: 'other',
    weight: 1.5,
  },
];

/** Signals of the response-time policy; some also vote for a type (see Cue in shared/config/schema.ts). */
export const DEFAULT_CUES: Cue[] = [
  {
    kind: 'money',
    keywords: [...PAYMENT_FAILURE_WORDS, ...FRAUD_WORDS, ...words(`
      资金|余额|银行卡状态异常|钱不见了|钱没了|被骗|多收|乱扣|自动扣|charged|losing money|block my card|stolen|money missing|balance|don't recognise|don't recognize|
      unrecognised charge|unrecognized charge|overcharged|money was taken|took my money|debited|没有结算|没结算|未结算|结算不到|my saved card|
      using my card|used my card
    `)],
    unless: CHARGE_QUESTION_WORDS,
    type: 'fault',
    typeWeight: 0.5,
  },
  {
    kind: 'money',
    keywords: MONEY_MISSING_WORDS,
    unless: REFUND_WORDS,
    type: 'fault',
    typeWeight: 0.5,
  },
  {
    kind: 'money',
    keywords: FUNDS_FROZEN_WORDS,
    unless: ACCOUNT_LOCK_WORDS,
    type: 'fault',
    typeWeight: 0.5,
  },
  {
    kind: 'outage',
    keywords: [...OUTAGE_WORDS, ...words(`
      全部无法|都打不开|都进不去|都登不上|全站|服务器崩|服务器挂|都无法|都没法|都不能|大面积|is down|site down|platform is down|down for|store is down|service unavailable|went down|
      site is down|offline|completely down|nothing works|totally broken|都连不上|都登录不了|都用不了|都访问不了
    `)],
    type: 'fault',
    typeWeight: 0.5,
  },
  {
    kind: 'scope',
    keywords: words(`
      所有用户|所有人|所有客户|所有顾客|所有会员|所有员工|所有门店|所有的业务|所有接口|全部门市|全部线上|全公司|全体|全员|大家都|都用不了|同事们|同事都|同事也|其他人也|别人也|整个|全国|每个人|
      all users|all our|everyone|whole|entire|none of our|every card|all requests|for all|all customers|our customers|our users|all of us|
      nobody in our|no one in our|none of us|our company|our team can|every user|every customer|company-wide|all stores|all locations|everybody|nobody can|no one can|
      用户都|顾客都|会员都|员工都|门店都|分店都|分店全部|全部分店|所有分店|各个门店|各门店|
      所有的门店|所有的用户|所有的客户|所有的员工|所有的同事|全部同事|公司全部|全部员工|
      all branches|every branch|all five|all ten|all of our|nobody in my|no one in my|my whole team|整间|整家|全店|全部门店
    `),
  },
  {
    kind: 'stopped',
    keywords: words(`
      损失|业务都停了|停工|只能手工|影响业务|生产环境|无法提交|都下不了单|收不了款|无法营业|停业|做不了生意|没法工作|无法工作|没办法工作|影响营业|耽误生意|
      losing money|business is stopped|stopping our business|business stopped|can't take|cannot take|can't buy anything|orders are stuck|production environment|in production|production is down|can't work|cannot work|unable to work|losing sales|losing customers|costing us|blocking our|halted|
      只能收现金|只能现金|没法开展|无法开展|业务没法|业务无法|生意没法做|
      丢单|掉单
    `),
  },
  {
    kind: 'broken',
    keywords: [...FAILURE_WORDS, ...words(`
      无法|不能|打不开|错误|白屏|登不上|登不进|登录不了|收不到|连不上|不行|没用|失效|被锁|锁住|锁定|冻结|有误|401|fail|can't|cannot|unable|keeps|logged out|expired|never arrives|locked|
      forever|won't|提现不了|被限制|已被限制|限制登录|账号受限|never comes|never came|never come|isn't coming|not coming through
    `)],
    negatable: false,
    unless: ADDITION_WORDS,
    type: 'fault',
    typeWeight: 0.5,
  },
  {
    kind: 'minor',
    keywords: [...MINOR_FAULT_WORDS, ...words(`
      不影响使用|有点乱|头像|图标|字体|优惠券|有点别扭|小问题|其他功能都正常|其他都正常|帮助中心|文章|help center|help article|minor|otherwise fine|cosmetic|footer|broken link|dead link|
      not a big deal|looks a bit|红点|小红点|badge|排序|sometimes|有时|刷新一下就好|刷新就好|occasionally|intermittently|after refreshing|spelling|拼写|works after|
      old design|old screenshots|轮播
    `)],
  },
  {
    kind: 'repetition',
    keywords: words(`
      第二次|第三次|第四次|第五次|又是|又出现|再次|已经反映|反映过|反馈过|还没解决|一直没有结果|拖了|联系过两次|每次都说|又一次|三番五次|上次说|依然没有|仍然没有|又来了|又坏了|又不行|一而再|反复|屡次|重复反映|
      次电话|次邮件|封邮件|
      again|third time|second time|fourth|twice already|third message|second message|third email|second email|still don't have|still no answer|still no reply|still haven't heard|emailed twice|many times|contacted you|yet again|once more|previous ticket|last time|keeps happening|for the third|every time i contact|
      raised this|raised it|reported this|i have reported|i've reported|i've raised|i have raised|asked three times|i have asked|
      two emails|three emails|four emails|several emails|multiple emails|many emails|three calls|several calls|emails i've sent|
      third contact|second contact|contacted twice|promised twice|written twice|wrote twice|messaged twice|called twice|phoned twice|asked twice|说过这个问题|就说过了|已经说过|之前说过|上周就说过|上次就说过|
      in a row|连续两次|连续三次|接连|as per my previous|my previous email|my last email|my earlier email|see the thread below|之前的邮件|上一封邮件|
      2 emails|3 emails|4 emails|2 messages|3 messages|4 messages|two messages|three messages|several messages|multiple messages|many messages
    `),
    type: 'complaint',
    typeWeight: 1.5,
  },
  {
    // Counted contacts; in a sentence about a charge or an attempt the count is something else
    // ("charged three times" is money at risk, "tried three times" a failure).
    kind: 'repetition',
    keywords: words(`多次|好几次|很多次|三次|四次|五次|three times|four times|five times|several times|multiple times|repeatedly`),
    unless: words(`扣|付款|支付|试了|尝试|输错|输入错误|闪退|崩溃|charged|billed|tried|attempt|crash|declined|fail|wrong password`),
    type: 'complaint',
    typeWeight: 1.5,
  },
  {
    kind: 'dispute',
    keywords: words(`
      合同|合约|违反|律师|起诉|法律|消协|消费者协会|12315|仲裁|赔偿|市场监管|工商局|媒体曝光|曝光你们|
      contract|agreement|lawyer|legal|dispute|disputing|lawsuit|sue|breach|chargeback|consumer protection|trading standards|ombudsman|small claims|regulator|
      举报|报警|315|report you|report this to|better business bureau|bbb|police|
      billed us|you billed|overbilled|over-billed|账单不对|账单有误
    `),
    // Signing a contract is a sales question, not a dispute.
    unless: words(`签合同|签约|可以签|洽谈|采购|sign a contract|signing a contract|legal entity|legal name|legal address|purchase|procurement`),
    type: 'complaint',
    typeWeight: 1.5,
  },
  {
    kind: 'urgent',
    keywords: words(`紧急|急|加急|urgent|urgently|asap|emergency|critical|right away|immediately`),
  },
  {
    kind: 'not-urgent',
    keywords: words(`不急|不着急|不紧急|不用急|不赶时间|not urgent|no rush|no hurry|low priority`),
    negatable: false,
  },
  {
    kind: 'how-to',
    keywords: [...HOW_TO_WORDS, '请教'],
    unless: HOW_TO_UNLESS,
  },
  {
    kind: 'progress',
    keywords: PROGRESS_WORDS,
  },
  {
    kind: 'request',
    // "Could you confirm whether you are GDPR compliant" asks for information.
    unless: words(`confirm whether|confirm if|tell me whether`),
    keywords: words(`
      麻烦|请帮|帮我|请把|重新开|重开|补开|重新发|重发|改成|改为|换成|开具|一下吗|注销|删除我的|please send|i need to|send me|update|could you|can you please|can i get|could i get|can i have|
      could i have|can you send|reissue|re-issue|resend|re-send|please correct|close my account|delete my account|delete my data|data deleted|cancel my subscription
    `),
  },
  {
    // Questions about how things are in general: an information request (P4) rather than a case.
    kind: 'information',
    keywords: words(`
      一般|通常|谁来|是否|有没有|规则|价格|费用|优惠|营业时间|工作时间|想了解|了解一下|咨询|多少钱|可以抵扣|几点|收费|报价|多长时间|过期|有效期|有哪些|区别|支持哪些|能不能用|
      do you|is there|are there|usually|typically|price|pricing|discount|opening hours|policy|what are|what payment|what is your|hours|cost|fee|fees|plans|trial|difference between|available in|does it support|compatible|
      政策|几天|合规|认证|资质|分期|installment plan|in installments|pay later|compliant|compliance|certified|certification|gdpr|is your|are your|does your|do your
    `),
    unless: [...PROGRESS_WORDS, ...words(`不一致|不对|用不了|不能用|无法使用|不能使用|没法用|different from|wrong|mismatch|can't use|cannot use|doesn't work|not working|won't work`)],
    type: 'consultation',
    typeWeight: 0.8,
  },
  {
    kind: 'information',
    keywords: words(`请问|吗|想问|多少|多久|支持|什么时候|?|can i|what|how long|how much|which`),
    unless: PROGRESS_WORDS,
    weight: 0.5,
    type: 'consultation',
    typeWeight: 0.8,
  },
  {
    kind: 'gratitude',
    keywords: words(`谢谢|感谢|满意|点赞|点个赞|好用多了|好评|辛苦了|thank|thanks|appreciate|great job|well done|kudos|非常专业|很专业|很耐心|耐心|帮了大忙|给力|so quickly|very helpful|so helpful|patient|brilliant|excellent service|excellent support|amazing|fantastic|great service|great support|太棒了|很棒`),
    unless: [...PROGRESS_WORDS, ...SARCASM_WORDS, ...COURTESY_WORDS, 'appreciate that', 'i understand that'],
    type: 'other',
    typeWeight: 0.6,
  },
];
