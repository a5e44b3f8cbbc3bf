import middy from '@middy/core';
import { z } from 'zod';
import { awsRuntime } from '../../shared/adapters/aws-runtime.js';
import { RESOLUTION_SUMMARY_MAX } from '../../shared/domain/lifecycle.js';
import { CHANNELS, LANGUAGES, PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from '../../shared/domain/ticket.js';
import { authenticate, principalOf, type AgentPrincipal, type AuthOptions } from '../../shared/http/auth.js';
import { HttpError } from '../../shared/http/errors.js';
import { json, method, type HttpEvent, type HttpResult } from '../../shared/http/events.js';
import { createLogger } from '../../shared/http/logger.js';
import { parseBody, problemJsonOnError } from '../../shared/http/middlewares.js';
import { AgentService, type AgentAction } from '../../shared/services/agent.js';
import type { Runtime } from '../../shared/services/context.js';
import type { ApplyResult } from '../../shared/services/lifecycle.js';
import { ForbiddenError } from '../../shared/services/errors.js';
import { REPORT_FORMATS, ReportService, type ReportFormat } from '../../shared/services/report.js';
import { SurveyService } from '../../shared/services/survey.js';
import { can } from '../../shared/domain/authorization.js';

const logger = createLogger('agent-api');

const MAX_BODY_BYTES = 64 * 1024;
const text = (max: number) => z.string().trim().min(1).max(max);
const ticketNo = z.string().regex(/^CS\d{11,17}$/);

const schemas = {
  reply: z.strictObject({ text: text(20_000), templateId: z.enum(['reply', 'progress']).optional() }),
  note: z.strictObject({ text: text(20_000) }),
  classification: z.strictObject({
    confirm: z.boolean().default(false),
    type: z.enum(TICKET_TYPES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    team: z.string().min(1).max(50).optional(),
    tags: z.array(z.string().min(1).max(50)).max(20).optional(),
  }),
  assign: z.strictObject({ agentId: z.string().min(1).max(100) }),
  wait: z.strictObject({ missing: text(2_000) }),
  escalate: z.strictObject({ reason: text(1_000) }),
  // Code points, as the domain counts them: 100 Chinese characters are 100, not 300 bytes.
  resolve: z.strictObject({ summary: text(1_000).refine((value) => [...value].length <= RESOLUTION_SUMMARY_MAX, `at most ${RESOLUTION_SUMMARY_MAX} characters`) }),
  reopen: z.strictObject({ reason: text(1_000) }),
  close: z.strictObject({}),
  template: z.strictObject({ language: z.enum(LANGUAGES), subject: z.string().max(1_000), body: z.string().max(20_000) }),
  qaFollowUp: z.strictObject({ outcome: text(2_000), reason: text(2_000) }),
  reportFormat: z.enum(REPORT_FORMATS),
  search: z.object({
    ticketNo: z.string().max(40).optional(),
    email: z.string().max(320).optional(),
    phone: z.string().max(40).optional(),
    reference: z.string().max(100).optional(),
    text: z.string().max(200).optional(),
    from: z.string().max(10).optional(),
    to: z.string().max(10).optional(),
    status: z.string().max(200).transform((value) => value.split(',').filter(Boolean)).pipe(z.array(z.enum(TICKET_STATUSES))).optional(),
    team: z.string().max(50).optional(),
    assignee: z.string().max(100).optional(),
    tag: z.string().max(50).optional(),
    channel: z.enum(CHANNELS).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  }),
  queue: z.object({
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
    cursor: z.string().max(2_000).optional(),
  }),
};

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new HttpError(
      400,
      'Invalid request',
      'One or more fields are invalid.',
      result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message })),
    );
  }
  return result.data;
}

type ActionName = Exclude<keyof typeof schemas, 'template' | 'queue' | 'qaFollowUp' | 'reportFormat' | 'search'>;

function toAction(name: ActionName, body: unknown): AgentAction {
  switch (name) {
    case 'reply':
      return { type: 'reply', input: parse(schemas.reply, body) };
    case 'note':
      return { type: 'note', text: parse(schemas.note, body).text };
    case 'classification': {
      const { confirm, ...changes } = parse(schemas.classification, body);
      return { type: 'classification', confirm, changes: Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) };
    }
    case 'assign':
      return { type: 'assign', agentId: parse(schemas.assign, body).agentId };
    case 'wait':
      return { type: 'wait', missing: parse(schemas.wait, body).missing };
    case 'escalate':
      return { type: 'escalate', reason: parse(schemas.escalate, body).reason };
    case 'resolve':
      return { type: 'resolve', summary: parse(schemas.resolve, body).summary };
    case 'reopen':
      return { type: 'reopen', reason: parse(schemas.reopen, body).reason };
    case 'close':
      parse(schemas.close, body);
      return { type: 'close' };
  }
}

interface Route {
  method: string;
  pattern: RegExp;
  run: (service: AgentService, event: HttpEvent, params: string[], runtime: Runtime) => Promise<HttpResult>;
}

const actionResult = (result: ApplyResult): HttpResult =>
  json(200, { ticketNo: result.ticket.ticketNo, status: result.ticket.status, assignee: result.ticket.assignee ?? null, flags: result.ticket.flags, version: result.ticket.version, notifications: result.notifications.map((n) => n.notificationId) });

const ACTIONS: ActionName[] = ['reply', 'note', 'classification', 'assign', 'wait', 'escalate', 'resolve', 'reopen', 'close'];

/** The API as a table: method, path, what it does. Paths are matched on the raw path, parameters captured. */
const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/api\/v1\/me$/, run: async (service, event) => json(200, await service.me(principalOf(event))) },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/queues\/([a-z][a-z0-9-]*)$/,
    run: async (service, event, [team]) => json(200, await service.queue(principalOf(event), team as string, parse(schemas.queue, event.queryStringParameters ?? {}))),
  },
  { method: 'GET', pattern: /^\/api\/v1\/search$/, run: async (service, event) => json(200, await service.search(principalOf(event), parse(schemas.search, event.queryStringParameters ?? {}))) },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/tickets\/([^/]+)\/history$/,
    run: async (service, event, [no]) => json(200, await service.customerHistory(principalOf(event), parse(ticketNo, no))),
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/tickets\/([^/]+)$/,
    run: async (service, event, [no]) => json(200, await service.ticket(principalOf(event), parse(ticketNo, no))),
  },
  ...ACTIONS.map(
    (name): Route => ({
      method: 'POST',
      pattern: new RegExp(`^/api/v1/tickets/([^/]+)/${name === 'note' ? 'notes' : name}$`),
      run: async (service, event, [no]) => actionResult(await service.act(principalOf(event), parse(ticketNo, no), toAction(name, event.parsedBody))),
    }),
  ),
  { method: 'GET', pattern: /^\/api\/v1\/templates\/([a-z-]+)$/, run: async (service, event, [id]) => json(200, await service.template(principalOf(event), id as string)) },
  {
    method: 'PUT',
    pattern: /^\/api\/v1\/templates\/([a-z-]+)$/,
    run: async (service, event, [id]) => {
      const { language, subject, body } = parse(schemas.template, event.parsedBody);
      return json(200, await service.saveTemplate(principalOf(event), id as string, language, { subject, body }));
    },
  },
  // Survey follow-up and reports (shared/services/survey.ts, report.ts): QA records its call; supervisors and QA read reports.
  {
    method: 'POST',
    pattern: /^\/api\/v1\/tickets\/([^/]+)\/qa-follow-up$/,
    run: async (_service, event, [no], runtime) => {
      const principal = allowed(event, 'qa-follow-up');
      const input = parse(schemas.qaFollowUp, event.parsedBody);
      const ticket = await new SurveyService(runtime).recordQaFollowUp(parse(ticketNo, no), input, principal.agentId);
      return json(200, { ticketNo: ticket.ticketNo, status: ticket.status, version: ticket.version });
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/qa-queue$/,
    run: async (_service, event, _params, runtime) => {
      allowed(event, 'qa-follow-up');
      const state = event.queryStringParameters?.state === 'done' ? 'done' : 'active';
      return json(200, { state, items: await new SurveyService(runtime).qaQueue(state) });
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/reports$/,
    run: async (_service, event, _params, runtime) => {
      allowed(event, 'view-reports');
      return json(200, { weeks: await new ReportService(runtime).weeks() });
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/reports\/(\d{4}-W\d{2})$/,
    run: async (_service, event, [week], runtime) => {
      allowed(event, 'view-reports');
      const format = parse(schemas.reportFormat, event.queryStringParameters?.format ?? 'json');
      const file = await new ReportService(runtime).read(week as string, format);
      if (!file) throw new HttpError(404, 'Not found', `No report for ${week}.`);
      return { statusCode: 200, headers: { ...json(200, {}).headers, 'content-type': REPORT_CONTENT_TYPES[format] }, body: file.toString('utf8') };
    },
  },
];

const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8', html: 'text/html; charset=utf-8' };

function allowed(event: HttpEvent, permission: 'qa-follow-up' | 'view-reports'): AgentPrincipal {
  const principal = principalOf(event);
  if (!can(principal, permission)) throw new ForbiddenError(`not allowed: ${permission}`);
  return principal;
}

function pathOf(event: HttpEvent): string {
  const raw = event.rawPath ?? event.requestContext?.http?.path ?? '/';
  return raw.length > 1 ? raw.replace(/\/+$/, '') : raw;
}

function match(event: HttpEvent): { route: Route; params: string[] } {
  const path = pathOf(event);
  const verb = method(event);
  const candidates = ROUTES.map((route) => ({ route, found: route.pattern.exec(path) })).filter((candidate) => candidate.found);
  const hit = candidates.find((candidate) => candidate.route.method === verb);
  if (hit?.found) return { route: hit.route, params: hit.found.slice(1).map((part) => decodeURIComponent(part)) };
  if (candidates.length > 0) throw new HttpError(405, 'Method not allowed', `${verb} is not supported on ${path}.`);
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

/**
 * The agent API under `/api/v1`. On AWS the HTTP API's Cognito JWT authorizer runs first; locally
 * pass `localAuth` (the local runtime does) to verify Bearer tokens signed with the local key.
 */
export function createAgentApiHandler(getRuntime: () => Promise<Runtime>, options: AuthOptions = {}) {
  return middy<HttpEvent, HttpResult>()
    .use(problemJsonOnError(logger))
    .use(authenticate(async () => (await getRuntime()).config, options))
    .use(bodyForWrites())
    .handler(async (event) => {
      const { route, params } = match(event);
      const runtime = await getRuntime();
      const service = new AgentService(runtime);
      const response = await route.run(service, event, params, runtime);
      logger.info('agent api', { method: route.method, path: pathOf(event), status: response.statusCode, agentId: principalOf(event).agentId });
      return response;
    });
}

export const handler = createAgentApiHandler(awsRuntime);
