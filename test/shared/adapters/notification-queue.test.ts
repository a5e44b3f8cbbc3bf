import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { httpNotificationQueue } from '../../../shared/adapters/notification-queue.js';
import { sqsNotificationQueue } from '../../../shared/adapters/sqs-queue.js';
import { TransientError } from '../../../shared/services/errors.js';
import type { Notification } from '../../../shared/services/ports.js';

/**
 * form-intake queues its acknowledgements over signed HTTP, the rest of the desk through the SDK's
 * SQS client. A local endpoint that answers as SQS's JSON protocol does (there is no SQS Local)
 * receives both, so the two can be compared request for request.
 */

interface Received {
  target: string | undefined;
  contentType: string | undefined;
  authorization: string | undefined;
  body: { QueueUrl: string; Entries: Array<{ Id: string; MessageBody: string }> };
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const notice = (n: number): Notification => ({ id: `CS20261202001.reply.${n}`, kind: 'reply', ticketNo: 'CS20261202001' }) as unknown as Notification;

describe('the notification queue over signed HTTP', () => {
  let server: Server;
  let received: Received[];
  let answer: (body: Received['body']) => { status: number; json: unknown };

  beforeEach(async () => {
    received = [];
    answer = (body) => ({ status: 200, json: { Successful: body.Entries.map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: md5(entry.MessageBody) })), Failed: [] } });
    server = createServer(async (request: IncomingMessage, response) => {
      let text = '';
      for await (const chunk of request) text += String(chunk);
      const body = JSON.parse(text) as Received['body'];
      received.push({ target: request.headers['x-amz-target'] as string, contentType: request.headers['content-type'], authorization: request.headers.authorization, body });
      const { status, json } = answer(body);
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(json));
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    vi.stubEnv('NOTIFICATION_QUEUE_URL', `http://127.0.0.1:${port}/123456789012/notifications`);
    vi.stubEnv('AWS_REGION', 'ap-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends SendMessageBatch to the queue URL’s host, in batches of ten, as the SDK’s client does', async () => {
    const notices = Array.from({ length: 12 }, (_, n) => notice(n));
    await httpNotificationQueue().enqueue(notices);
    const lean = received.splice(0);
    // The SDK's client, pointed at the same endpoint, is the reference.
    await sqsNotificationQueue().enqueue(notices);
    const sdk = received.splice(0);

    expect(lean.map((request) => request.body.Entries.length)).toEqual([10, 2]);
    expect(lean.map((request) => request.body)).toEqual(sdk.map((request) => request.body));
    expect(lean[0]?.target).toBe('AmazonSQS.SendMessageBatch');
    expect(lean[0]?.target).toBe(sdk[0]?.target);
    expect(lean[0]?.contentType).toBe(sdk[0]?.contentType);
    expect(lean[0]?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-east-1\/sqs\/aws4_request, SignedHeaders=[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$/);
    expect(JSON.parse(lean[0]!.body.Entries[0]!.MessageBody)).toEqual(notices[0]);
  });

  it('reports entries SQS refused as TransientError, so the caller tries again', async () => {
    answer = (body) => ({ status: 200, json: { Successful: [], Failed: body.Entries.map((entry) => ({ Id: entry.Id, Code: 'InternalError', SenderFault: false })) } });
    await expect(httpNotificationQueue().enqueue([notice(1)])).rejects.toThrow(TransientError);
  });

  it('refuses an answer whose checksum does not match the body sent', async () => {
    answer = (body) => ({ status: 200, json: { Successful: body.Entries.map((entry) => ({ Id: entry.Id, MD5OfMessageBody: md5(`${entry.MessageBody} `) })) } });
    await expect(httpNotificationQueue().enqueue([notice(1)])).rejects.toThrow(/checksum/);
  });

  it('retries a server error and then reports TransientError; a refused request is reported as SQS named it', async () => {
    answer = () => ({ status: 500, json: { __type: 'com.amazonaws.sqs#InternalError', message: 'We encountered an internal error.' } });
    await expect(httpNotificationQueue().enqueue([notice(1)])).rejects.toThrow(TransientError);
    expect(received).toHaveLength(3);
    answer = () => ({ status: 400, json: { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' } });
    await expect(httpNotificationQueue().enqueue([notice(1)])).rejects.toMatchObject({ name: 'QueueDoesNotExist', $fault: 'client' });
    expect(received).toHaveLength(4);
  });
});
