/**
 * The agent API as the console sees it. Shapes are read tolerantly (a list may come bare or under
 * a key) so a field the API adds never breaks the console; anything shown is rendered as text.
 */

export interface Me {
  id: string;
  name: string;
  team: string;
  roles: string[];
  teams?: Array<{ id: string; name: Record<string, string> }>;
  agents?: Array<{ id: string; name: string; team: string }>;
}

export interface TicketCustomer {
  name?: string;
  email?: string;
  phone?: string;
  account?: string;
  vip?: boolean;
  masked?: boolean;
}

export interface TicketSummary {
  ticketNo: string;
  status: string;
  priority: string;
  type: string;
  team: string;
  subject?: string;
  summary?: string;
  assignee?: string;
  flags: string[];
  tags?: string[];
  language?: string;
  customer?: TicketCustomer;
  createdAt: string;
  firstResponseDueAt?: string;
  firstRespondedAt?: string;
  /** The next deadline the desk watches, when the API names one. */
  dueAt?: string;
  satisfaction?: { score: number; comment?: string; at?: string };
  resolutionSummary?: string;
}

export interface Attachment {
  name: string;
  contentType: string;
  size: number;
  flags?: string[];
  url?: string;
}

export interface TimelineMessage {
  messageId: string;
  direction: 'inbound' | 'outbound' | 'internal';
  at: string;
  author: string;
  text: string;
  subject?: string;
  attachments?: Attachment[];
}

export interface TimelineEvent {
  eventId: string;
  at: string;
  actor: string;
  kind: string;
  detail?: Record<string, unknown>;
  customerNotice?: string;
}

export interface TicketDetail {
  ticket: TicketSummary;
  messages: TimelineMessage[];
  events: TimelineEvent[];
  /** Actions the API allows this agent now, when it says. */
  allowedActions?: string[];
}

export interface TemplateText {
  subject: string;
  body: string;
}

export interface TemplateRecord {
  id: string;
  audience?: string;
  description?: string;
  placeholders?: Record<string, { description?: string; required?: boolean }>;
  texts: Record<string, TemplateText>;
  overridden?: boolean;
}

export interface ReportListItem {
  id: string;
  week?: string;
  from?: string;
  to?: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly detail?: string,
    readonly fields?: Array<{ field: string; message: string }>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function listFrom<T>(body: unknown, ...keys: string[]): T[] {
  if (Array.isArray(body)) return body as T[];
  if (typeof body === 'object' && body !== null) {
    for (const key of [...keys, 'items', 'tickets']) {
      const value = (body as Record<string, unknown>)[key];
      if (Array.isArray(value)) return value as T[];
    }
  }
  return [];
}

function normaliseTicket(raw: TicketSummary): TicketSummary {
  return { ...raw, flags: Array.isArray(raw.flags) ? raw.flags : [] };
}

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: () => string | undefined,
    private readonly onUnauthorised: () => void,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorised();
      const problem = (parsed ?? {}) as { title?: string; detail?: string; fields?: Array<{ field: string; message: string }>; errors?: Array<{ field: string; message: string }> };
      throw new ApiError(problem.title ?? `HTTP ${response.status}`, response.status, problem.detail, problem.fields ?? problem.errors);
    }
    return parsed as T;
  }

  me = () => this.request<Me | { agent: Me }>('GET', '/me').then((body) => ('agent' in body ? body.agent : body));

  queue = async (team: string): Promise<TicketSummary[]> => listFrom<TicketSummary>(await this.request('GET', `/queues/${encodeURIComponent(team)}`)).map(normaliseTicket);

  ticket = async (ticketNo: string): Promise<TicketDetail> => {
    const body = await this.request<Record<string, unknown>>('GET', `/tickets/${encodeURIComponent(ticketNo)}`);
    const ticket = (body.ticket ?? body) as TicketSummary;
    return {
      ticket: normaliseTicket(ticket),
      messages: listFrom<TimelineMessage>(body.messages ?? body.timeline, 'messages'),
      events: listFrom<TimelineEvent>(body.events, 'events'),
      allowedActions: Array.isArray(body.allowedActions) ? (body.allowedActions as string[]) : undefined,
    };
  };

  act = (ticketNo: string, action: string, payload: Record<string, unknown>) => this.request<unknown>('POST', `/tickets/${encodeURIComponent(ticketNo)}/${action}`, payload);

  templates = async (): Promise<TemplateRecord[]> => listFrom<TemplateRecord>(await this.request('GET', '/templates'), 'templates');
  template = async (id: string): Promise<TemplateRecord> => {
    const body = await this.request<Record<string, unknown>>('GET', `/templates/${encodeURIComponent(id)}`);
    return (body.template ?? body) as TemplateRecord;
  };
  saveTemplate = (id: string, texts: Record<string, Partial<TemplateText>>) => this.request<unknown>('PUT', `/templates/${encodeURIComponent(id)}`, { texts });

  reports = async (): Promise<ReportListItem[]> => listFrom<ReportListItem>(await this.request('GET', '/reports'), 'reports');
  report = (id: string) => this.request<Record<string, unknown>>('GET', `/reports/${encodeURIComponent(id)}`);
}
