import type { NoticeKind } from '../domain/vocabulary.js';
import type { PlaceholderKind, PlaceholderSpec } from './types.js';

const req = (kind: PlaceholderKind, description: string): PlaceholderSpec => ({ kind, required: true, description });
const opt = (kind: PlaceholderKind, description: string): PlaceholderSpec => ({ kind, required: false, description });

/** Shared by every template about one ticket. */
const TICKET = {
  ticketNo: req('text', 'Ticket number, e.g. CS20240520001'),
  deskName: req('text', 'Name of the support desk in the mail language'),
} as const;

/** Shared by every customer-facing template. */
const CUSTOMER = {
  ...TICKET,
  customerName: opt('text', "Customer's name, masked (Zhang*, 张*)"),
} as const;

const STATUS_LINK = { statusLink: opt('url', 'Page where the customer follows the ticket') } as const;

const SURVEY_LINKS = Object.fromEntries(
  [1, 2, 3, 4, 5].map((n) => [`surveyLink${n}`, req('url', `One-click survey answer ${n} (1 = very dissatisfied, 5 = very satisfied)`)]),
);

export const TEMPLATE_DESCRIPTIONS: Readonly<Record<NoticeKind, string>> = {
  acknowledgement: 'Sent at once when a ticket is created: ticket number, what was understood, first-response time.',
  assignment: 'Tells the customer which team has the ticket and when to expect an answer.',
  reply: "Frame around an agent's reply: greeting, the agent's text, sign-off.",
  plan: 'The plan or workaround for a P1/P2 problem: what to do now, what the desk does next and by when.',
  'waiting-on-customer': 'Asks the customer for exactly the information that is missing, and why.',
  reminder: 'Reminds a customer who has not answered a request for information.',
  progress: 'Regular progress note for P1/P2 tickets, sent even when nothing changed.',
  resolution: 'Tells the customer what was done and invites them to the satisfaction survey.',
  'survey-thanks': 'Thanks the customer for a survey answer; announces the QA call after a low score.',
  'survey-again': 'A reply to the survey could not be read as a score: the message was kept, and here are the links again.',
  reopen: 'Confirms that a ticket was reopened because the customer said it is not solved.',
  escalation: 'Notifies supervisors of an escalated ticket (missed deadline, blocked, P1/P2).',
  'confirmation-alert': 'Alerts supervisors that a classification has waited too long for confirmation.',
  'follow-up-task': 'Gives an agent a follow-up task with a due time (customer silent, ticket reopened, customer wrote after close).',
  'repeated-reopen': 'Tells the team supervisor that a ticket was reopened a second time (or more).',
  'qa-low-score': 'Asks the QA team to call a customer back after a low satisfaction score.',
  'weekly-report': 'Weekly summary for supervisors.',
};

export const TEMPLATE_PLACEHOLDERS: Readonly<Record<NoticeKind, Readonly<Record<string, PlaceholderSpec>>>> = {
  acknowledgement: {
    ...CUSTOMER,
    statusLink: req('url', 'Page where the customer follows the ticket'),
    subject: opt('text', "The customer's own subject line"),
    typeLabel: req('text', 'Ticket type in the mail language (typeLabel())'),
    priorityLabel: opt('text', 'Priority in the mail language (priorityLabel())'),
    summary: req('text', 'What was understood: the ticket summary'),
    firstResponseDue: req('text', 'When the first response is due, formatted for the customer'),
    previousTicketNo: opt('text', 'The closed ticket this new one follows up'),
  },
  assignment: {
    ...CUSTOMER,
    ...STATUS_LINK,
    summary: req('text', 'The ticket summary'),
    teamName: req('text', 'Name of the team in the mail language'),
    agentName: opt('text', "Assigned agent's name, masked"),
    dueAt: req('text', 'When the customer can expect an answer'),
  },
  reply: {
    ...CUSTOMER,
    ...STATUS_LINK,
    subject: req('text', 'Subject of the conversation'),
    body: req('multiline', "The agent's text"),
    agentName: req('text', "The agent's name, masked"),
    nextUpdateDue: opt('text', 'When the customer will hear from us again'),
  },
  plan: {
    ...CUSTOMER,
    ...STATUS_LINK,
    summary: req('text', 'The ticket summary'),
    planText: req('multiline', "The agent's plan or workaround"),
    agentName: opt('text', "The agent's name, masked"),
    nextUpdateDue: opt('text', 'When the customer will hear from us again'),
  },
  'waiting-on-customer': {
    ...CUSTOMER,
    ...STATUS_LINK,
    summary: req('text', 'The ticket summary'),
    missingInfo: req('multiline', 'Exactly what is missing (order number, screenshot, phone...)'),
    reason: opt('multiline', 'Why it is needed'),
    agentName: opt('text', "The agent's name, masked"),
    reminderDue: req('text', 'When a reminder will be sent if there is no answer'),
  },
  reminder: {
    ...CUSTOMER,
    ...STATUS_LINK,
    summary: req('text', 'The ticket summary'),
    missingInfo: req('multiline', 'What is still missing'),
    followUpDue: opt('text', 'When an agent will contact the customer'),
  },
  progress: {
    ...CUSTOMER,
    ...STATUS_LINK,
    summary: req('text', 'The ticket summary'),
    teamName: opt('text', 'Name of the team in the mail language'),
    progressNote: opt('multiline', "The agent's note on progress, when there is one"),
    nextUpdateDue: req('text', 'When the next progress note is due'),
    missedFirstResponse: opt('text', 'Set when the first answer is overdue: when it was due'),
    missedPlan: opt('text', 'Set when the plan/workaround is overdue: when it was due'),
    missedResolution: opt('text', 'Set when the resolution is overdue: when it was due'),
  },
  resolution: {
    ...CUSTOMER,
    summary: req('text', 'The ticket summary'),
    resolutionSummary: req('text', 'What was done (at most 100 characters)'),
    agentName: opt('text', "The agent's name, masked"),
    ...SURVEY_LINKS,
    closeDue: req('text', 'When the ticket closes if the customer does not answer'),
  },
  'survey-thanks': {
    ...CUSTOMER,
    score: req('text', 'The score given, 1 to 5'),
    followUpDue: opt('text', 'Only after a low score: when the QA team will call'),
  },
  'survey-again': {
    ...CUSTOMER,
    ...SURVEY_LINKS,
    closeDue: req('text', 'When the survey closes'),
  },
  reopen: {
    ...CUSTOMER,
    ...STATUS_LINK,
    summary: req('text', 'The ticket summary'),
    teamName: opt('text', 'Name of the team in the mail language'),
    customerComment: opt('multiline', 'What the customer said is still wrong'),
    dueAt: req('text', 'When the customer can expect an answer'),
    closedOn: opt('text', 'When the ticket had been closed (set when the customer wrote after close)'),
  },
  escalation: {
    ...TICKET,
    reason: req('text', 'Why the ticket was escalated'),
    priorityLabel: req('text', 'Priority (severity)'),
    receivedAt: req('text', 'When the ticket was received'),
    customerName: opt('text', "Customer's name, masked"),
    summary: req('text', 'Short description'),
    teamName: req('text', 'Receiving team'),
    agentName: opt('text', 'Handler'),
    firstAction: opt('multiline', 'First action taken'),
    dueAt: opt('text', 'The deadline that applies (or was missed)'),
    ticketLink: opt('url', 'Link to the ticket in the console'),
  },
  'confirmation-alert': {
    ...TICKET,
    receivedAt: req('text', 'When the ticket was received'),
    waitingMinutes: req('text', 'Minutes the classification has waited'),
    summary: req('text', 'Short description'),
    candidateTags: opt('text', 'Tags the rules found, if any'),
    firstResponseDue: opt('text', 'When the first response is due'),
    ticketLink: opt('url', 'Link to the ticket in the console'),
  },
  'follow-up-task': {
    ...TICKET,
    agentName: req('text', 'The agent the task is for'),
    customerName: opt('text', "Customer's name, masked"),
    summary: req('text', 'Short description'),
    reason: req('text', 'Why the task exists, in words'),
    missingInfo: opt('multiline', 'What the customer was asked for (customer silent)'),
    waitingSince: opt('text', 'Since when the ticket has waited on the customer'),
    newTicketNo: opt('text', 'The new ticket opened for a mail after the reopen window'),
    dueAt: req('text', 'By when the agent should follow up'),
    ticketLink: opt('url', 'Link to the ticket in the console'),
  },
  'repeated-reopen': {
    ...TICKET,
    reopenCount: req('text', 'How often the ticket has been reopened'),
    priorityLabel: req('text', 'Priority'),
    summary: req('text', 'Short description'),
    teamName: req('text', 'Team'),
    agentName: opt('text', 'Handler'),
    dueAt: req('text', 'When the answer is now due'),
    ticketLink: opt('url', 'Link to the ticket in the console'),
  },
  'qa-low-score': {
    ...TICKET,
    score: req('text', 'The score given, 1 to 5'),
    summary: req('text', 'Short description'),
    resolutionSummary: opt('text', 'What was done'),
    agentName: opt('text', 'Handler'),
    customerName: opt('text', "Customer's name, masked"),
    contact: opt('text', 'Contact, masked'),
    comment: opt('multiline', "The customer's comment"),
    followUpDue: opt('text', 'By when QA should call back'),
    ticketLink: opt('url', 'Link to the ticket in the console'),
  },
  'weekly-report': {
    deskName: req('text', 'Name of the support desk'),
    periodStart: req('text', 'First day of the week'),
    periodEnd: req('text', 'Last day of the week'),
    ticketCount: req('text', 'Number of tickets received'),
    breachCount: opt('text', 'Number of deadline breaches'),
    lowScoreCount: opt('text', 'Number of low survey scores'),
    reportBody: req('multiline', 'The report as text: volumes, times, frequent problems, low-score list'),
    reportLink: opt('url', 'Link to the full report'),
  },
};
