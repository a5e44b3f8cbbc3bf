/** The customer's language (a ticket's), which is not always the agent's UI language. */
export type SnippetLanguage = 'zh-CN' | 'en';

/**
 * Reply starters in the shape the support procedures give agents (opening, confirmation, answer,
 * saying no, waiting, closing). Placeholders are filled from the ticket before the agent edits
 * the text, so nothing in {{...}} ever reaches a customer unfilled.
 */
export interface Snippet {
  id: string;
  title: Record<SnippetLanguage, string>;
  text: Record<SnippetLanguage, string>;
}

export const SNIPPETS: Snippet[] = [
  {
    id: 'opening',
    title: { en: 'Opening', 'zh-CN': '开场' },
    text: {
      en: 'Hello {{customerName}},\n\nthis is {{agentName}} from {{deskName}}. I am looking after your ticket {{ticketNo}}.\n',
      'zh-CN': '{{customerName}}您好，\n\n我是{{deskName}}的{{agentName}}，正在为您处理工单 {{ticketNo}}。\n',
    },
  },
  {
    id: 'confirmation',
    title: { en: 'Confirm the problem', 'zh-CN': '确认问题' },
    text: {
      en: 'Hello {{customerName}},\n\nif I understand correctly: {{summary}}\nPlease tell me if I have misunderstood anything.\n\n{{agentName}}, {{deskName}}',
      'zh-CN': '{{customerName}}您好，\n\n我理解您的问题是：{{summary}}\n如有理解不准确之处，请告诉我。\n\n{{deskName}} {{agentName}}',
    },
  },
  {
    id: 'answer',
    title: { en: 'Answer with steps', 'zh-CN': '解答与步骤' },
    text: {
      en: 'Hello {{customerName}},\n\nthe most likely cause is: \nPlease try these steps:\n1. \n2. \n3. \n\nIf this does not help, reply to this mail and I will look further.\n\n{{agentName}}, {{deskName}}',
      'zh-CN': '{{customerName}}您好，\n\n可能的原因是：\n请按以下步骤尝试：\n1. \n2. \n3. \n\n如仍未解决，请直接回复本邮件，我会继续跟进。\n\n{{deskName}} {{agentName}}',
    },
  },
  {
    id: 'saying-no',
    title: { en: 'Saying no', 'zh-CN': '婉拒' },
    text: {
      en: 'Hello {{customerName}},\n\nI understand why you are asking for this. We cannot do it because: \nWhat we can offer instead: \n\n{{agentName}}, {{deskName}}',
      'zh-CN': '{{customerName}}您好，\n\n非常理解您的想法。很抱歉我们无法办理，原因是：\n我们可以为您提供的替代方案是：\n\n{{deskName}} {{agentName}}',
    },
  },
  {
    id: 'closing',
    title: { en: 'Closing', 'zh-CN': '结束语' },
    text: {
      en: 'Is there anything else I can help you with? Thank you for your patience.\n\n{{agentName}}, {{deskName}} (ticket {{ticketNo}})',
      'zh-CN': '请问还有其他可以帮您的吗？感谢您的耐心。\n\n{{deskName}} {{agentName}}（工单 {{ticketNo}}）',
    },
  },
];

/** Replaces {{name}} with the value; an unknown placeholder becomes empty rather than leaking braces. */
export function fillPlaceholders(text: string, values: Record<string, string | undefined>): string {
  return text.replace(/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g, (_match, name: string) => values[name] ?? '');
}
