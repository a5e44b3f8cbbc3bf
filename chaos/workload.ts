import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** Generated customer requests. Each carries a unique marker so its ticket can be found again. */

export interface FormRequestSpec {
  channel: 'form';
  marker: string;
  idempotencyKey: string;
  body: Record<string, string>;
  /** Whether an acknowledgement is owed (an e-mail address was given). */
  expectsAck: boolean;
}

export interface MailRequestSpec {
  channel: 'mail';
  marker: string;
  messageId: string;
  from: string;
  raw: Buffer;
  expectsAck: boolean;
}

export type RequestSpec = FormRequestSpec | MailRequestSpec;

const TEXTS = [
  '我无法登录账户，提示密码错误',
  '支付失败，订单无法完成，请尽快处理',
  'My delivery has not arrived, the tracking has not moved for a week',
  'I would like a refund for order 12345, the item was damaged',
  'The whole site is down, outage for every customer since 10:00',
  '物流一直没有更新，请帮忙查一下',
  'How do I change the e-mail address on my account?',
  '退款什么时候到账？',
];

export const markerPattern = /CHAOS-\d+-\d+/;

export function markerOf(seed: number, index: number): string {
  return `CHAOS-${seed}-${String(index).padStart(6, '0')}`;
}

/**
 * The workload: `count` requests, `mailShare` of them mail, in a fixed order for a seed. A tenth
 * of form requests give only a phone number (no acknowledgement is owed to them).
 */
export function generateRequests(count: number, seed: number, mailShare: number, supportAddress: string, pick: () => number): RequestSpec[] {
  const requests: RequestSpec[] = [];
  for (let index = 0; index < count; index += 1) {
    const marker = markerOf(seed, index);
    const text = TEXTS[Math.floor(pick() * TEXTS.length)] as string;
    const email = `customer-${seed}-${index}@customer.example`;
    if (pick() < mailShare) {
      const messageId = `${marker.toLowerCase()}@customer.example`;
      const raw = Buffer.from(
        [
          `From: Customer ${index} <${email}>`,
          `To: <${supportAddress}>`,
          `Subject: ${marker} ${text.slice(0, 30)}`,
          `Message-ID: <${messageId}>`,
          'Date: Sat, 25 May 2024 10:00:00 +0800',
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: 8bit',
          '',
          `${marker} ${text}`,
          '',
        ].join('\r\n'),
        'utf8',
      );
      requests.push({ channel: 'mail', marker, messageId, from: email, raw, expectsAck: true });
    } else {
      const phoneOnly = pick() < 0.1;
      const body: Record<string, string> = { description: `${marker} ${text}`, subject: marker, name: `客户 ${index}` };
      if (phoneOnly) body.phone = `1380013${String(index % 10_000).padStart(4, '0')}`;
      else body.email = email;
      requests.push({ channel: 'form', marker, idempotencyKey: `chaos-${seed}-${index}`, body, expectsAck: !phoneOnly });
    }
  }
  return requests;
}

/** An API Gateway HTTP API (payload 2.0) event, as the form handler receives it. */
export function httpEvent(method: string, path: string, body?: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    body,
    isBase64Encoded: false,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'chaos' },
      requestId: 'chaos',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
    },
  } as APIGatewayProxyEventV2;
}

/** A Lambda context; `remaining` is the invocation's time left (virtual in the chaos run). */
export const lambdaContext = (name: string, remaining: () => number = () => 30_000): Context =>
  ({ awsRequestId: `chaos-${name}`, functionName: name, getRemainingTimeInMillis: remaining }) as unknown as Context;

/** The S3 event notification SES/S3 put on the inbound queue for one stored mail. */
export function s3EventBody(bucket: string, key: string, size: number, at: string): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'local',
        eventTime: at,
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: bucket }, object: { key, size } },
      },
    ],
  });
}
