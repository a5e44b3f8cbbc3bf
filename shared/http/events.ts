import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Language } from '../domain/ticket.js';
import { STATUS_CODES, type ProblemField } from './errors.js';

export type HttpEvent = APIGatewayProxyEventV2 & {
  /** Set by the body parser: the decoded JSON or form fields. */
  parsedBody?: unknown;
  /** Set by the auth middleware. */
  principal?: unknown;
  /** Set by the page-language middleware: the language a customer page is shown in. */
  pageLanguage?: Language;
};
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

/** Headers every response carries: pages are never framed, sniffed or allowed to run foreign scripts. */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

export const method = (event: APIGatewayProxyEventV2): string => event.requestContext?.http?.method?.toUpperCase() ?? 'GET';

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

export function htmlPage(statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers },
    body,
  };
}

export function problem(statusCode: number, title: string, detail?: string, fields?: ProblemField[], type = 'about:blank', extension: { code?: string; params?: Record<string, string | number> } = {}): HttpResult {
  const code = extension.code ?? STATUS_CODES[statusCode];
  return {
    statusCode,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS },
    body: JSON.stringify({ type, title, status: statusCode, ...(code ? { code } : {}), ...(extension.params ? { params: extension.params } : {}), ...(detail ? { detail } : {}), ...(fields ? { errors: fields } : {}) }),
  };
}

/** True when a browser posted a plain HTML form and expects a page back, not JSON. */
export function wantsHtml(event: APIGatewayProxyEventV2): boolean {
  const accept = header(event, 'accept') ?? '';
  const contentType = header(event, 'content-type') ?? '';
  return accept.includes('text/html') || (contentType.startsWith('application/x-www-form-urlencoded') && !accept.includes('application/json'));
}
