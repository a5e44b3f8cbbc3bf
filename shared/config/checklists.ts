/**
 * The default handling checklists, one per request category the procedures name
 * (docs/follow-through.md). A desk replaces them with `checklists` in its configuration.
 */
export const DEFAULT_CHECKLISTS = [
  {
    id: 'product-question',
    title: { 'zh-CN': '产品或服务咨询', en: 'Product or service question' },
    types: ['consultation'],
    tags: ['how-to'],
    steps: [
      { 'zh-CN': '用通俗的语言回答，不用内部术语', en: 'Answer in plain language, no internal jargon' },
      { 'zh-CN': '不过度承诺：不确定的功能或时间不要答应', en: 'Do not over-promise: no features or dates you cannot confirm' },
      { 'zh-CN': '给出可以照做的步骤或帮助文档链接', en: 'Give steps the customer can follow, or the help article' },
    ],
    identityCheck: false,
    guardedPhrases: [],
  },
  {
    id: 'orders-delivery',
    title: { 'zh-CN': '订单与物流', en: 'Orders and delivery' },
    types: [],
    tags: ['order-change', 'delivery'],
    steps: [
      { 'zh-CN': '修改订单或地址前先核实客户身份（下单手机号后四位、收件人姓名或订单金额），并在工单上记录', en: 'Verify the customer’s identity before changing an order or an address (last 4 digits of the ordering phone, recipient name or order amount) and record it on the ticket' },
      { 'zh-CN': '核对订单号和当前物流状态', en: 'Check the order number and the current delivery status' },
      { 'zh-CN': '告诉客户修改何时生效，以及之后会发生什么', en: 'Tell the customer when the change takes effect and what happens next' },
    ],
    identityCheck: true,
    guardedPhrases: ['修改地址', '修改收货地址', '更改地址', '更改收货地址', '地址已修改', '地址已更改', '改地址', '修改订单', '更改订单', '订单已修改', '订单已更改', '取消订单', '订单已取消', 'changed your address', 'updated your address', 'address has been changed', 'address has been updated', 'changed the address', 'updated the address', 'changed your order', 'order has been changed', 'order has been updated', 'cancelled your order', 'canceled your order', 'order has been cancelled', 'order has been canceled'],
  },
  {
    id: 'complaint',
    title: { 'zh-CN': '问题与投诉', en: 'Problems and complaints' },
    types: ['complaint'],
    tags: ['complaint'],
    steps: [
      { 'zh-CN': '先安抚情绪，承认客户的感受', en: 'Calm first: acknowledge how the customer feels' },
      { 'zh-CN': '记录经过：时间、涉及的订单或人员、客户的诉求', en: 'Record the details: when, which order or person, what the customer asks for' },
      { 'zh-CN': '说明由谁负责处理', en: 'Name who is responsible for it' },
      { 'zh-CN': '给出解决方案和完成时间', en: 'Offer a solution and by when' },
    ],
    identityCheck: false,
    guardedPhrases: [],
  },
  {
    id: 'after-sales',
    title: { 'zh-CN': '售后、退换货与退款', en: 'After-sales, returns and refunds' },
    types: ['after-sales'],
    tags: ['refund', 'damaged'],
    steps: [
      { 'zh-CN': '说明适用的政策', en: 'State the policy that applies' },
      { 'zh-CN': '列出办理步骤', en: 'List the steps' },
      { 'zh-CN': '说明需要的材料（照片、发票、订单号）', en: 'Name the documents needed (photos, invoice, order number)' },
      { 'zh-CN': '说明时限（申请期限和处理时间）', en: 'Give the time limits (deadline to apply, how long it takes)' },
      { 'zh-CN': '约定跟进时间', en: 'Agree when you will follow up' },
    ],
    identityCheck: false,
    guardedPhrases: [],
  },
] as const;
