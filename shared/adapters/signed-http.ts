import { AwsV4Signer } from 'aws4fetch';

/**
 * A small client for AWS services that speak the JSON 1.0 protocol (DynamoDB, SQS): one POST per
 * call, signed with Signature Version 4 by aws4fetch, sent with the runtime's `fetch`. It exists
 * for form-intake, the function a customer waits on: the SDK's clients and `@smithy/core` were
 * about 245 KB of its bundle and most of its import CPU, for five kinds of request
 * (docs/performance.md, "Form intake over signed HTTP"). inbound-email's table and queue use it too,
 * and its mail bucket goes over S3's REST protocol on the same `sendSigned` (./s3-blob-store-http.ts).
 *
 * What it keeps of the SDK's behaviour:
 * - credentials and region from the Lambda environment (`AWS_ACCESS_KEY_ID`,
 *   `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`), the first provider of the SDK's
 *   chain and the one Lambda always sets; read on every call, so a test can change them;
 * - the standard retry policy: up to `maxAttempts` (3) for throttling, 5xx answers and network
 *   failures, with full-jitter exponential backoff (100 ms base, 500 ms for throttling);
 * - errors named by the service's error type (`__type`, e.g. `ConditionalCheckFailedException`),
 *   with `$fault`, `$metadata.httpStatusCode` and every field of the error body
 *   (`CancellationReasons`, `Item`), as the SDK's exceptions carry them.
 */

export interface SignedJsonOptions {
  /** The signing name: `dynamodb`, `sqs`. */
  service: string;
  /** The `X-Amz-Target` prefix: `DynamoDB_20120810`, `AmazonSQS`. */
  targetPrefix: string;
  /** A local endpoint (DynamoDB Local, a test server); otherwise the service's regional endpoint. */
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
  /** Injected by tests; the runtime's `fetch` otherwise. */
  fetch?: typeof fetch;
}

export interface SignedJsonClient {
  /** Sends `action` (`GetItem`, `SendMessageBatch`) with its JSON body and returns the parsed answer. */
  call(action: string, body: unknown): Promise<Record<string, unknown>>;
}

/** An error answer from the service, shaped like the SDK's exceptions. */
export class AwsServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number; requestId?: string; attempts: number };
  [field: string]: unknown;

  constructor(name: string, message: string, status: number, fields: Record<string, unknown>, requestId: string | undefined, attempts: number) {
    super(message);
    Object.assign(this, fields);
    this.name = name;
    this.$fault = status >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: status, requestId, attempts };
  }
}

/** The SDK's throttling and transient error names (`@smithy/service-error-classification`). */
const THROTTLING = new Set([
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
const TRANSIENT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);

function regionalEndpoint(service: string, region: string): string {
  return `https://${service}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`;
}

function credentialsFromEnvironment(): NonNullable<SignedJsonOptions['credentials']> {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: the signed-HTTP client takes its credentials from the Lambda environment');
  return { accessKeyId, secretAccessKey, sessionToken: process.env.AWS_SESSION_TOKEN || undefined };
}

/** `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` → `ConditionalCheckFailedException`. */
function errorName(type: unknown, status: number): string {
  const name = typeof type === 'string' ? type.slice(type.lastIndexOf('#') + 1).split(':')[0] : '';
  return name || (status >= 500 ? 'InternalServerError' : 'UnknownError');
}

async function errorFrom(response: Response, attempts: number): Promise<AwsServiceError> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { message: text.slice(0, 200) };
  }
  const { __type: type, message, Message, ...fields } = body;
  const name = errorName(type ?? response.headers.get('x-amzn-errortype'), response.status);
  const said = typeof message === 'string' ? message : typeof Message === 'string' ? Message : `${name} (HTTP ${response.status})`;
  return new AwsServiceError(name, said, response.status, fields, response.headers.get('x-amzn-requestid') ?? undefined, attempts);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The options every signed call needs; `SignedJsonOptions` and the S3 blob store extend them. */
export type SigningOptions = Pick<SignedJsonOptions, 'service' | 'region' | 'credentials' | 'maxAttempts' | 'fetch'>;

/** One request as sent: the body is signed as given (S3 puts its hash in `x-amz-content-sha256`). */
export interface SignedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** The region of a call: the option, else the Lambda environment's. */
export function signingRegion(options: Pick<SigningOptions, 'region' | 'service'>): string {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error(`AWS_REGION is not set: cannot reach ${options.service}`);
  return region;
}

/**
 * Sends one request, signed anew for each attempt, with the SDK's standard retries, and returns
 * what `read` makes of a 2xx answer. A failed read of the body (the connection cut mid-answer)
 * is retried like a failed request. Any other answer becomes the error `readError` shapes; it is
 * retried when it is throttling, transient or a 5xx.
 *
 * @example
 * const bytes = await sendSigned({ service: 's3' }, { url, method: 'GET', headers: {} }, (r) => r.arrayBuffer(), s3Error);
 */
export async function sendSigned<T>(
  options: SigningOptions,
  request: SignedRequest,
  read: (response: Response) => Promise<T>,
  readError: (response: Response, attempts: number) => Promise<AwsServiceError>,
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 3;
  const send = options.fetch ?? fetch;
  const region = signingRegion(options);
  for (let attempt = 1; ; attempt += 1) {
    // Signed anew for each attempt: the signature carries the time.
    const signed = await new AwsV4Signer({
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: request.body,
      service: options.service,
      region,
      ...(options.credentials ?? credentialsFromEnvironment()),
    }).sign();
    let retryable: boolean;
    let throttled = false;
    let failure: unknown;
    try {
      // `manual`: an S3 redirect (a bucket in another region) is an error to report, not to follow.
      const response = await send(signed.url, { method: signed.method, headers: signed.headers, body: request.body, redirect: 'manual' });
      if (response.ok) return await read(response);
      const error = await readError(response, attempt);
      throttled = THROTTLING.has(error.name) || response.status === 429;
      retryable = throttled || TRANSIENT.has(error.name) || TRANSIENT_STATUS.has(response.status);
      failure = error;
    } catch (error) {
      // fetch rejects with a TypeError only when no whole answer came (refused, reset, DNS, TLS,
      // cut mid-body): the SDK retries those too. An error `read` shapes is retried by its name.
      if (error instanceof AwsServiceError) {
        throttled = THROTTLING.has(error.name);
        retryable = throttled || TRANSIENT.has(error.name) || TRANSIENT_STATUS.has(error.$metadata.httpStatusCode);
      } else if (error instanceof TypeError) {
        retryable = true;
      } else {
        throw error;
      }
      failure = error;
    }
    if (!retryable || attempt >= maxAttempts) throw failure;
    await pause(Math.random() * Math.min(20_000, (throttled ? 500 : 100) * 2 ** (attempt - 1)));
  }
}

/**
 * A client for one JSON-protocol service.
 *
 * @example
 * const dynamodb = signedJsonClient({ service: 'dynamodb', targetPrefix: 'DynamoDB_20120810' });
 * const { Item } = await dynamodb.call('GetItem', { TableName: 'tickets', Key: { pk: { S: 'SEQ#20261202' }, sk: { S: 'SEQ' } } });
 */
export function signedJsonClient(options: SignedJsonOptions): SignedJsonClient {
  return {
    async call(action, body) {
      const url = options.endpoint ?? regionalEndpoint(options.service, signingRegion(options));
      const payload = JSON.stringify(body);
      const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${options.targetPrefix}.${action}` };
      return sendSigned(
        options,
        { url, method: 'POST', headers, body: payload },
        async (response) => {
          const text = await response.text();
          return text ? (JSON.parse(text) as Record<string, unknown>) : {};
        },
        errorFrom,
      );
    },
  };
}
