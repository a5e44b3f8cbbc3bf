import * as z from 'zod';
import { PRIORITIES } from '../domain/ticket.js';
import { MACRO_PLACEHOLDERS, unknownPlaceholders } from './macro-placeholders.js';

/**
 * Macros: the desk's reply starters in the shape the support procedures give agents
 * (confirmation, answer, checking, saying no, closing, asking for information), each with what it
 * also sets on the ticket when the reply is sent: status, priority, tags. Every agent reads them
 * (`GET /api/v1/macros`); the console inserts the text at the cursor and a second macro replaces
 * the first one's text instead of appending to it.
 *
 * The desk's `reply` mail template adds the greeting, the agent's (masked) name and the sign-off,
 * so a macro is the middle only. Placeholders (`{{summary}}`, `{{agentName}}`, `{{ticketNo}}`,
 * `{{replyBy}}` = the ticket's next deadline) are filled from the ticket before the agent edits
 * the text; a macro whose placeholder has no value on a ticket is refused there, never sent with a gap.
 */

const placeholdersKnown = (text: string) => unknownPlaceholders(text).length === 0;
const macroString = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(placeholdersKnown, { message: `unknown placeholder; use ${MACRO_PLACEHOLDERS.map((name) => `{{${name}}}`).join(', ')}` });
/** The same kind of text in each language the desk writes to customers. */
const inEachLanguage = <T extends z.ZodType>(text: T) => z.object({ 'zh-CN': text, en: text });
const languageText = inEachLanguage(macroString(4_000));

export const macroSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
  title: inEachLanguage(z.string().trim().min(1).max(80)),
  text: languageText,
  set: z
    .strictObject({
      /** `waiting-on-customer`: the text goes out as the request for information. `resolved`: resolved after the reply, with `summary`. */
      status: z.enum(['waiting-on-customer', 'resolved']).optional(),
      summary: languageText.optional(),
      priority: z.enum(PRIORITIES).optional(),
      /** Added to the ticket's tags. */
      tags: z.array(z.string().min(1).max(50)).max(10).optional(),
    })
    .refine((set) => set.status !== 'resolved' || set.summary !== undefined, { message: 'a macro that resolves needs a summary' })
    .default({}),
});
export type Macro = z.output<typeof macroSchema>;

export const DEFAULT_MACROS: Macro[] = z.array(macroSchema).parse([
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
    id: 'ask-order',
    title: { en: 'Ask for the order number', 'zh-CN': '请客户提供订单号' },
    text: {
      en: 'To look into this I need your order number (it starts with SO) and, if you have one, a screenshot of the error.',
      'zh-CN': '为便于核查，请提供您的订单号（以 SO 开头），如有报错截图也请一并发送。',
    },
    set: { status: 'waiting-on-customer', tags: ['needs-order-number'] },
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
    title: { en: 'Solved: closing', 'zh-CN': '已解决：结束语' },
    text: {
      en: 'I am glad this is sorted out. Is there anything else I can help you with on ticket {{ticketNo}}?',
      'zh-CN': '很高兴问题已经解决。关于工单 {{ticketNo}}，请问还有其他可以帮您的吗？',
    },
    set: { status: 'resolved', summary: { en: 'Solved as described in our last reply.', 'zh-CN': '已按上一封回复中的方法解决。' } },
  },
]);

/** The desk's macros as one settings document (shared/services/macros.ts): ids unique, at most 100. */
export const macroSettingsSchema = z
  .object({ macros: z.array(macroSchema).max(100) })
  .superRefine((settings, context) => {
    const seen = new Set<string>();
    settings.macros.forEach((macro, index) => {
      if (seen.has(macro.id)) context.addIssue({ code: 'custom', path: ['macros', index, 'id'], message: `another macro is already "${macro.id}"` });
      seen.add(macro.id);
    });
  });
export type MacroSettings = z.output<typeof macroSettingsSchema>;

export function macroById(id: string, macros: readonly Macro[] = DEFAULT_MACROS): Macro | undefined {
  return macros.find((macro) => macro.id === id);
}
