/**
 * The desk's shared words for what it tells whom. Templates, notifications, the lifecycle, the
 * notifier and the API all take these types from here, so a new notice kind or audience is one
 * entry in this file and the compiler lists every place that must handle it. The glossary in
 * docs/architecture.md gives the meaning of each name.
 */

/**
 * Who reads a notice: the customer, one agent (named by `agentId`), every supervisor, QA. One
 * audience, one name, in code, table attributes (notification ids end in `.<audience>` for staff),
 * API fields and logs.
 */
export const AUDIENCES = ['customer', 'agent', 'supervisors', 'qa'] as const;
export type Audience = (typeof AUDIENCES)[number];

/**
 * Every notice the desk sends, customer notices first. A notice kind is also the id of the
 * template that words it (shared/templates), so there is no separate template id.
 */
export const NOTICE_KINDS = [
  'acknowledgement',
  'assignment',
  'reply',
  'plan',
  'waiting-on-customer',
  'reminder',
  'progress',
  'resolution',
  'survey-thanks',
  'survey-again',
  'reopen',
  'feature-request-linked',
  'feature-request-update',
  'escalation',
  'confirmation-alert',
  'follow-up-task',
  'repeated-reopen',
  'desk-manager-escalation',
  'agent-assigned',
  'agent-customer-replied',
  'agent-mentioned',
  'staff-digest',
  'qa-low-score',
  'weekly-report',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * Whom each kind's template is written for. The lifecycle also raises staff twins of customer
 * notices (the agent hears of an assignment): a notice is mailed only when its audience is the
 * one its template addresses.
 */
export const NOTICE_AUDIENCE: Readonly<Record<NoticeKind, Audience>> = {
  acknowledgement: 'customer',
  assignment: 'customer',
  reply: 'customer',
  plan: 'customer',
  'waiting-on-customer': 'customer',
  reminder: 'customer',
  progress: 'customer',
  resolution: 'customer',
  'survey-thanks': 'customer',
  'survey-again': 'customer',
  reopen: 'customer',
  'feature-request-linked': 'customer',
  'feature-request-update': 'customer',
  escalation: 'supervisors',
  'confirmation-alert': 'supervisors',
  'follow-up-task': 'agent',
  'repeated-reopen': 'supervisors',
  /** The second tier: mailed to the desk managers, not the team's supervisors. */
  'desk-manager-escalation': 'supervisors',
  'agent-assigned': 'agent',
  'agent-customer-replied': 'agent',
  'agent-mentioned': 'agent',
  'staff-digest': 'supervisors',
  'qa-low-score': 'qa',
  'weekly-report': 'supervisors',
};

/** The staff role whose members make up a group audience. */
export const AUDIENCE_ROLE = { supervisors: 'supervisor', qa: 'qa' } as const satisfies Partial<Record<Audience, string>>;

export const isNoticeKind = (value: string): value is NoticeKind => (NOTICE_KINDS as readonly string[]).includes(value);

/** Whether a notice of this kind, for this audience, has a text written for it (and so is mailed). */
export const isWrittenFor = (kind: NoticeKind, audience: Audience): boolean => NOTICE_AUDIENCE[kind] === audience;
