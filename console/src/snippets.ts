/** The customer's language (a ticket's), which is not always the agent's UI language. */
export type SnippetLanguage = 'zh-CN' | 'en';

/**
 * Reply starters in the shape the support procedures give agents (confirmation, answer, checking,
 * saying no, closing). The desk's `reply` mail template already adds the greeting, the agent's
 * (masked) name and the sign-off, so these are the middle only. Placeholders are filled from the
 * ticket before the agent edits the text, so nothing in {{...}} reaches a customer unfilled.
 */
export interface Snippet {
  id: string;
  title: Record<SnippetLanguage, string>;
  text: Record<SnippetLanguage, string>;
}

export const SNIPPETS: Snippet[] = [
  {
    id: 'confirmation',
    title: { en: 'Confirm the problem', 'zh-CN': '确认问题' },
    text: {
      en: 'If I understand correctly: {{summary}}\nPlease tell me if I have misunderstood anything.',
      'zh-CN': '我理解您的问题是：{{summary}}\n如有理解不准确之处，请告诉我。',
    },
  },
  {
    id: 'answer',
    title: { en: 'Answer with steps', 'zh-CN': '解答与步骤' },
    text: {
      en: 'The most likely cause is: \nPlease try these steps:\n1. \n2. \n3. \nIf this does not help, reply to this mail and I will look further.',
      'zh-CN': '可能的原因是：\n请按以下步骤尝试：\n1. \n2. \n3. \n如仍未解决，请直接回复本邮件，我会继续跟进。',
    },
  },
  {
    id: 'checking',
    title: { en: 'Being checked', 'zh-CN': '正在核实' },
    text: {
      en: '{{agentName}} is checking this with our team. You will hear from us by {{replyBy}}.',
      'zh-CN': '{{agentName}}正在与相关同事核实此问题，我们会在{{replyBy}}前回复您。',
    },
  },
  {
    id: 'saying-no',
    title: { en: 'Saying no', 'zh-CN': '婉拒' },
    text: {
      en: 'I understand why you are asking for this. We cannot do it because: \nWhat we can offer instead: ',
      'zh-CN': '非常理解您的想法。很抱歉我们无法办理，原因是：\n我们可以为您提供的替代方案是：',
    },
  },
  {
    id: 'closing',
    title: { en: 'Closing', 'zh-CN': '结束语' },
    text: {
      en: 'Is there anything else I can help you with on ticket {{ticketNo}}?',
      'zh-CN': '关于工单 {{ticketNo}}，请问还有其他可以帮您的吗？',
    },
  },
];

/** Replaces {{name}} with the value; an unknown placeholder becomes empty rather than leaking braces. */
export function fillPlaceholders(text: string, values: Record<string, string | undefined>): string {
  return text.replace(/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g, (_match, name: string) => values[name] ?? '');
}

/** Placeholders of `text` that have no value: a snippet with any of them is refused, never sent with a gap. */
export function missingPlaceholders(text: string, values: Record<string, string | undefined>): string[] {
  const names = [...text.matchAll(/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g)].map((match) => match[1] as string);
  return [...new Set(names.filter((name) => !values[name]?.trim()))];
}
