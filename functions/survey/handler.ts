import middy from '@middy/core';
import { randomUUID } from 'node:crypto';
import { awsRuntime } from '../../shared/adapters/aws-runtime.js';
import { secretsManagerLinkKeys } from '../../shared/adapters/link-keys.js';
import { sqsNotificationQueue } from '../../shared/adapters/sqs-queue.js';
import { describeDueTime } from '../../shared/domain/sla.js';
import type { Language } from '../../shared/domain/ticket.js';
import { header, htmlPage, json, method, type HttpEvent, type HttpResult } from '../../shared/http/events.js';
import { createLogger } from '../../shared/adapters/logger.js';
import { throughFrontDoor } from '../../shared/http/front-door.js';
import { pageLanguage, parsePostBody, problemJsonOnError } from '../../shared/http/middlewares.js';
import { renderStatusPage } from '../../shared/http/pages/status-page.js';
import { renderLinkProblemPage, renderSurveyPage, renderSurveyThanksPage, type LinkProblem } from '../../shared/http/pages/survey-page.js';
import { statusLabel, typeLabel } from '../../shared/templates/index.js';
import { restatement } from '../../shared/services/channels/mail.js';
import type { Runtime } from '../../shared/services/context.js';
import { ConflictError, RateLimitedError, ValidationError } from '../../shared/services/errors.js';
import { statusPageFilesSince, UploadService } from '../../shared/services/uploads.js';
import { CUSTOMER_UPLOADS_PER_HOUR } from '../../shared/domain/uploads.js';
import { s3BlobStore } from '../../shared/adapters/s3-blob-store.js';
import { statusView, SurveyService, type LinkCheck } from '../../shared/services/survey.js';

const logger = createLogger('survey');

const PROBLEM_STATUS: Readonly<Record<LinkProblem, number>> = { invalid: 400, expired: 410, 'not-open': 409 };

/** The blob store's own refusals of a status-page file (S3's error codes), as the page words them. */
const STORE_REFUSALS: Readonly<Record<string, string>> = {
  EntityTooLarge: 'upload-too-large',
  EntityTooSmall: 'upload-empty',
  InvalidArgument: 'upload-missing',
  AccessDenied: 'upload-expired',
  MalformedPOSTRequest: 'upload-missing',
};

/** Which page a request is for, and its token: from API Gateway's path parameter or the raw path. */
function route(event: HttpEvent): { page: 'survey' | 'status'; token: string } | undefined {
  const match = /^\/(survey|status)\/([^/]+)\/?$/.exec(event.rawPath ?? '');
  const page = (match?.[1] ?? (event.routeKey?.includes('/status/') ? 'status' : event.routeKey?.includes('/survey/') ? 'survey' : undefined)) as 'survey' | 'status' | undefined;
  const token = event.pathParameters?.token ?? (match?.[2] ? decodedSegment(match[2]) : undefined);
  return page && token ? { page, token } : undefined;
}

/** A path segment decoded, or undefined for malformed percent-encoding (`%E0%A4%A`): an invalid link (400), not a 500. */
function decodedSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * `GET|POST /survey/{token}`: the survey confirmation page and the recording of an answer (a GET
 * never records: mail scanners follow links). `GET|POST /status/{token}`: the customer's status
 * page and the information they add there.
 */
export function createSurveyHandler(getRuntime: () => Promise<Runtime>) {
  return middy<HttpEvent, HttpResult>()
    .use(problemJsonOnError(logger))
    .use(throughFrontDoor())
    .use(parsePostBody(getRuntime))
    .use(pageLanguage(getRuntime))
    .handler(async (event) => {
      const runtime = await getRuntime();
      const { desk, calendar } = runtime.config;
      const service = new SurveyService(runtime);
      const problemPage = (problem: LinkProblem, language = event.pageLanguage ?? desk.defaultLanguage): HttpResult =>
        htmlPage(PROBLEM_STATUS[problem], renderLinkProblemPage(language, desk.name[language], problem));
      const when = (iso: string | undefined, language: Language): string | undefined => (iso ? describeDueTime(new Date(iso), language, calendar.timeZone) : undefined);

      const target = route(event);
      if (!target) return problemPage('invalid');
      const check: LinkCheck = await service.checkLink(target.token, target.page);
      if (!check.ok) {
        logger.info('link refused', { page: target.page, reason: check.reason });
        return problemPage(check.reason === 'expired' ? 'expired' : 'invalid');
      }
      const { ticket } = check.records;
      const language = ticket.language;
      const action = `/${target.page}/${target.token}`;
      const body = (event.parsedBody ?? {}) as Record<string, unknown>;
      const isPost = method(event) === 'POST';

      if (target.page === 'status') {
        const download = event.queryStringParameters?.file;
        if (!isPost && download !== undefined) {
          // A file of the conversation: a fresh link of a few minutes, never one kept in the page.
          const url = await service.customerFileLink(check.records, download);
          logger.info(url ? 'status-page file download' : 'status-page file not found', { ticketNo: ticket.ticketNo });
          return url ? { statusCode: 303, headers: { location: url, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }, body: '' } : problemPage('invalid', language);
        }
        let added = event.queryStringParameters?.added === '1';
        const fileAdded = event.queryStringParameters?.added === 'file';
        let errors: Array<{ field: string; message: string; code?: string }> | undefined;
        let text: string | undefined;
        const uploaded = event.queryStringParameters?.upload;
        let uploadLimited = false;
        if (!isPost && uploaded !== undefined) {
          // The blob store sent the customer back here after taking their file: it joins the ticket.
          try {
            await service.addCustomerFile(ticket.ticketNo, uploaded);
            return { statusCode: 303, headers: { location: `${action}?added=file`, 'cache-control': 'no-store' }, body: '' };
          } catch (error) {
            if (error instanceof RateLimitedError) {
              logger.info('status-page file over the hourly allowance', { ticketNo: ticket.ticketNo });
              uploadLimited = true;
            } else {
              if (!(error instanceof ValidationError)) throw error;
              logger.info('status-page file refused', { ticketNo: ticket.ticketNo, code: error.fields[0]?.code });
              errors = error.fields;
            }
          }
        }
        const storeRefusal = event.queryStringParameters?.refused;
        if (!isPost && storeRefusal !== undefined) {
          // The blob store refused the file before the desk saw it (the local runtime says which way; S3 cannot redirect on error).
          errors = [{ field: 'file', message: 'refused by the file store', code: STORE_REFUSALS[storeRefusal] ?? 'upload-failed' }];
        }
        if (isPost) {
          text = typeof body.text === 'string' ? body.text : '';
          try {
            await service.addCustomerInformation(ticket.ticketNo, text, typeof body.nonce === 'string' ? body.nonce : '');
            // Post/redirect/get: reloading the page does not post again.
            return { statusCode: 303, headers: { location: `${action}?added=1`, 'cache-control': 'no-store' }, body: '' };
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            errors = error.fields;
            added = false;
          }
        }
        const records = (isPost ? await runtime.store.getTicketRecords(ticket.ticketNo) : undefined) ?? check.records;
        // A view writes nothing: the form is signed without a count, and whether this link used its
        // hour's files is read from the messages the page shows anyway.
        uploadLimited ||= statusPageFilesSince(records.messages, runtime.clock.now()) >= CUSTOMER_UPLOADS_PER_HOUR;
        const upload = uploadLimited
          ? undefined
          : await new UploadService(runtime)
              .form(ticket.ticketNo, { kind: 'customer' }, undefined, `${desk.publicBaseUrl}${action}?upload={uploadId}`)
              .catch((error: unknown) => {
                // A deployment without uploads: no form.
                if (!(error instanceof ConflictError)) throw error;
                return undefined;
              });
        const view = statusView(records, runtime.config.survey.windowDays);
        const step = view.nextStep;
        const nextStep = 'at' in step && step.at ? { ...step, at: when(step.at, language) ?? step.at } : step;
        return htmlPage(
          errors ? 400 : uploaded !== undefined && uploadLimited ? 429 : 200,
          renderStatusPage({
            language,
            deskName: desk.name[language],
            ticketNo: ticket.ticketNo,
            // Only an address that proved it wrote the request sees its own words echoed by the desk.
            subject: ticket.contactVerified ? ticket.subject : restatement(typeLabel(ticket.type, language), language),
            statusLabel: statusLabel(ticket.status, language),
            nextStep,
            conversation: view.conversation.map((entry) => ({
              ...entry,
              at: when(entry.at, language) ?? entry.at,
              ...(entry.files ? { files: entry.files.map(({ download: file, ...shown }) => ({ ...shown, ...(file ? { href: `${action}?file=${encodeURIComponent(file)}` } : {}) })) } : {}),
            })),
            action,
            nonce: randomUUID(),
            added,
            fileAdded,
            ...(upload ? { upload: { url: upload.url, fields: upload.fields } } : {}),
            uploadLimited,
            ...(errors ? { errors, text } : {}),
          }),
        );
      }

      const state = service.surveyState(ticket);
      if (!state.open) return problemPage(state.closed ?? 'not-open', language);
      const windowEnds = when(state.windowEndsAt, language);
      const surveyPage = (status: number, extra: { selected?: number; comment?: string; errors?: Array<{ field: string; message: string }> }): HttpResult =>
        htmlPage(
          status,
          renderSurveyPage({
            language,
            deskName: desk.name[language],
            ticketNo: ticket.ticketNo,
            summary: ticket.contactVerified ? ticket.summary : restatement(typeLabel(ticket.type, language), language),
            action,
            ...(state.answered ? { previousScore: state.answered.score } : {}),
            ...(windowEnds ? { windowEnds } : {}),
            ...extra,
          }),
        );
      if (!isPost) return surveyPage(200, { selected: check.claims.score ?? state.answered?.score, comment: state.answered?.comment });

      const score = Number(body.score ?? check.claims.score);
      const comment = typeof body.comment === 'string' ? body.comment : undefined;
      let outcome;
      try {
        outcome = await service.recordFromLink(ticket.ticketNo, { score, ...(comment !== undefined ? { comment } : {}) });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return surveyPage(400, { selected: Number.isInteger(score) ? score : undefined, comment, errors: error.fields });
      }
      if (outcome.outcome === 'rejected') return problemPage(outcome.reason === 'outside-window' ? 'expired' : 'not-open', language);
      logger.info('survey answer', { ticketNo: ticket.ticketNo, outcome: outcome.outcome, score: outcome.score, lowScore: outcome.lowScore });
      if ((header(event, 'accept') ?? '').includes('application/json')) {
        return json(200, { ticketNo: ticket.ticketNo, outcome: outcome.outcome, score: outcome.score, lowScore: outcome.lowScore });
      }
      const followUpDue = when(outcome.qaFollowUpDueAt, language);
      return htmlPage(
        200,
        renderSurveyThanksPage({
          language,
          deskName: desk.name[language],
          ticketNo: ticket.ticketNo,
          score: outcome.score,
          outcome: outcome.outcome,
          ...(followUpDue ? { followUpDue } : {}),
          ...(windowEnds ? { windowEnds } : {}),
        }),
      );
    });
}


export const handler = createSurveyHandler(awsRuntime('survey', { queue: sqsNotificationQueue, linkKeys: secretsManagerLinkKeys, mailBlobs: s3BlobStore }));
