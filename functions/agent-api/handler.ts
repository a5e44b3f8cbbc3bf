import middy from '@middy/core';
import httpRouterHandler, { type Route } from '@middy/http-router';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { awsRuntime } from '../../shared/adapters/aws-runtime.js';
import { s3BlobStore } from '../../shared/adapters/s3-blob-store.js';
import { sqsNotificationQueue } from '../../shared/adapters/sqs-queue.js';
import { AGENT_API, TICKET_ACTIONS, type AgentApi, type RouteContract, type RouteName, type TicketActionName } from '../../shared/contract/agent-api.js';
import { openApiDocument } from '../../shared/contract/openapi.js';
import { can, type Permission } from '../../shared/domain/authorization.js';
import type { AgentPrincipal } from '../../shared/domain/authorization.js';
import { authenticate, principalOf, type AuthOptions } from '../../shared/http/auth.js';
import { HttpError, toHttpError } from '../../shared/http/errors.js';
import { json, method, type HttpEvent, type HttpResult } from '../../shared/http/events.js';
import { createLogger } from '../../shared/adapters/logger.js';
import { throughFrontDoor } from '../../shared/http/front-door.js';
import { parseBody, problemJsonOnError } from '../../shared/http/middlewares.js';
import { AgentService, visibleTo, type AgentAction } from '../../shared/services/agent.js';
import { deskSettings, refreshDeskSettings } from '../../shared/services/desk-settings.js';
import { DirectoryService } from '../../shared/services/directory.js';
import { cognitoIdentities } from '../../shared/adapters/cognito-identities.js';
import { sqsDeadLetters } from '../../shared/adapters/sqs-dead-letters.js';
import type { AgentRecord } from '../../shared/services/ports.js';
import type { Runtime } from '../../shared/services/context.js';
import type { SettingsView } from '../../shared/services/settings.js';
import type { DeskSettings } from '../../shared/config/desk-settings.js';
import { ForbiddenError } from '../../shared/services/errors.js';
import { ReportService, type ReportFormat } from '../../shared/services/report.js';
import { SuppressionService } from '../../shared/services/suppressions.js';
import { ReviewService } from '../../shared/services/review.js';
import { BulkService } from '../../shared/services/bulk.js';
import { PresenceService } from '../../shared/services/presence.js';
import { MacroService } from '../../shared/services/macros.js';
import { TemplateService } from '../../shared/services/templates.js';
import { SurveyService } from '../../shared/services/survey.js';
import { TaskService } from '../../shared/services/tasks.js';
import { EscalationRegisterService } from '../../shared/services/escalations.js';
import { FeatureRequestService } from '../../shared/services/feature-requests.js';
import type { FeatureRequest } from '../../shared/domain/feature-requests.js';
import { isoWeekOf } from '../../shared/domain/calendar.js';

const logger = createLogger('agent-api');

const MAX_BODY_BYTES = 64 * 1024;

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a route's implementation receives: the request, already validated against the contract. */
interface RouteInput<R extends RouteName> {
  principal: AgentPrincipal;
  runtime: Runtime;
  service: AgentService;
  params: Parsed<AgentApi[R] extends { params: infer P } ? P : undefined>;
  query: Parsed<AgentApi[R] extends { query: infer Q } ? Q : undefined>;
  body: Parsed<AgentApi[R] extends { body: infer B } ? B : undefined>;
}

/** A body that is a file, not JSON (a weekly report as CSV or HTML). */
class FileResponse {
  constructor(
    readonly contentType: string,
    readonly body: string,
  ) {}
}

/** Each route's implementation must answer the contract's response shape (checked by the compiler). */
type Implementation<R extends RouteName> = (input: RouteInput<R>) => Promise<z.input<AgentApi[R]['response']> | FileResponse>;

const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8', html: 'text/html; charset=utf-8' };

function allowed(principal: AgentPrincipal, permission: Permission): AgentPrincipal {
  if (!can(principal, permission)) throw new ForbiddenError(`not allowed: ${permission}`);
  return principal;
}

/** Each ticket action's validated body as the service's action. */
const ACTIONS: { [R in TicketActionName]: (body: Parsed<AgentApi[R]['body']>) => AgentAction } = {
  reply: (input) => ({ type: 'reply', input }),
  plan: ({ text, changesOrder, attachments }) => ({ type: 'plan', text, ...(changesOrder ? { changesOrder } : {}), ...(attachments ? { attachments } : {}) }),
  verifyIdentity: ({ method }) => ({ type: 'verify-identity', method }),
  note: ({ text }) => ({ type: 'note', text }),
  classification: ({ confirm, ...changes }) => ({ type: 'classification', confirm, changes: Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) }),
  assign: ({ agentId }) => ({ type: 'assign', agentId }),
  waitOnCustomer: ({ missing, why, attachments }) => ({ type: 'wait-on-customer', missing, ...(why ? { why } : {}), ...(attachments ? { attachments } : {}) }),
  escalate: ({ reason }) => ({ type: 'escalate', reason }),
  resolve: ({ summary }) => ({ type: 'resolve', summary }),
  reopen: ({ reason }) => ({ type: 'reopen', reason }),
  close: () => ({ type: 'close' }),
};

const ticketAction =
  (name: TicketActionName): Implementation<TicketActionName> =>
  async ({ service, principal, params, body }) => {
    const toAction = ACTIONS[name] as (input: typeof body) => AgentAction;
    const result = await service.act(principal, params.ticketNo, toAction(body));
    const { ticket } = result;
    return { ticketNo: ticket.ticketNo, status: ticket.status, assignee: ticket.assignee ?? null, flags: ticket.flags, version: ticket.version, notifications: result.notifications.map((n) => n.notificationId) };
  };

/** A feature request as the API shows it: how many customers asked, never who. */
function featureView({ customerKeys, ...record }: FeatureRequest) {
  return { ...record, customerCount: customerKeys.length };
}

/**
 * The API, one implementation per route of the contract (shared/contract/agent-api.ts). A route
 * missing here, or answering another shape than its contract, does not compile.
 */
const ROUTES: { [R in RouteName]: Implementation<R> } = {
  me: ({ service, principal }) => service.me(principal),
  myTasks: async ({ runtime, principal }) => ({ items: await new TaskService(runtime).openTasks(principal.agentId) }),
  // Unread markers are the caller's own: nobody reads or clears another agent's.
  myUnread: async ({ runtime, principal }) => ({ items: await new TaskService(runtime).unread(principal.agentId) }),
  markSeen: async ({ runtime, principal, params }) => new TaskService(runtime).seen(principal.agentId, params.ticketNo),
  completeTask: async ({ runtime, principal, params }) => {
    const ticket = await runtime.store.getTicket(params.ticketNo);
    const task = ticket?.openTasks?.find((candidate) => candidate.taskId === params.taskId);
    // Someone else's task on a ticket the caller may not see answers as a missing ticket (no existence oracle).
    if (!ticket || task?.agentId !== principal.agentId) visibleTo(principal, ticket, params.ticketNo);
    // Agents settle their own tasks; supervisors may settle anyone's on their teams.
    if (task && task.agentId !== principal.agentId && !can(principal, 'assign', { team: ticket?.team ?? '', assignee: task.agentId })) {
      throw new ForbiddenError('not allowed to complete this task');
    }
    return new TaskService(runtime).complete(params.ticketNo, params.taskId, principal.agentId);
  },
  supervisorQueue: ({ service, principal, query }) => service.queue(principal, 'supervisors', query),
  queue: ({ service, principal, params, query }) => service.queue(principal, params.team, query),
  ticket: ({ service, principal, params }) => service.ticket(principal, params.ticketNo),
  search: ({ service, principal, query }) => service.search(principal, query),
  createTicket: ({ service, principal, body }) => service.createTicket(principal, body),
  openApi: async ({ runtime }) => openApiDocument(runtime.config.desk.publicBaseUrl),
  customerHistory: ({ service, principal, params }) => service.customerHistory(principal, params.ticketNo),
  ...(Object.fromEntries(TICKET_ACTIONS.map((name) => [name, ticketAction(name)])) as { [R in TicketActionName]: Implementation<R> }),
  // Survey follow-up and reports (shared/services/survey.ts, report.ts): QA records its call; supervisors and QA read reports.
  qaFollowUp: async ({ runtime, principal, params, body }) => {
    allowed(principal, 'qa-follow-up');
    const ticket = await new SurveyService(runtime).recordQaFollowUp(params.ticketNo, body, principal.agentId);
    return { ticketNo: ticket.ticketNo, status: ticket.status, version: ticket.version };
  },
  template: ({ runtime, principal, params }) => new TemplateService(runtime).template(principal, params.id),
  saveTemplate: ({ runtime, principal, params, body }) => new TemplateService(runtime).save(principal, params.id, body),
  templateAudit: ({ runtime, principal }) => new TemplateService(runtime).audit(principal),
  qaQueue: async ({ runtime, principal, query }) => {
    allowed(principal, 'qa-follow-up');
    return { state: query.state, items: await new SurveyService(runtime).qaQueue(query.state) };
  },
  featureRequests: async ({ runtime }) => ({ items: (await new FeatureRequestService(runtime).list()).map(featureView) }),
  createFeatureRequest: async ({ runtime, principal, body }) => featureView(await new FeatureRequestService(runtime).create(principal, body)),
  linkFeatureRequest: async ({ runtime, principal, params, body }) => featureView(await new FeatureRequestService(runtime).link(principal, params.ticketNo, body.featureId)),
  changeFeatureStage: async ({ runtime, principal, params, body }) => featureView(await new FeatureRequestService(runtime).changeStage(principal, params.featureId, body)),
  escalationRegister: async ({ runtime, principal, query }) => {
    allowed(principal, 'view-escalations');
    const week = query.week ?? isoWeekOf(runtime.clock.now(), runtime.config.calendar.timeZone);
    return { week, items: await new EscalationRegisterService(runtime).week(week) };
  },
  // The suppression list (admins): what is not mailed and why, and lifting an entry.
  suppressions: async ({ runtime, principal, query }) => ({ items: await new SuppressionService(runtime).list(principal, query.limit) }),
  liftSuppression: async ({ runtime, principal, body }) => {
    const { address, lifted, was } = await new SuppressionService(runtime).lift(principal, body.address);
    logger.info('suppression lifted', { agentId: principal.agentId, reason: was.reason, since: was.at });
    return { address, lifted };
  },
  reports: async ({ runtime, principal }) => {
    allowed(principal, 'view-reports');
    return { weeks: await new ReportService(runtime).weeks() };
  },
  report: async ({ runtime, principal, params, query }) => {
    allowed(principal, 'view-reports');
    const file = await new ReportService(runtime).read(params.week, query.format);
    if (!file) throw new HttpError(404, 'Not found', `No report for ${params.week}.`);
    return new FileResponse(REPORT_CONTENT_TYPES[query.format], file.toString('utf8'));
  },
  attachment: ({ service, principal, params }) => service.attachmentLink(principal, params.ticketNo, params.messageId, params.index),
  upload: ({ service, principal, params, body }) => service.uploadForm(principal, params.ticketNo, body),
  macros: ({ runtime, principal }) => new MacroService(runtime).list(principal),
  saveMacros: ({ runtime, principal, body }) => new MacroService(runtime).save(principal, body.items, body.version, body.note),
  macroAudit: async ({ runtime, principal }) => ({ items: await new MacroService(runtime).audit(principal) }),
  presence: ({ runtime, principal, params, body }) => new PresenceService(runtime).heartbeat(principal, params.ticketNo, body.activity),
  bulk: async ({ runtime, principal, body }) => {
    const outcomes = await new BulkService(runtime).apply(principal, body.ticketNos, body.action);
    const results = outcomes.map((outcome) => {
      if (outcome.ok) return { ticketNo: outcome.ticketNo, ok: true, status: outcome.ticket.status, ...(outcome.ticket.assignee ? { assignee: outcome.ticket.assignee } : {}) };
      const problem = toHttpError(outcome.error);
      if (problem.status >= 500) logger.error('bulk action failed on a ticket', { ticketNo: outcome.ticketNo, error: outcome.error as Error });
      return { ticketNo: outcome.ticketNo, ok: false, code: problem.code, ...(problem.params ? { params: problem.params } : {}) };
    });
    return { succeeded: results.filter((result) => result.ok).length, failed: results.filter((result) => !result.ok).length, results };
  },
  // The review queue (shared/services/review.ts) and the dead letters (admins replay them).
  reviewQueue: ({ runtime, principal, query }) => new ReviewService(runtime).list(principal, query),
  reviewDetail: ({ runtime, principal, params }) => new ReviewService(runtime).detail(principal, params.ticketNo),
  reviewAccept: ({ runtime, principal, params }) => new ReviewService(runtime).accept(principal, params.ticketNo),
  reviewOpen: ({ runtime, principal, params }) => new ReviewService(runtime).open(principal, params.ticketNo),
  reviewDiscard: ({ runtime, principal, params, body }) => new ReviewService(runtime).discard(principal, params.ticketNo, body.reason || undefined),
  deadLetters: async ({ runtime, principal }) => {
    allowed(principal, 'replay-dead-letters');
    return runtime.deadLetters ? { replayable: true, queues: await runtime.deadLetters.list() } : { replayable: false, queues: [] };
  },
  replayDeadLetters: async ({ runtime, principal, params }) => {
    allowed(principal, 'replay-dead-letters');
    if (!runtime.deadLetters) throw new HttpError(404, 'Not found', 'This deployment replays dead letters with npm run redrive -- --aws.');
    return { queue: params.queue, ...(await runtime.deadLetters.replay(params.queue)) };
  },
  // The agent directory (shared/services/directory.ts): admins only.
  agents: async ({ runtime, principal }) => {
    allowed(principal, 'manage-agents');
    const items = await new DirectoryService(runtime).list();
    return { items: items.map(agentView), teams: runtime.config.teams.map((team) => ({ id: team.id, name: team.name })) };
  },
  addAgent: async ({ runtime, principal, body }) => {
    allowed(principal, 'manage-agents');
    return agentView(await new DirectoryService(runtime).add(body, principal.agentId));
  },
  changeAgent: async ({ runtime, principal, params, body }) => {
    allowed(principal, 'manage-agents');
    const { version, ...change } = body;
    if (params.agentId === principal.agentId && (change.disabled === true || (change.roles && !change.roles.includes('admin')))) {
      // The last way back in would be a CLI with AWS credentials: an admin never locks themself out.
      throw new HttpError(409, 'Conflict', 'Admins cannot disable themselves or drop their own admin role; ask another admin.', undefined, { code: 'own-admin' });
    }
    return agentView(await new DirectoryService(runtime).update(params.agentId, change, version, principal.agentId));
  },
  agentAudit: async ({ runtime, principal, params }) => {
    allowed(principal, 'manage-agents');
    return { items: (await new DirectoryService(runtime).audit(params.agentId)).map(({ at, by, action, changes }) => ({ at, by, action, changes })) };
  },
  // The desk settings (shared/services/desk-settings.ts): admins only.
  deskSettings: async ({ runtime, principal }) => {
    allowed(principal, 'manage-settings');
    return deskSettingsView(await deskSettings(runtime).read(), runtime);
  },
  saveDeskSettings: async ({ runtime, principal, body }) => {
    allowed(principal, 'manage-settings');
    const saved = await deskSettings(runtime).save(body.settings, body.version, principal.agentId, body.note);
    // This function routes and times with the new settings from the next request on; the others within 30 s.
    await refreshDeskSettings(runtime);
    return deskSettingsView(saved, runtime);
  },
  deskSettingsAudit: async ({ runtime, principal }) => {
    allowed(principal, 'manage-settings');
    return { items: (await deskSettings(runtime).audit()).map(({ version, at, by, changed, note, body }) => ({ version, at, by, changed, ...(note ? { note } : {}), settings: body })) };
  },
};

function deskSettingsView(view: SettingsView<DeskSettings>, runtime: Runtime) {
  const { version, body, updatedAt, updatedBy, invalidStored } = view;
  return { version, settings: body, ...(updatedAt ? { updatedAt } : {}), ...(updatedBy ? { updatedBy } : {}), timeZone: runtime.config.calendar.timeZone, ...(invalidStored ? { invalidStored } : {}) };
}

function agentView(record: AgentRecord) {
  return {
    id: record.id,
    name: record.name,
    email: record.email,
    team: record.team,
    roles: record.roles,
    available: record.available,
    disabled: record.disabled === true,
    ...(record.notices ? { notices: record.notices } : {}),
    signInLinked: record.sub !== undefined,
    version: record.version,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
  };
}

function validate<S extends z.ZodType>(schema: S, value: unknown, where: 'path' | 'query' | 'body'): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new HttpError(
      400,
      'Invalid request',
      'One or more fields are invalid.',
      result.error.issues.map((issue) => ({ field: issue.path.join('.') || (where === 'body' ? '(body)' : `(${where})`), message: issue.message, ...issueCode(issue) })),
    );
  }
  return result.data;
}

/** The issue's language-free reason and the numbers its message needs, for the console to translate. */
function issueCode(issue: z.core.$ZodIssue): { code: string; params?: Record<string, string | number> } {
  const limits = issue as { minimum?: number | bigint; maximum?: number | bigint; format?: string };
  const params: Record<string, string | number> = {};
  if (limits.minimum !== undefined) params.minimum = Number(limits.minimum);
  if (limits.maximum !== undefined) params.maximum = Number(limits.maximum);
  if (limits.format !== undefined) params.format = limits.format;
  return Object.keys(params).length > 0 ? { code: issue.code, params } : { code: issue.code };
}

/** Path parameters as the router captured them (still percent-encoded). */
function decodedParams(event: HttpEvent): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.pathParameters ?? {})) {
    if (value === undefined) continue;
    try {
      params[key] = decodeURIComponent(value);
    } catch (cause) {
      throw new HttpError(400, 'Invalid request', 'The path is not valid percent-encoding.', undefined, { cause });
    }
  }
  return params;
}

function routeFor<R extends RouteName>(name: R, getRuntime: () => Promise<Runtime>): Route<HttpEvent, HttpResult> {
  const contract: RouteContract = AGENT_API[name];
  const implementation = ROUTES[name] as unknown as (input: RouteInput<RouteName>) => Promise<unknown>;
  return {
    method: contract.method,
    path: contract.path,
    handler: async (event: HttpEvent) => {
      const runtime = await getRuntime();
      const input = {
        principal: principalOf(event),
        runtime,
        service: new AgentService(runtime),
        params: contract.params ? validate(contract.params, decodedParams(event), 'path') : undefined,
        query: contract.query ? validate(contract.query, event.queryStringParameters ?? {}, 'query') : undefined,
        body: contract.body ? validate(contract.body, event.parsedBody, 'body') : undefined,
      } as RouteInput<RouteName>;
      const result = await implementation(input);
      if (result instanceof FileResponse) return { ...json(200, {}), headers: { ...json(200, {}).headers, 'content-type': result.contentType }, body: result.body };
      return json(200, result);
    },
  };
}

/** The contract's paths as patterns, to tell "wrong method" (405) from "no such resource" (404). */
const PATH_PATTERNS = Object.values(AGENT_API).map((route: RouteContract) => new RegExp(`^${route.path.replace(/\{[^/]+\}/g, '[^/]+')}/?$`));

function notFound({ method: verb, path }: { method: string; path: string }): never {
  if (PATH_PATTERNS.some((pattern) => pattern.test(path))) throw new HttpError(405, 'Method not allowed', `${verb} is not supported on ${path}.`);
  throw new HttpError(404, 'Not found', `No API resource at ${path}.`);
}

function bodyForWrites(): middy.MiddlewareObj<HttpEvent, HttpResult> {
  const parser = parseBody({ maxBytes: MAX_BODY_BYTES });
  return {
    before: async (request) => {
      if (method(request.event) === 'POST' || method(request.event) === 'PUT') await parser.before?.(request);
    },
  };
}

/** Logs each answered request (who, what, status); failures are logged by the error middleware. */
function accessLog(): middy.MiddlewareObj<HttpEvent, HttpResult> {
  return {
    after: async (request) => {
      const { event, response } = request;
      logger.info('agent api', { method: method(event), path: event.requestContext?.http?.path ?? event.rawPath, status: response?.statusCode, agentId: principalOf(event).agentId });
    },
  };
}

/**
 * Every successful answer says what time the desk's clock shows (`x-desk-time`): SLA
 * countdowns in the console count from it, not from the browser's clock (which may be wrong, and
 * locally the dev clock is moved forward on purpose).
 */
function deskTime(getRuntime: () => Promise<Runtime>): middy.MiddlewareObj<HttpEvent, HttpResult> {
  const stamp = async (request: { response: HttpResult | null | undefined }) => {
    if (!request.response) return;
    const now = (await getRuntime()).clock.now().toISOString();
    request.response = { ...request.response, headers: { ...(request.response.headers ?? {}), 'x-desk-time': now } };
  };
  return { after: stamp };
}

/**
 * The agent API under `/api/v1`, routed by @middy/http-router from the contract's table. On AWS
 * the HTTP API's Cognito JWT authorizer runs first; locally pass `localAuth` (the local runtime
 * does) to verify Bearer tokens signed with the local key.
 */
export function createAgentApiHandler(getRuntime: () => Promise<Runtime>, options: AuthOptions = {}) {
  const router = httpRouterHandler<HttpEvent, HttpResult>({
    routes: (Object.keys(AGENT_API) as RouteName[]).map((name) => routeFor(name, getRuntime)),
    notFoundResponse: notFound,
  });
  return middy<HttpEvent, HttpResult>()
    .use(deskTime(getRuntime))
    .use(problemJsonOnError(logger))
    .use(throughFrontDoor())
    .use(authenticate(async () => (await getRuntime()).config, options))
    .use(bodyForWrites())
    .use(accessLog())
    .handler((event: HttpEvent, context: Context) => router(event, context) as Promise<HttpResult>);
}

export const handler = createAgentApiHandler(
  awsRuntime('agent-api', { queue: sqsNotificationQueue, mailBlobs: s3BlobStore, reportBlobs: s3BlobStore, identities: cognitoIdentities, deadLetters: sqsDeadLetters }),
);
