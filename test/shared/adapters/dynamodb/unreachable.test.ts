import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createDocumentClient, createDynamoDbClient } from '../../../../shared/adapters/aws-clients.js';
import { isUnreachable } from '../../../../shared/adapters/dynamodb/errors.js';
import { DynamoStore } from '../../../../shared/adapters/dynamo-store.js';
import { TransientError } from '../../../../shared/services/errors.js';

/** A port on loopback that nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('an unreachable database', () => {
  it('reaches services as TransientError (answered 503 and retried), not as a raw socket error', async () => {
    const client = createDynamoDbClient({ endpoint: `http://127.0.0.1:${await closedPort()}`, maxAttempts: 1 });
    const store = new DynamoStore(createDocumentClient(client), { tableName: 'absent', timeZone: 'Asia/Shanghai' });
    await expect(store.isSuppressed('amy@example.com', new Date('2026-12-01T00:00:00Z'))).rejects.toBeInstanceOf(TransientError);
  });

  it('tells connection failures from errors of the request itself', () => {
    expect(isUnreachable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isUnreachable(new Error('outer', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }))).toBe(true);
    expect(isUnreachable(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }))).toBe(false);
    expect(isUnreachable(Object.assign(new Error('One or more parameter values were invalid'), { name: 'ValidationException' }))).toBe(false);
  });
});
