import type { Language } from '../domain/ticket.js';
import type { NoticeKind } from '../domain/vocabulary.js';
import type { TemplateText } from './types.js';

/*
 * The default texts, written for this product. Customer texts follow the shape the requirements
 * ask for: greet, name the desk and the ticket, restate what was understood, say what happens next
 * and by when, and close by asking whether anything else is needed and thanking the customer.
 * Every customer subject starts with [{{ticketNo}}] so replies find their ticket.
 */

const ZH_GREETING = '{{#if customerName}}{{customerName}}，{{/if}}您好！';
const EN_GREETING = 'Hello{{#if customerName}} {{customerName}}{{/if}},';

export const DEFAULT_TEXTS: Readonly<Record<NoticeKind, Readonly<Record<Language, TemplateText>>>> = {
  acknowledgement: {
    'zh-CN': {
      subject: '[{{ticketNo}}] 我们已收到您的请求{{#if subject}}：{{subject}}{{/if}}',
      body: `${ZH_GREETING}

感谢您联系{{deskName}}。我们已收到您的请求，工单号为 {{ticketNo}}。后续沟通时请保留这个工单号，方便我们快速找到您的记录。
{{#if previousTicketNo}}
您回复的工单 {{previousTicketNo}} 已关闭较久，因此我们为您新开了工单 {{ticketNo}}，并与原工单关联；处理人员会查看原工单的全部记录，您无需重复说明。
{{/if}}
我们对您问题的理解如下：
问题类型：{{typeLabel}}{{#if priorityLabel}}（{{priorityLabel}}）{{/if}}
问题描述：{{summary}}
如果理解有不准确的地方，请直接回复本邮件更正，我们会以您的说明为准。

接下来：客服人员会在 {{firstResponseDue}} 之前给您首次答复。{{#if resolutionDue}}按照我们的服务承诺，这类问题预计在 {{resolutionDue}} 之前解决。{{/if}}您可以随时通过以下链接查看工单进展：
{{statusLink}}

请问还有其他需要补充的吗？直接回复本邮件即可，您的回复会自动归入这张工单。感谢您的耐心等待！

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] We have received your request{{#if subject}}: {{subject}}{{/if}}',
      body: `${EN_GREETING}

Thank you for contacting {{deskName}}. We have received your request and opened ticket {{ticketNo}}. Please keep this number in any further messages so we can find your records quickly.
{{#if previousTicketNo}}
The ticket you replied to, {{previousTicketNo}}, was closed some time ago, so we opened the new ticket {{ticketNo}} and linked it to the old one. Whoever handles it will read the earlier ticket, so you do not need to explain again.
{{/if}}
This is what we understood:
Type: {{typeLabel}}{{#if priorityLabel}} ({{priorityLabel}}){{/if}}
Description: {{summary}}
If we have misunderstood anything, simply reply to this email with a correction.

What happens next: one of our agents will give you a first response by {{firstResponseDue}}.{{#if resolutionDue}} Under our service commitment, a request like this is resolved by {{resolutionDue}}.{{/if}} You can follow your ticket at any time here:
{{statusLink}}

Is there anything else you would like to add? Just reply to this email and your message will be added to the ticket. Thank you for your patience.

Kind regards,
{{deskName}}`,
    },
  },

  assignment: {
    'zh-CN': {
      subject: '[{{ticketNo}}] 您的工单已转交{{teamName}}处理',
      body: `${ZH_GREETING}

这里是{{deskName}}。您的工单 {{ticketNo}}（{{summary}}）已转交{{teamName}}处理{{#if agentName}}，由 {{agentName}} 负责跟进{{/if}}。

接下来：我们预计在 {{dueAt}} 之前给您答复{{#if resolutionDue}}，并在 {{resolutionDue}} 之前解决{{/if}}，一有进展会第一时间通知您。{{#if statusLink}}
您也可以通过以下链接查看工单进展：{{statusLink}}{{/if}}

请问还有其他需要补充的信息吗？直接回复本邮件即可，我们会一并转给处理人员。感谢您的耐心等待！

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Your ticket is now with our {{teamName}} team',
      body: `${EN_GREETING}

This is {{deskName}}. Your ticket {{ticketNo}} ({{summary}}) has been passed to our {{teamName}} team{{#if agentName}}, and {{agentName}} will look after it{{/if}}.

What happens next: we expect to get back to you by {{dueAt}}{{#if resolutionDue}} and to have it resolved by {{resolutionDue}}{{/if}}, and we will let you know as soon as there is news.{{#if statusLink}}
You can also follow your ticket here: {{statusLink}}{{/if}}

Is there anything else you would like us to know? Just reply to this email and we will pass it on to the person handling your ticket. Thank you for your patience.

Kind regards,
{{deskName}}`,
    },
  },

  reply: {
    'zh-CN': {
      subject: '[{{ticketNo}}] 回复：{{subject}}',
      body: `${ZH_GREETING}

我是{{deskName}}的 {{agentName}}，关于您的工单 {{ticketNo}}，答复如下：

{{body}}

{{#if nextUpdateDue}}我们会在 {{nextUpdateDue}} 之前再次与您联系。
{{/if}}{{#if statusLink}}工单进展可随时在这里查看：{{statusLink}}
{{/if}}
请问还有其他需要帮忙的吗？如有任何疑问，直接回复本邮件即可，您的回复会自动归入这张工单，我们会继续跟进。感谢您的耐心与支持！

祝好！
{{agentName}}
{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Re: {{subject}}',
      body: `${EN_GREETING}

This is {{agentName}} from {{deskName}}, writing about your ticket {{ticketNo}}.

{{body}}

{{#if nextUpdateDue}}We will be in touch again by {{nextUpdateDue}}.
{{/if}}{{#if statusLink}}You can follow your ticket here: {{statusLink}}
{{/if}}
Is there anything else we can help with? Just reply to this email; your message will be added to the ticket and we will pick it up from there. Thank you for your patience.

Kind regards,
{{agentName}}
{{deskName}}`,
    },
  },

  plan: {
    'zh-CN': {
      subject: '[{{ticketNo}}] 处理方案',
      body: `${ZH_GREETING}

这里是{{deskName}}{{#if agentName}}的 {{agentName}}{{/if}}。关于您的工单 {{ticketNo}}（{{summary}}），我们的处理方案如下：

{{planText}}

接下来：我们会按这个方案继续处理{{#if nextUpdateDue}}，并在 {{nextUpdateDue}} 之前向您通报进展{{/if}}。如果方案对您不可行，或者情况有变化，请直接回复本邮件告诉我们。{{#if statusLink}}
工单进展可随时在这里查看：{{statusLink}}{{/if}}

请问还有其他需要我们帮忙的吗？感谢您的耐心与配合！

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Our plan for your request',
      body: `${EN_GREETING}

This is {{deskName}}{{#if agentName}} ({{agentName}}){{/if}}. Here is our plan for your ticket {{ticketNo}} ({{summary}}):

{{planText}}

What happens next: we keep working to this plan{{#if nextUpdateDue}} and will update you by {{nextUpdateDue}}{{/if}}. If the plan does not work for you, or anything changes, just reply to this email.{{#if statusLink}}
You can follow your ticket here: {{statusLink}}{{/if}}

Is there anything else we can help with? Thank you for your patience.

Kind regards,
{{deskName}}`,
    },
  },

  'waiting-on-customer': {
    'zh-CN': {
      subject: '[{{ticketNo}}] 需要您补充一些信息',
      body: `${ZH_GREETING}

这里是{{deskName}}{{#if agentName}}的 {{agentName}}{{/if}}。为了继续处理您的工单 {{ticketNo}}（{{summary}}），我们还需要您提供以下信息：

{{missingInfo}}
{{#if reason}}
需要这些信息的原因：{{reason}}
{{/if}}
请直接回复本邮件提供上述信息，截图可以作为附件一起发送。收到后我们会立即继续处理；如果到 {{reminderDue}} 仍未收到您的回复，我们会再发邮件提醒您。{{#if statusLink}}
工单进展可随时在这里查看：{{statusLink}}{{/if}}

请问还有其他需要我们了解的情况吗？感谢您的配合与耐心！

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] We need a little more information',
      body: `${EN_GREETING}

This is {{deskName}}{{#if agentName}} ({{agentName}}){{/if}}. To continue working on your ticket {{ticketNo}} ({{summary}}), we need the following from you:

{{missingInfo}}
{{#if reason}}
Why we need it: {{reason}}
{{/if}}
Please reply to this email with this information; screenshots can be attached. As soon as we have it we will carry on, and if we have not heard from you by {{reminderDue}}, we will send you a reminder.{{#if statusLink}}
You can follow your ticket here: {{statusLink}}{{/if}}

Is there anything else we should know? Thank you for your help and patience.

Kind regards,
{{deskName}}`,
    },
  },

  reminder: {
    'zh-CN': {
      subject: '[{{ticketNo}}] 温馨提醒：您的工单正在等待您的回复',
      body: `${ZH_GREETING}

这里是{{deskName}}。您的工单 {{ticketNo}}（{{summary}}）目前还在等待您补充以下信息：

{{missingInfo}}{{#if reason}}
需要这些信息的原因：{{reason}}{{/if}}

请直接回复本邮件提供上述信息，收到后我们会立即继续处理。{{#if followUpDue}}如果一直没有收到您的回复，我们的客服人员会在 {{followUpDue}} 之前主动与您联系。{{/if}}{{#if statusLink}}
工单进展可随时在这里查看：{{statusLink}}{{/if}}

如果问题已经解决或不再需要处理，也请回复告诉我们。请问还有其他需要帮忙的吗？感谢您的耐心与配合！

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Reminder: your ticket is waiting for your reply',
      body: `${EN_GREETING}

This is {{deskName}}. Your ticket {{ticketNo}} ({{summary}}) is still waiting for the following information from you:

{{missingInfo}}{{#if reason}}
Why we need it: {{reason}}{{/if}}

Please reply to this email with it and we will carry on straight away.{{#if followUpDue}} If we still have not heard from you, one of our agents will contact you by {{followUpDue}}.{{/if}}{{#if statusLink}}
You can follow your ticket here: {{statusLink}}{{/if}}

If the problem has been solved in the meantime, or you no longer need help, please let us know. Is there anything else we can do for you? Thank you for your patience.

Kind regards,
{{deskName}}`,
    },
  },

  progress: {
    'zh-CN': {
      subject: '[{{ticketNo}}] 处理进展通知',
      body: `${ZH_GREETING}

这里是{{deskName}}。您的工单 {{ticketNo}}（{{summary}}）仍在处理中{{#if teamName}}，目前由{{teamName}}负责{{/if}}。
{{#if missedFirstResponse}}
非常抱歉：我们承诺在 {{missedFirstResponse}} 之前给您首次答复，但至今还没有做到。工单已升级给主管，下一步是由主管安排专人立即接手并答复您。
{{/if}}{{#if missedPlan}}
非常抱歉：我们承诺在 {{missedPlan}} 之前给您解决方案或临时方案，但还没有做到。工单已升级给主管，下一步是尽快给您一个可行的方案。
{{/if}}{{#if missedResolution}}
非常抱歉：工单没能在 {{missedResolution}} 之前解决。工单已升级给主管，我们会继续处理直到解决。
{{/if}}{{#if progressNote}}
当前进展：{{progressNote}}
{{/if}}
接下来：即使暂时没有新的结论，我们也会在 {{nextUpdateDue}} 之前再次向您通报进展。{{#if statusLink}}
您也可以随时通过以下链接查看工单状态：{{statusLink}}{{/if}}

请问还有其他需要补充的信息吗？直接回复本邮件即可。感谢您的耐心与理解！

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Progress update',
      body: `${EN_GREETING}

This is {{deskName}}. Your ticket {{ticketNo}} ({{summary}}) is still being worked on{{#if teamName}}; it is with our {{teamName}} team{{/if}}.
{{#if missedFirstResponse}}
We are sorry: we promised you a first answer by {{missedFirstResponse}} and have not given one yet. The ticket has been escalated to a supervisor; the next step is that they get someone to answer you right away.
{{/if}}{{#if missedPlan}}
We are sorry: we promised you a plan or workaround by {{missedPlan}} and have not managed it yet. The ticket has been escalated to a supervisor; the next step is a workable plan for you as soon as possible.
{{/if}}{{#if missedResolution}}
We are sorry: the ticket was not resolved by {{missedResolution}} as we intended. It has been escalated to a supervisor and we keep working on it until it is solved.
{{/if}}{{#if progressNote}}
Where we are: {{progressNote}}
{{/if}}
What happens next: even if there is nothing new to report, we will update you again by {{nextUpdateDue}}.{{#if statusLink}}
You can also check the status of your ticket at any time here: {{statusLink}}{{/if}}

Is there anything you would like to add? Just reply to this email. Thank you for your patience and understanding.

Kind regards,
{{deskName}}`,
    },
  },

  resolution: {
    'zh-CN': {
      subject: '[{{ticketNo}}] 您的问题已处理完毕',
      body: `${ZH_GREETING}

这里是{{deskName}}{{#if agentName}}的 {{agentName}}{{/if}}。您的工单 {{ticketNo}}（{{summary}}）已处理完毕。

处理结果：{{resolutionSummary}}

如果问题仍未解决，直接回复本邮件说明情况即可，工单会重新打开，我们将继续为您处理。

诚邀您为本次服务打分（1 = 非常不满意，5 = 非常满意），点击对应的链接即可完成评价：
1 非常不满意：{{surveyLink1}}
2 不满意：{{surveyLink2}}
3 一般：{{surveyLink3}}
4 满意：{{surveyLink4}}
5 非常满意：{{surveyLink5}}
您也可以直接回复本邮件，只写一个数字（1-5）即可，欢迎同时附上您的意见。

请问还有其他需要我们帮忙的吗？如果在 {{closeDue}} 之前没有收到您的回复，工单将自动关闭。感谢您的信任与支持！

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Your request has been resolved',
      body: `${EN_GREETING}

This is {{deskName}}{{#if agentName}} ({{agentName}}){{/if}}. Your ticket {{ticketNo}} ({{summary}}) has been resolved.

What we did: {{resolutionSummary}}

If the problem is not solved, simply reply to this email and tell us; the ticket will be reopened and we will keep working on it.

How did we do? Please rate our service from 1 (very dissatisfied) to 5 (very satisfied) with one click:
1 - very dissatisfied: {{surveyLink1}}
2 - dissatisfied: {{surveyLink2}}
3 - neutral: {{surveyLink3}}
4 - satisfied: {{surveyLink4}}
5 - very satisfied: {{surveyLink5}}
You can also reply to this email with a single digit from 1 to 5, and add a comment if you like.

Is there anything else we can help with? If we do not hear from you by {{closeDue}}, the ticket will be closed automatically. Thank you for your trust.

Kind regards,
{{deskName}}`,
    },
  },

  'survey-thanks': {
    'zh-CN': {
      subject: '[{{ticketNo}}] 感谢您的评价',
      body: `${ZH_GREETING}

感谢您对工单 {{ticketNo}} 的服务做出评价（{{score}} 分，满分 5 分）。您的反馈会帮助{{deskName}}不断改进。
{{#if followUpDue}}
很抱歉这次没能让您完全满意。我们的质量团队会在 {{followUpDue}} 之前与您联系，了解具体情况并跟进改进。
{{/if}}
请问还有其他需要我们帮忙的吗？今后如有任何问题，欢迎随时回复本邮件或再次联系我们，我们会继续为您服务。再次感谢您的支持！

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Thank you for your feedback',
      body: `${EN_GREETING}

Thank you for rating our service on ticket {{ticketNo}} ({{score}} out of 5). Your feedback helps {{deskName}} keep improving.
{{#if followUpDue}}
We are sorry we did not fully meet your expectations this time. Our quality team will contact you by {{followUpDue}} to understand what went wrong and follow up.
{{/if}}
Is there anything else we can help with? If you need us again, just reply to this email or get in touch, and we will be glad to help. Thank you again.

Kind regards,
{{deskName}}`,
    },
  },

  'survey-again': {
    'zh-CN': {
      subject: '[{{ticketNo}}] 您的回复已收到：请再为我们打分',
      body: `${ZH_GREETING}

感谢您就工单 {{ticketNo}} 给我们回信，您的留言已记录在工单中，客服人员会查看。

我们没能从您的回复中读出满意度评分。如果您愿意为本次服务打分（1 = 非常不满意，5 = 非常满意），点击对应的链接即可：
1 非常不满意：{{surveyLink1}}
2 不满意：{{surveyLink2}}
3 一般：{{surveyLink3}}
4 满意：{{surveyLink4}}
5 非常满意：{{surveyLink5}}
也可以直接回复一个数字，例如“4”或“4分，处理很快”。

评价将在 {{closeDue}} 截止。请问还有其他需要我们帮忙的吗？感谢您的支持！

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] We got your reply: would you rate us?',
      body: `${EN_GREETING}

Thank you for writing to us about ticket {{ticketNo}}. Your message has been added to the ticket and an agent will read it.

We could not read a satisfaction score in your reply. If you would like to rate our service from 1 (very dissatisfied) to 5 (very satisfied), one click is enough:
1 - very dissatisfied: {{surveyLink1}}
2 - dissatisfied: {{surveyLink2}}
3 - neutral: {{surveyLink3}}
4 - satisfied: {{surveyLink4}}
5 - very satisfied: {{surveyLink5}}
You can also reply with a number, for example "4" or "4/5, quick help".

The survey closes on {{closeDue}}. Is there anything else we can help with? Thank you.

Kind regards,
{{deskName}}`,
    },
  },

  reopen: {
    'zh-CN': {
      subject: '[{{ticketNo}}] 您的工单已重新打开',
      body: `${ZH_GREETING}

这里是{{deskName}}。收到您的反馈，很抱歉问题还没有完全解决。{{#if closedOn}}您回复的工单 {{ticketNo}} 已于 {{closedOn}} 关闭，由于仍在重新打开期限内，我们把它重新打开，没有另开新工单。{{/if}}您的工单 {{ticketNo}}（{{summary}}）已重新打开{{#if teamName}}，并交由{{teamName}}继续处理{{/if}}。
{{#if customerComment}}
我们记录的您的反馈：{{customerComment}}
{{/if}}
接下来：我们会在 {{dueAt}} 之前给您答复。{{#if statusLink}}
工单进展可随时在这里查看：{{statusLink}}{{/if}}

请问还有其他需要补充的信息吗？直接回复本邮件即可。感谢您的耐心与理解！

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Your ticket has been reopened',
      body: `${EN_GREETING}

This is {{deskName}}. Thank you for letting us know, and we are sorry the problem is not fully solved yet. {{#if closedOn}}Ticket {{ticketNo}} had been closed on {{closedOn}}; as it is still within the reopen period, we reopened it rather than opening a new one. {{/if}}Your ticket {{ticketNo}} ({{summary}}) has been reopened{{#if teamName}} and is back with our {{teamName}} team{{/if}}.
{{#if customerComment}}
What you told us: {{customerComment}}
{{/if}}
What happens next: we will get back to you by {{dueAt}}.{{#if statusLink}}
You can follow your ticket here: {{statusLink}}{{/if}}

Is there anything else you would like to add? Just reply to this email. Thank you for your patience and understanding.

Kind regards,
{{deskName}}`,
    },
  },

  escalation: {
    'zh-CN': {
      subject: '[{{ticketNo}}] 工单升级（{{priorityLabel}}）：{{reason}}',
      body: `{{deskName}} 工单升级通知

工单号：{{ticketNo}}
升级原因：{{reason}}
优先级：{{priorityLabel}}
提交时间：{{receivedAt}}
{{#if customerName}}客户：{{customerName}}
{{/if}}问题摘要：{{summary}}
负责团队：{{teamName}}
{{#if agentName}}处理人：{{agentName}}
{{/if}}{{#if firstAction}}已采取的措施：{{firstAction}}
{{/if}}{{#if dueAt}}时限：{{dueAt}}
{{/if}}
请尽快确认处理人和下一步安排，并在工单中记录处理结果。{{#if ticketLink}}
查看工单：{{ticketLink}}{{/if}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Escalated ({{priorityLabel}}): {{reason}}',
      body: `{{deskName}}: ticket escalated

Ticket: {{ticketNo}}
Reason: {{reason}}
Priority: {{priorityLabel}}
Received: {{receivedAt}}
{{#if customerName}}Customer: {{customerName}}
{{/if}}Summary: {{summary}}
Team: {{teamName}}
{{#if agentName}}Handler: {{agentName}}
{{/if}}{{#if firstAction}}Action taken so far: {{firstAction}}
{{/if}}{{#if dueAt}}Deadline: {{dueAt}}
{{/if}}
Please confirm who handles it and what happens next, and record the outcome on the ticket.{{#if ticketLink}}
Open the ticket: {{ticketLink}}{{/if}}`,
    },
  },

  'confirmation-alert': {
    'zh-CN': {
      subject: '[{{ticketNo}}] 分类待确认已超过 {{waitingMinutes}} 分钟',
      body: `{{deskName}} 分类确认提醒

工单 {{ticketNo}} 于 {{receivedAt}} 进入“待确认分类”状态，已超过 {{waitingMinutes}} 分钟仍无人确认。
问题摘要：{{summary}}
{{#if candidateTags}}规则识别的标签：{{candidateTags}}
{{/if}}
请确认工单的类型、优先级和负责团队{{#if firstResponseDue}}，首次响应截止时间为 {{firstResponseDue}}{{/if}}。{{#if ticketLink}}
查看工单：{{ticketLink}}{{/if}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Classification unconfirmed for over {{waitingMinutes}} minutes',
      body: `{{deskName}}: classification needs confirmation

Ticket {{ticketNo}} has been waiting for its classification to be confirmed since {{receivedAt}}, more than {{waitingMinutes}} minutes.
Summary: {{summary}}
{{#if candidateTags}}Tags found by the rules: {{candidateTags}}
{{/if}}
Please confirm its type, priority and team{{#if firstResponseDue}}; the first response is due by {{firstResponseDue}}{{/if}}.{{#if ticketLink}}
Open the ticket: {{ticketLink}}{{/if}}`,
    },
  },

  'follow-up-task': {
    'zh-CN': {
      subject: '[{{ticketNo}}] 跟进任务：{{reason}}',
      body: `{{agentName}}，你好：

你有一项新的跟进任务：工单 {{ticketNo}}，原因：{{reason}}。
问题摘要：{{summary}}
{{#if customerName}}客户：{{customerName}}
{{/if}}{{#if missingInfo}}等待客户提供的信息：{{missingInfo}}
{{/if}}{{#if waitingSince}}客户自 {{waitingSince}} 起没有回复，系统已向客户发送提醒。
{{/if}}{{#if newTicketNo}}客户在重新打开期限之后来信，已为此新开工单 {{newTicketNo}}，并与本工单关联。
{{/if}}
请在 {{dueAt}} 之前处理（联系客户或回复），并在工单中记录结果。该任务也列在控制台的“我的任务”中。{{#if ticketLink}}
查看工单：{{ticketLink}}{{/if}}

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Follow-up task: {{reason}}',
      body: `Hello {{agentName}},

You have a new follow-up task on ticket {{ticketNo}}: {{reason}}.
Summary: {{summary}}
{{#if customerName}}Customer: {{customerName}}
{{/if}}{{#if missingInfo}}Information requested from the customer: {{missingInfo}}
{{/if}}{{#if waitingSince}}The customer has not replied since {{waitingSince}}; a reminder has been sent to them.
{{/if}}{{#if newTicketNo}}The customer wrote after the reopen window, so the new ticket {{newTicketNo}} was opened and linked to this one.
{{/if}}
Please act on it (contact or answer the customer) by {{dueAt}} and record the result on the ticket. The task is also listed under "My tasks" in the console.{{#if ticketLink}}
Open the ticket: {{ticketLink}}{{/if}}

{{deskName}}`,
    },
  },

  'agent-assigned': {
    'zh-CN': {
      subject: '[{{ticketNo}}] 新工单分配给你（{{priorityLabel}}）',
      body: `{{agentName}}，你好：

工单 {{ticketNo}} 已分配给你。
优先级：{{priorityLabel}}
问题摘要：{{summary}}
答复截止：{{dueAt}}
{{#if ticketLink}}
查看工单：{{ticketLink}}{{/if}}

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Assigned to you ({{priorityLabel}})',
      body: `Hello {{agentName}},

Ticket {{ticketNo}} has been assigned to you.
Priority: {{priorityLabel}}
Summary: {{summary}}
Answer due by: {{dueAt}}
{{#if ticketLink}}
Open the ticket: {{ticketLink}}{{/if}}

{{deskName}}`,
    },
  },

  'agent-customer-replied': {
    'zh-CN': {
      subject: '[{{ticketNo}}] 客户回复了（{{priorityLabel}}）',
      body: `{{agentName}}，你好：

你负责的工单 {{ticketNo}} 收到了客户的新回复。
问题摘要：{{summary}}
{{#if excerpt}}回复开头：{{excerpt}}
{{/if}}{{#if ticketLink}}
查看工单：{{ticketLink}}{{/if}}

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] The customer replied ({{priorityLabel}})',
      body: `Hello {{agentName}},

The customer wrote again on your ticket {{ticketNo}}.
Summary: {{summary}}
{{#if excerpt}}It starts: {{excerpt}}
{{/if}}{{#if ticketLink}}
Open the ticket: {{ticketLink}}{{/if}}

{{deskName}}`,
    },
  },

  'feature-request-linked': {
    'zh-CN': {
      subject: '[{{ticketNo}}] 您的建议已登记为需求 {{featureId}}',
      body: `${ZH_GREETING}

感谢您的建议！我们已将它登记为产品需求 {{featureId}}：{{featureTitle}}。
当前阶段：{{stageLabel}}。

需求每进入一个新阶段（评估中、开发中、测试中、已发布或暂不采纳），我们都会邮件告诉您结果和原因。{{#if statusLink}}
工单进展可随时在这里查看：{{statusLink}}{{/if}}

请问还有其他需要我们帮忙的吗？

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Your suggestion is recorded as feature request {{featureId}}',
      body: `${EN_GREETING}

Thank you for the suggestion. We have recorded it as feature request {{featureId}}: {{featureTitle}}.
Current stage: {{stageLabel}}.

Each time it moves to a new stage (investigating, in development, in test, released, or declined) we will write to tell you, with the reason.{{#if statusLink}}
You can follow your ticket here: {{statusLink}}{{/if}}

Is there anything else we can help with?

Kind regards,
{{deskName}}`,
    },
  },

  'feature-request-update': {
    'zh-CN': {
      subject: '[{{ticketNo}}] 需求 {{featureId}} 进展：{{stageLabel}}',
      body: `${ZH_GREETING}

您提出的需求 {{featureId}}（{{featureTitle}}）有了新进展：{{stageLabel}}。

{{feedback}}
{{#if expectedDate}}
预计时间：{{expectedDate}}
{{/if}}
进入下一阶段时我们会再通知您。感谢您帮助我们改进产品！{{#if statusLink}}
工单进展可随时在这里查看：{{statusLink}}{{/if}}

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Feature request {{featureId}}: {{stageLabel}}',
      body: `${EN_GREETING}

There is news about the feature you asked for, {{featureId}} ({{featureTitle}}): {{stageLabel}}.

{{feedback}}
{{#if expectedDate}}
Expected: {{expectedDate}}
{{/if}}
We will write again when it reaches the next stage. Thank you for helping us improve the product.{{#if statusLink}}
You can follow your ticket here: {{statusLink}}{{/if}}

Kind regards,
{{deskName}}`,
    },
  },

  'agent-mentioned': {
    'zh-CN': {
      subject: '[{{ticketNo}}] {{authorName}} 在备注中提到了你',
      body: `{{agentName}}，你好：

{{authorName}} 在工单 {{ticketNo}} 的内部备注中提到了你。
问题摘要：{{summary}}
{{#if excerpt}}备注开头：{{excerpt}}
{{/if}}{{#if ticketLink}}
查看工单：{{ticketLink}}{{/if}}

{{deskName}}`,
    },
    en: {
      subject: '[{{ticketNo}}] {{authorName}} mentioned you in a note',
      body: `Hello {{agentName}},

{{authorName}} mentioned you in an internal note on ticket {{ticketNo}}.
Summary: {{summary}}
{{#if excerpt}}It starts: {{excerpt}}
{{/if}}{{#if ticketLink}}
Open the ticket: {{ticketLink}}{{/if}}

{{deskName}}`,
    },
  },

  'staff-digest': {
    'zh-CN': {
      subject: '[{{deskName}}] 新动态 {{count}} 条',
      body: `你好：

自上次汇总以来有 {{count}} 条新动态（P1 工单会另行即时通知）：

{{digestLines}}
{{#if consoleLink}}
打开控制台：{{consoleLink}}{{/if}}`,
    },
    en: {
      subject: '[{{deskName}}] {{count}} new items',
      body: `Hello,

{{count}} new items since the last summary (P1 tickets are mailed at once, separately):

{{digestLines}}
{{#if consoleLink}}
Open the console: {{consoleLink}}{{/if}}`,
    },
  },

  'desk-manager-escalation': {
    'zh-CN': {
      subject: '[{{ticketNo}}] 二级升级：{{priorityLabel}} 工单升级后仍未解决',
      body: `{{deskName}} 二级升级提醒

工单 {{ticketNo}} 已于 {{escalatedAt}} 升级给团队主管{{#if supervisorNames}}（{{supervisorNames}}）{{/if}}，至今仍未解决，现升级给服务台经理。
优先级：{{priorityLabel}}
问题摘要：{{summary}}
负责团队：{{teamName}}
{{#if agentName}}处理人：{{agentName}}
{{/if}}{{#if missedFirstResponse}}首次响应仍未完成（截止 {{missedFirstResponse}}）
{{/if}}{{#if missedPlan}}处理方案仍未提供（截止 {{missedPlan}}）
{{/if}}{{#if missedResolution}}已超过解决时限（截止 {{missedResolution}}）
{{/if}}
请确认资源与负责人，必要时直接介入。{{#if ticketLink}}
查看工单：{{ticketLink}}{{/if}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Second tier: {{priorityLabel}} ticket still unresolved after escalation',
      body: `{{deskName}}: second-tier escalation

Ticket {{ticketNo}} was escalated to the team supervisor{{#if supervisorNames}} ({{supervisorNames}}){{/if}} at {{escalatedAt}} and is still unresolved; it now comes to the desk manager.
Priority: {{priorityLabel}}
Summary: {{summary}}
Team: {{teamName}}
{{#if agentName}}Handler: {{agentName}}
{{/if}}{{#if missedFirstResponse}}First response still owed (was due {{missedFirstResponse}})
{{/if}}{{#if missedPlan}}Plan still not given (was due {{missedPlan}})
{{/if}}{{#if missedResolution}}Resolution deadline missed (was due {{missedResolution}})
{{/if}}
Please make sure someone owns it and has what they need; step in if necessary.{{#if ticketLink}}
Open the ticket: {{ticketLink}}{{/if}}`,
    },
  },

  'repeated-reopen': {
    'zh-CN': {
      subject: '[{{ticketNo}}] 工单第 {{reopenCount}} 次重新打开（{{priorityLabel}}）',
      body: `{{deskName}} 重复打开提醒

工单 {{ticketNo}} 已第 {{reopenCount}} 次被重新打开，说明之前的处理没有真正解决问题，需要主管跟进。
优先级：{{priorityLabel}}
问题摘要：{{summary}}
负责团队：{{teamName}}
{{#if agentName}}处理人：{{agentName}}
{{/if}}本次答复截止：{{dueAt}}

请与处理人确认根本原因和下一步安排，必要时更换处理人或升级。{{#if ticketLink}}
查看工单：{{ticketLink}}{{/if}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Reopened {{reopenCount}} times ({{priorityLabel}})',
      body: `{{deskName}}: ticket reopened again

Ticket {{ticketNo}} has been reopened {{reopenCount}} times: the earlier fixes did not hold, and a supervisor should follow it up.
Priority: {{priorityLabel}}
Summary: {{summary}}
Team: {{teamName}}
{{#if agentName}}Handler: {{agentName}}
{{/if}}Answer now due by: {{dueAt}}

Please agree the root cause and next step with the handler; reassign or escalate if needed.{{#if ticketLink}}
Open the ticket: {{ticketLink}}{{/if}}`,
    },
  },

  'qa-low-score': {
    'zh-CN': {
      subject: '[{{ticketNo}}] 低分回访：满意度 {{score}} 分',
      body: `{{deskName}} 质检回访任务

工单 {{ticketNo}} 收到了 {{score}} 分（满分 5 分）的满意度评价，需要质检团队回访。
问题摘要：{{summary}}
{{#if resolutionSummary}}处理结果：{{resolutionSummary}}
{{/if}}{{#if agentName}}处理人：{{agentName}}
{{/if}}{{#if customerName}}客户：{{customerName}}
{{/if}}{{#if contact}}联系方式：{{contact}}
{{/if}}{{#if comment}}客户意见：{{comment}}
{{/if}}
请{{#if followUpDue}}在 {{followUpDue}} 之前{{/if}}致电客户了解不满意的原因，并在工单中记录原因和回访结果。{{#if ticketLink}}
查看工单：{{ticketLink}}{{/if}}`,
    },
    en: {
      subject: '[{{ticketNo}}] Low score follow-up: {{score}} out of 5',
      body: `{{deskName}}: QA follow-up

Ticket {{ticketNo}} received a satisfaction score of {{score}} out of 5 and needs a follow-up call from QA.
Summary: {{summary}}
{{#if resolutionSummary}}Resolution: {{resolutionSummary}}
{{/if}}{{#if agentName}}Handler: {{agentName}}
{{/if}}{{#if customerName}}Customer: {{customerName}}
{{/if}}{{#if contact}}Contact: {{contact}}
{{/if}}{{#if comment}}Customer's comment: {{comment}}
{{/if}}
Please call the customer{{#if followUpDue}} by {{followUpDue}}{{/if}} to find out why they were dissatisfied, and record the reason and the outcome on the ticket.{{#if ticketLink}}
Open the ticket: {{ticketLink}}{{/if}}`,
    },
  },

  'weekly-report': {
    'zh-CN': {
      subject: '[{{deskName}}] 客服周报 {{periodStart}} 至 {{periodEnd}}',
      body: `各位主管好：

以下是{{deskName}} {{periodStart}} 至 {{periodEnd}} 的客服周报。

工单总量：{{ticketCount}}
{{#if breachCount}}超时工单：{{breachCount}}
{{/if}}{{#if lowScoreCount}}低分工单：{{lowScoreCount}}
{{/if}}
{{reportBody}}
{{#if reportLink}}
完整报告：{{reportLink}}
{{/if}}
下一期周报将于下周同一时间发送。`,
    },
    en: {
      subject: '[{{deskName}}] Weekly report {{periodStart}} to {{periodEnd}}',
      body: `Hello,

Here is the {{deskName}} weekly report for {{periodStart}} to {{periodEnd}}.

Tickets received: {{ticketCount}}
{{#if breachCount}}Deadline breaches: {{breachCount}}
{{/if}}{{#if lowScoreCount}}Low scores: {{lowScoreCount}}
{{/if}}
{{reportBody}}
{{#if reportLink}}
Full report: {{reportLink}}
{{/if}}
The next report will be sent at the same time next week.`,
    },
  },
};
