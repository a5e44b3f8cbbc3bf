import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { FRONT_DOOR_HEADER, throughFrontDoor } from '../../../shared/http/front-door.js';
import type { HttpEvent, HttpResult } from '../../../shared/http/events.js';
import { problemJsonOnError } from '../../../shared/http/middlewares.js';
import { httpEvent } from '../../support/http.js';
import { lambdaContext } from '../../support/tickets.js';

/** Issue 13 item 1: requests to the HTTP API's own execute-api address (around WAF) are refused. */

const SECRET = 'Zq3v8N1xP0rT6yW2aB5cD7eF9gH4jK1mL3nQ5sU7vX9zA2bC';

function handlerWith(secret: string | undefined) {
  const seen: Array<Record<string, string | undefined>> = [];
  const handler = middy<HttpEvent, HttpResult>()
    .use(problemJsonOnError())
    .use(throughFrontDoor(secret))
    .handler(async (event) => {
      seen.push({ ...event.headers });
      return { statusCode: 200, headers: {}, body: 'ok' };
    });
  const call = async (headers: Record<string, string>) => (await handler(httpEvent('POST', '/tickets', { headers }) as never, lambdaContext)) as HttpResult;
  return { call, seen };
}

describe('throughFrontDoor', () => {
  it('lets a request with the front door’s header through, and removes the header before the handler sees it', async () => {
    const { call, seen } = handlerWith(SECRET);
    expect((await call({ [FRONT_DOOR_HEADER]: SECRET, 'content-type': 'application/json' })).statusCode).toBe(200);
    expect((await call({ 'X-Ticketline-Origin': SECRET })).statusCode).toBe(200);
    expect(seen.map((headers) => Object.keys(headers).map((name) => name.toLowerCase()))).toEqual([['content-type'], []]);
  });

  it('refuses a request without the header, with a wrong one, or a prefix of the right one, as problem+json 403', async () => {
    const { call, seen } = handlerWith(SECRET);
    const attempts: Array<Record<string, string>> = [{}, { [FRONT_DOOR_HEADER]: 'guess' }, { [FRONT_DOOR_HEADER]: SECRET.slice(0, 47) }, { [FRONT_DOOR_HEADER]: `${SECRET} ` }, { [FRONT_DOOR_HEADER]: '' }];
    for (const headers of attempts) {
      const response = await call(headers);
      expect(response.statusCode).toBe(403);
      expect(response.headers?.['content-type']).toContain('application/problem+json');
      expect(JSON.parse(String(response.body))).toMatchObject({ status: 403, code: 'not-through-front-door' });
    }
    expect(seen).toEqual([]);
  });

  it('checks nothing where no secret is set (the local runtime, which has no front door)', async () => {
    const { call } = handlerWith(undefined);
    expect((await call({})).statusCode).toBe(200);
  });
});
