import middy from '@middy/core';
import { randomUUID } from 'node:crypto';
import { httpIntakeTable } from '../../shared/adapters/dynamodb/http-transport.js';
import { functionRuntime } from '../../shared/adapters/function-runtime.js';
import { httpNotificationQueue } from '../../shared/adapters/notification-queue.js';
import { isLanguage } from '../../shared/domain/language.js';
import { describeDueTime } from '../../shared/domain/sla.js';
import type { Language } from '../../shared/domain/ticket.js';
import { HttpError } from '../../shared/http/errors.js';
import { header, htmlPage, json, method, wantsHtml, type HttpEvent, type HttpResult } from '../../shared/http/events.js';
import { createLogger } from '../../shared/adapters/logger.js';
import { toHttpError } from '../../shared/http/errors.js';
import { throughFrontDoor } from '../../shared/http/front-door.js';
import { pageLanguage, parsePostBody, problemJsonOnError, RETRY_AFTER_SECONDS } from '../../shared/http/middlewares.js';
import { renderFormPage, renderThankYouPage } from '../../shared/http/pages/form-page.js';
import { validateTicketForm } from '../../shared/contract/ticket-form.js';
import type { Runtime } from '../../shared/services/context.js';
import type { IntakeStore, RuntimeStore } from '../../shared/services/ports.js';
import { FormIntakeService } from '../../shared/services/form.js';

const logger = createLogger('form-intake');

/** `GET /` serves the customer form; `POST /tickets` turns a posted form into a ticket. */
export function createFormIntakeHandler(getRuntime: () => Promise<Runtime<IntakeStore & RuntimeStore>>) {
  return middy<HttpEvent, HttpResult>()
    .use(problemJsonOnError(logger))
    .use(throughFrontDoor())
    .use(parsePostBody(getRuntime))
    .use(pageLanguage(getRuntime))
    .use(retryPageOnUnavailable(getRuntime))
    .handler(async (event) => {
      const runtime = await getRuntime();
      const { desk } = runtime.config;
      const language = event.pageLanguage ?? desk.defaultLanguage;
      if (method(event) === 'GET') {
        return htmlPage(200, renderFormPage({ language, deskName: desk.name[language], idempotencyKey: randomUUID() }));
      }
      const body = (event.parsedBody ?? {}) as Record<string, unknown>;
      const browser = wantsHtml(event);
      const validation = validateTicketForm(body);
      if (!validation.ok) {
        if (browser) {
          const values = Object.fromEntries(Object.entries(body).filter(([, value]) => typeof value === 'string')) as Record<string, string>;
          return htmlPage(400, renderFormPage({ language, deskName: desk.name[language], idempotencyKey: String(body.idempotencyKey ?? randomUUID()), values, errors: validation.fields }));
        }
        throw new HttpError(400, 'Invalid form', 'One or more fields are invalid.', validation.fields);
      }
      const { form } = validation;
      if (form.website) {
        logger.info('honeypot field filled: request refused');
        throw new HttpError(400, 'Request refused', 'The form was filled in automatically.', [{ field: 'website', message: 'must be empty' }]);
      }
      const idempotencyKey = header(event, 'idempotency-key')?.trim() || form.idempotencyKey;
      if (idempotencyKey && (idempotencyKey.length > 200 || !/^[\x21-\x7e]+$/.test(idempotencyKey))) {
        throw new HttpError(400, 'Invalid Idempotency-Key', 'Idempotency-Key must be 1 to 200 visible ASCII characters.', [{ field: 'Idempotency-Key', message: 'invalid' }]);
      }
      const client = event.requestContext?.http?.sourceIp ?? 'unknown';
      const { ticket, created } = await new FormIntakeService(runtime).submit(form, idempotencyKey, client);
      logger.info(created ? 'ticket created' : 'repeated request', { ticketNo: ticket.ticketNo, channel: 'form', priority: ticket.priority });
      const replayHeader: Record<string, string> = created ? {} : { 'idempotent-replayed': 'true' };
      if (browser) {
        const firstResponseText = describeDueTime(new Date(ticket.firstResponseDueAt), ticket.language, runtime.config.calendar.timeZone);
        return htmlPage(201, renderThankYouPage({ language: ticket.language, deskName: desk.name[ticket.language], ticketNo: ticket.ticketNo, firstResponseText }), replayHeader);
      }
      return json(
        201,
        { ticketNo: ticket.ticketNo, status: ticket.status, type: ticket.type, priority: ticket.priority, team: ticket.team, firstResponseDueAt: ticket.firstResponseDueAt },
        { location: `/tickets/${ticket.ticketNo}`, ...replayHeader },
      );
    });
}


const RETRY_TEXT: Record<Language, string> = {
  en: 'We could not finish taking your request just now. Please press Send again in a few seconds: you will not create a second ticket.',
  'zh-CN': '我们暂时未能完成您的请求。请几秒后再次点击提交：不会重复创建工单。',
};

/**
 * A browser whose post could not finish in time (503) gets the form back, filled in, with the
 * same idempotency key: pressing Send again returns the ticket the first try may have created,
 * never a second one.
 */
function retryPageOnUnavailable(getRuntime: () => Promise<Runtime<unknown>>): middy.MiddlewareObj<HttpEvent, HttpResult> {
  return {
    onError: async (request) => {
      const { event } = request;
      const body = (event.parsedBody ?? {}) as Record<string, unknown>;
      if (method(event) !== 'POST' || !wantsHtml(event) || toHttpError(request.error).status !== 503 || typeof body.idempotencyKey !== 'string') return;
      const { desk } = (await getRuntime()).config;
      const language: Language = isLanguage(body.language) ? body.language : desk.defaultLanguage;
      const values = Object.fromEntries(Object.entries(body).filter(([name, value]) => typeof value === 'string' && name !== 'website')) as Record<string, string>;
      request.response = htmlPage(503, renderFormPage({ language, deskName: desk.name[language], idempotencyKey: body.idempotencyKey, values, errors: [{ field: 'form', message: RETRY_TEXT[language] }] }), {
        'retry-after': String(RETRY_AFTER_SECONDS),
      });
      return request.response;
    },
  };
}

// The customer waits on this function's cold start: its table and queue go over signed HTTP, without
// the AWS SDK, and its store holds only the record families intake reads and writes
// (docs/performance.md, "Form intake over signed HTTP" and "form-intake under 250 KB").
export const handler = createFormIntakeHandler(functionRuntime('form-intake', { table: httpIntakeTable, queue: httpNotificationQueue }));
