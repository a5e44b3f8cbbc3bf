/**
 * The agent API as the console sees it. The types come from the API's contract
 * (shared/contract/agent-api.ts, types only: nothing of it is bundled), so the console cannot
 * read a field the API does not declare; anything shown is rendered as text.
 */
import type {
  CustomerView,
  EscalationRegister,
  FeatureRequestList,
  FeatureRequestView,
  EventView,
  Me,
  MessageView,
  QaQueueItem,
  QaQueueResponse,
  QueueItem,
  QueuePage,
  ReportList,
  CustomerHistory,
  SearchResponse,
  TaskList,
  TaskView,
  UnreadList,
  UnreadMarkView,
  SuppressionView,
  TemplateRecord as ContractTemplateRecord,
  TicketDetail as ContractTicketDetail,
  TicketView,
  UploadForm,
} from '../../shared/contract/agent-api.js';

import { noteDeskTime } from './deskclock.js';

export type { Me } from '../../shared/contract/agent-api.js';
export type { CustomerHistory, SearchItem, SearchResponse, TaskView, UnreadMarkView } from '../../shared/contract/agent-api.js';

/** A customer as shown: the API's view, plus whether the contact fields were masked for this agent. */
export type TicketCustomer = Partial<CustomerView> & { masked?: boolean };

/**
 * A ticket as lists and the ticket page show it: a queue row, with the full ticket's fields when
 * they were read. `dueAt` is derived here (the nearest pending SLA timer), not sent by the API.
 */
export type TicketSummary = Omit<QueueItem, 'vip'> &
  Partial<Pick<TicketView, 'summary' | 'tags' | 'language' | 'firstRespondedAt' | 'satisfaction' | 'resolutionSummary' | 'planGivenAt' | 'openTasks'>> & {
    customer?: TicketCustomer;
    dueAt?: string;
  };

export type Attachment = MessageView['attachments'][number];
export type TimelineMessage = MessageView;
export type TimelineEvent = EventView;

export interface TicketDetail {
  ticket: TicketSummary;
  messages: TimelineMessage[];
  events: TimelineEvent[];
  /** The handling checklists that apply (shared/domain/checklists.ts) and whether the identity check is recorded. */
  checklists: NonNullable<ContractTicketDetail['checklists']>;
  identityChecked: boolean;
  /** Mail to the customer is not delivered (suppressed since `at`). */
  suppressed?: SuppressionView;
}

export type TemplateText = { subject: string; body: string };
export type TemplateRecord = ContractTemplateRecord & { overridden: boolean };
export type QaItem = QaQueueItem;

/** One field of a problem+json answer: `code` (and `params`) are what the console translates. */
export interface ProblemField {
  field: string;
  message: string;
  code?: string;
  params?: Record<string, string | number>;
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly code?: string;
  readonly params?: Record<string, string | number>;
  constructor(
    message: string,
    readonly status: number,
    readonly detail?: string,
    readonly fields?: ProblemField[],
    options?: { cause?: unknown; code?: string; params?: Record<string, string | number> },
  ) {
    super(message, options);
    this.code = options?.code;
    this.params = options?.params;
  }
}

/** How often one language's save follows saves of other templates before giving up (each is a full read and write). */
const TEMPLATE_SAVE_ATTEMPTS = 3;

/** A template someone saved since the editor loaded it: `latest` is their version, with who saved it and when. */
export class TemplateChangedError extends Error {
  override name = 'TemplateChangedError';
  constructor(readonly latest: TemplateRecord) {
    super(`template ${latest.id} changed meanwhile (version ${latest.version})`);
  }
}

const sameTexts = (a: TemplateRecord['texts'], b: TemplateRecord['texts']): boolean =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].every((language) => a[language]?.subject === b[language]?.subject && a[language]?.body === b[language]?.body);

/** The most tickets one queue list reads (ten pages): a desk's open work, bounded for the browser. */
export const QUEUE_READ_LIMIT = 1_000;

const SLA_TIMERS = new Set(['first-response', 'plan', 'resolution']);

/** Queue rows carry `vip` at the top; full tickets carry it on the customer. */
function fromQueueRow({ vip, ...row }: QueueItem): TicketSummary {
  return { ...row, customer: { vip } };
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
    noteDeskTime(response.headers.get('x-desk-time'));
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorised();
      const problem = (parsed ?? {}) as { title?: string; detail?: string; code?: string; params?: Record<string, string | number>; fields?: ProblemField[]; errors?: ProblemField[] };
      throw new ApiError(problem.title ?? `HTTP ${response.status}`, response.status, problem.detail, problem.fields ?? problem.errors, { code: problem.code, params: problem.params });
    }
    return parsed as T;
  }

  me = (): Promise<Me> => this.request<Me>('GET', '/me');

  /**
   * A team's queue (most urgent first), every page of it up to QUEUE_READ_LIMIT tickets: an agent's
   * P4 ticket behind 100 more urgent ones of the team still shows in "My queue". `complete` is false
   * when the limit stopped the reading.
   */
  queue = async (team: string, status?: string): Promise<{ tickets: TicketSummary[]; complete: boolean }> => {
    const tickets: TicketSummary[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ limit: '100', ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
      const page = await this.request<QueuePage>('GET', `/queues/${encodeURIComponent(team)}?${query}`);
      tickets.push(...page.items.map(fromQueueRow));
      cursor = page.nextCursor;
    } while (cursor && tickets.length < QUEUE_READ_LIMIT);
    return { tickets: tickets.slice(0, QUEUE_READ_LIMIT), complete: cursor === undefined };
  };

  ticket = async (ticketNo: string): Promise<TicketDetail> => {
    const body = await this.request<ContractTicketDetail>('GET', `/tickets/${encodeURIComponent(ticketNo)}`);
    const ticket: TicketSummary = { ...body.ticket, customer: body.customerUnmasked ? body.ticket.customer : { ...body.ticket.customer, masked: true } };
    // The deadline to show is the nearest pending SLA timer (first response, plan, resolution).
    const nearest = body.timers.filter((timer) => SLA_TIMERS.has(timer.kind)).map((timer) => timer.dueAt).sort()[0];
    if (nearest) ticket.dueAt = nearest;
    return {
      ticket,
      messages: body.messages,
      events: body.timeline,
      checklists: body.checklists ?? [],
      identityChecked: body.identityChecked ?? false,
      ...(body.customerSuppressed ? { suppressed: body.customerSuppressed } : {}),
    };
  };

  /** Search (docs/search.md): empty criteria are left out of the query. */
  search = (criteria: Record<string, string | undefined>): Promise<SearchResponse> => {
    const query = new URLSearchParams(Object.entries(criteria).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== ''));
    return this.request<SearchResponse>('GET', `/search?${query}`);
  };

  history = (ticketNo: string): Promise<CustomerHistory> => this.request<CustomerHistory>('GET', `/tickets/${encodeURIComponent(ticketNo)}/history`);

  /**
   * Uploads one file for a reply: an upload form from the API, then the file straight to the blob
   * store (S3 presigned POST, or the local runtime's /uploads/ link). Answers the upload id.
   */
  async uploadFile(ticketNo: string, file: File): Promise<string> {
    const form = await this.request<UploadForm>('POST', `/tickets/${encodeURIComponent(ticketNo)}/uploads`, { name: file.name, size: file.size });
    const data = new FormData();
    for (const [name, value] of Object.entries(form.fields)) data.append(name, value);
    data.append('file', file, file.name);
    const response = await fetch(form.url, { method: 'POST', body: data });
    // The blob store refused the bytes (too large for the form, expired, another type): nothing was kept.
    if (!response.ok) throw new ApiError(`upload failed: ${response.status}`, response.status, undefined, undefined, { code: response.status >= 500 ? 'unavailable' : 'upload-refused' });
    return form.uploadId;
  }

  act = (ticketNo: string, action: string, payload: Record<string, unknown>) => this.request<unknown>('POST', `/tickets/${encodeURIComponent(ticketNo)}/${action}`, payload);

  template = async (id: string): Promise<TemplateRecord> => {
    const body = await this.request<ContractTemplateRecord>('GET', `/templates/${encodeURIComponent(id)}`);
    return { ...body, overridden: Object.keys(body.edited).length > 0 };
  };
  /**
   * Saves the languages whose texts differ from what the editor loaded, one request each (the API
   * validates each text's placeholders on its own), each over the templates document's version the
   * editor last saw, so an edit saved meanwhile is never written over.
   *
   * Every template's edits are one document: a save that meets someone else's (409
   * `settings-changed`) reads the template again, and when its texts are still the ones the editor
   * started from (the other save was of another template) saves over the new version; when this
   * template changed it stops with a {@link TemplateChangedError} naming who saved it.
   */
  saveTemplateTexts = async (loaded: TemplateRecord, texts: Record<string, TemplateText>): Promise<TemplateRecord> => {
    let current = loaded;
    for (const [language, text] of Object.entries(texts)) {
      const before = loaded.texts[language];
      if (text.subject === before?.subject && text.body === before?.body) continue;
      for (let attempt = 1; ; attempt += 1) {
        try {
          const saved = await this.request<ContractTemplateRecord>('PUT', `/templates/${encodeURIComponent(loaded.id)}`, { language, ...text, version: current.version });
          current = { ...saved, overridden: Object.keys(saved.edited).length > 0 };
          break;
        } catch (error) {
          if (!(error instanceof ApiError && error.code === 'settings-changed')) throw error;
          const latest = await this.template(loaded.id);
          if (!sameTexts(latest.texts, current.texts) || attempt >= TEMPLATE_SAVE_ATTEMPTS) throw new TemplateChangedError(latest);
          current = latest;
        }
      }
    }
    return current;
  };

  /** The signed-in agent's open follow-up tasks, earliest due first. */
  myTasks = async (): Promise<TaskView[]> => (await this.request<TaskList>('GET', '/me/tasks')).items;
  /** Tickets that changed for the signed-in agent since they last looked, newest first. */
  myUnread = async (): Promise<UnreadMarkView[]> => (await this.request<UnreadList>('GET', '/me/unread')).items;
  markSeen = (ticketNo: string) => this.request<unknown>('POST', `/me/unread/${encodeURIComponent(ticketNo)}/seen`, {});
  completeTask = (ticketNo: string, taskId: string) => this.request<TaskView>('POST', `/tickets/${encodeURIComponent(ticketNo)}/tasks/${encodeURIComponent(taskId)}/done`, {});

  /** The escalation register of a desk week (default: this week). */
  escalationRegister = (week?: string) => this.request<EscalationRegister>('GET', `/escalations${week ? `?week=${encodeURIComponent(week)}` : ''}`);

  featureRequests = async (): Promise<FeatureRequestView[]> => (await this.request<FeatureRequestList>('GET', '/feature-requests')).items;
  createFeatureRequest = (body: Record<string, unknown>) => this.request<FeatureRequestView>('POST', '/feature-requests', body);
  linkFeatureRequest = (ticketNo: string, featureId: string) => this.request<FeatureRequestView>('POST', `/tickets/${encodeURIComponent(ticketNo)}/feature-request`, { featureId });
  changeFeatureStage = (featureId: string, body: { stage: string; feedback: string; expectedDate?: string }) => this.request<FeatureRequestView>('POST', `/feature-requests/${encodeURIComponent(featureId)}/stage`, body);

  qaQueue = async (): Promise<QaItem[]> => (await this.request<QaQueueResponse>('GET', '/qa-queue')).items;
  qaFollowUp = (ticketNo: string, outcome: string, reason: string) => this.request<unknown>('POST', `/tickets/${encodeURIComponent(ticketNo)}/qa-follow-up`, { outcome, reason });

  reports = async (): Promise<string[]> => (await this.request<ReportList>('GET', '/reports')).weeks;
  report = (week: string) => this.request<Record<string, unknown>>('GET', `/reports/${encodeURIComponent(week)}?format=json`);
  /** The self-contained HTML report, shown in a sandboxed frame (no scripts, no same origin). */
  reportHtml = async (week: string): Promise<string> => {
    const token = await this.token();
    const response = await fetch(`${this.baseUrl}/api/v1/reports/${encodeURIComponent(week)}?format=html`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!response.ok) throw new ApiError(`HTTP ${response.status}`, response.status);
    return response.text();
  };
}
