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

export interface QaItem {
  ticketNo: string;
  score: number;
  comment?: string;
  scoredAt?: string;
  priority?: string;
  type?: string;
  team?: string;
  subject?: string;
  assignee?: string;
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

const SLA_TIMERS = new Set(['first-response', 'plan', 'resolution']);

/** Queue rows carry `vip` at the top; full tickets carry it on the customer. */
function normaliseTicket(raw: TicketSummary & { vip?: boolean }): TicketSummary {
  const customer = raw.customer ?? (raw.vip !== undefined ? { vip: raw.vip } : undefined);
  return { ...raw, customer, flags: Array.isArray(raw.flags) ? raw.flags : [] };
}

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: () => Promise<string | undefined> | string | undefined,
    private readonly onUnauthorised: () => void,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = await this.token();
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

  me = async (): Promise<Me> => {
    const body = await this.request<Partial<Me> & { agentId?: string }>('GET', '/me');
    return { ...body, id: body.id ?? body.agentId ?? '', name: body.name ?? body.agentId ?? '', team: body.team ?? '', roles: body.roles ?? [] };
  };

  queue = async (team: string, status?: string): Promise<TicketSummary[]> => {
    const query = new URLSearchParams({ limit: '100', ...(status ? { status } : {}) });
    return listFrom<TicketSummary>(await this.request('GET', `/queues/${encodeURIComponent(team)}?${query}`)).map(normaliseTicket);
  };

  ticket = async (ticketNo: string): Promise<TicketDetail> => {
    const body = await this.request<Record<string, unknown>>('GET', `/tickets/${encodeURIComponent(ticketNo)}`);
    const ticket = normaliseTicket((body.ticket ?? body) as TicketSummary);
    if (body.customerUnmasked === false) ticket.customer = { ...ticket.customer, masked: true };
    // The deadline to show is the nearest pending SLA timer (first response, plan, resolution).
    const timers = listFrom<{ kind: string; dueAt: string }>(body.timers, 'timers').filter((timer) => SLA_TIMERS.has(timer.kind));
    const nearest = timers.map((timer) => timer.dueAt).sort()[0];
    if (nearest) ticket.dueAt = nearest;
    return {
      ticket,
      messages: listFrom<TimelineMessage>(body.messages, 'messages'),
      events: listFrom<TimelineEvent>(body.timeline ?? body.events, 'events'),
      allowedActions: Array.isArray(body.allowedActions) ? (body.allowedActions as string[]) : undefined,
    };
  };

  act = (ticketNo: string, action: string, payload: Record<string, unknown>) => this.request<unknown>('POST', `/tickets/${encodeURIComponent(ticketNo)}/${action}`, payload);

  template = async (id: string): Promise<TemplateRecord> => {
    const body = await this.request<TemplateRecord & { edited?: Record<string, unknown> }>('GET', `/templates/${encodeURIComponent(id)}`);
    return { ...body, overridden: Object.keys(body.edited ?? {}).length > 0 };
  };
  /** One language per request: the API validates each text's placeholders on its own. */
  saveTemplate = (id: string, language: string, text: TemplateText) => this.request<unknown>('PUT', `/templates/${encodeURIComponent(id)}`, { language, ...text });

  qaQueue = async (): Promise<QaItem[]> => listFrom<QaItem>(await this.request('GET', '/qa-queue'), 'items');
  qaFollowUp = (ticketNo: string, outcome: string, reason: string) => this.request<unknown>('POST', `/tickets/${encodeURIComponent(ticketNo)}/qa-follow-up`, { outcome, reason });

  reports = async (): Promise<string[]> => listFrom<string>(await this.request('GET', '/reports'), 'weeks');
  report = (week: string) => this.request<Record<string, unknown>>('GET', `/reports/${encodeURIComponent(week)}?format=json`);
  /** The self-contained HTML report, shown in a sandboxed frame (no scripts, no same origin). */
  reportHtml = async (week: string): Promise<string> => {
    const token = await this.token();
    const response = await fetch(`${this.baseUrl}/api/v1/reports/${encodeURIComponent(week)}?format=html`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!response.ok) throw new ApiError(`HTTP ${response.status}`, response.status);
    return response.text();
  };
}
