import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { isLanguage, languageFromAcceptLanguage } from '../domain/language.js';
import { toHttpError, HttpError } from './errors.js';
import type { Runtime } from '../services/context.js';
import { RateLimitedError } from '../services/errors.js';
import { header, method, problem, type HttpEvent, type HttpResult } from './events.js';

type HttpRequest = middy.Request<HttpEvent, HttpResult, Error, Context>;

/** What a 503 asks the client to wait before retrying (seconds). */
export const RETRY_AFTER_SECONDS = 5;

export interface Logger {
  error(message: string, ...detail: Array<Record<string, unknown>>): void;
}

/**
 * Turns every error into `application/problem+json`. Errors the services did not mean to expose
 * become a bare 500 and are logged, never serialised into the body.
 */
export function problemJsonOnError(logger?: Logger): middy.MiddlewareObj<HttpEvent, HttpResult> {
  const problemJsonOnErrorHook = async (request: HttpRequest): Promise<HttpResult> => {
    const error = toHttpError(request.error);
    if (error.status >= 500) {
      logger?.error('request failed', { error: request.error?.name, message: request.error?.message, stack: request.error?.stack });
    }
    request.response = problem(error.status, error.title, error.detail, error.fields, error.type, { code: error.code, params: error.params });
    if (request.error instanceof RateLimitedError) request.response.headers = { ...request.response.headers, 'retry-after': String(request.error.retryAfterSeconds) };
    // A temporary refusal says when to come back; the client retries with the same Idempotency-Key.
    if (error.status === 503) request.response.headers = { ...request.response.headers, 'retry-after': String(RETRY_AFTER_SECONDS) };
    return request.response;
  };
  return { onError: problemJsonOnErrorHook };
}

export interface BodyParserOptions {
  maxBytes: number;
}

/**
 * Decodes the body (base64 from API Gateway), refuses oversized bodies with 413 before parsing,
 * and parses JSON or form-encoded fields into `event.parsedBody`.
 */
export function parseBody(options: BodyParserOptions): middy.MiddlewareObj<HttpEvent, HttpResult> {
  const parseBodyBefore = async (request: HttpRequest): Promise<void> => {
    const { event } = request;
    const raw = event.body ?? '';
    const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
    if (bytes.length > options.maxBytes) {
      throw new HttpError(413, 'Payload too large', `The request body may be at most ${options.maxBytes} bytes.`);
    }
    const [mediaType = '', ...parameters] = (header(event, 'content-type') ?? '').split(';');
    const contentType = mediaType.trim().toLowerCase();
    const isJson = contentType === 'application/json' || contentType.endsWith('+json');
    const isForm = contentType === 'application/x-www-form-urlencoded';
    if (!isJson && !isForm) throw new HttpError(415, 'Unsupported media type', 'Send application/json or application/x-www-form-urlencoded.');
    const charset = parameters.map((parameter) => parameter.trim().toLowerCase()).find((parameter) => parameter.startsWith('charset='))?.slice(8).replace(/"/g, '');
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
      throw new HttpError(415, 'Unsupported media type', 'Send the body in UTF-8.', undefined, { code: 'unsupported-charset' });
    }
    const text = strictUtf8(bytes);
    if (isJson) {
      try {
        event.parsedBody = text.length === 0 ? {} : JSON.parse(text);
      } catch (cause) {
        throw new HttpError(400, 'Malformed JSON', 'The request body is not valid JSON.', undefined, { cause, code: 'malformed-json' });
      }
    } else {
      event.parsedBody = parseFormFields(text);
    }
  };
  return { before: parseBodyBefore };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The body as text; bytes that are not UTF-8 are refused (400), never turned silently into U+FFFD. */
function strictUtf8(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch (cause) {
    throw new HttpError(400, 'Invalid encoding', 'The request body is not valid UTF-8.', undefined, { cause, code: 'invalid-encoding' });
  }
}

/**
 * Form fields (`application/x-www-form-urlencoded`), decoded strictly: a malformed escape (`%E0%A4%A`)
 * or an escape that is not UTF-8 (`%FF`) is a 400, where URLSearchParams would guess.
 */
function parseFormFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const [key, value] = at === -1 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    try {
      fields[decodeURIComponent(key.replace(/\+/g, ' '))] = decodeURIComponent(value.replace(/\+/g, ' '));
    } catch (cause) {
      throw new HttpError(400, 'Invalid encoding', 'The form body is not valid percent-encoded UTF-8.', undefined, { cause, code: 'invalid-encoding' });
    }
  }
  return fields;
}

/** `parseBody` for POST requests only, with the size limit from the desk's configuration. */
export function parsePostBody(getRuntime: () => Promise<Runtime<unknown>>): middy.MiddlewareObj<HttpEvent, HttpResult> {
  const parsePostBodyBefore = async (request: HttpRequest): Promise<void> => {
    if (method(request.event) !== 'POST') return;
    const runtime = await getRuntime();
    await parseBody({ maxBytes: runtime.config.intake.maxBodyBytes }).before?.(request);
  };
  return { before: parsePostBodyBefore };
}

/**
 * Chooses the language of a customer page into `event.pageLanguage`: the form's own `language`
 * field when it posted one, else `?lang=`, else the browser's Accept-Language, else the desk's
 * default. Goes after the body parser.
 */
export function pageLanguage(getRuntime: () => Promise<Runtime<unknown>>): middy.MiddlewareObj<HttpEvent, HttpResult> {
  const pageLanguageBefore = async (request: HttpRequest): Promise<void> => {
    const { event } = request;
    const posted = (event.parsedBody as { language?: unknown } | undefined)?.language;
    const requested = event.queryStringParameters?.lang;
    if (isLanguage(posted)) event.pageLanguage = posted;
    else if (isLanguage(requested)) event.pageLanguage = requested;
    else event.pageLanguage = languageFromAcceptLanguage(header(event, 'accept-language'), (await getRuntime()).config.desk.defaultLanguage);
  };
  return { before: pageLanguageBefore };
}
