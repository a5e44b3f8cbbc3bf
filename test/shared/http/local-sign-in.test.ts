import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.js';
import { createLocalSignInHandler } from '../../../shared/http/local-sign-in.js';
import { LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER, secretKey } from '../../../shared/http/local-tokens.js';
import type { Runtime } from '../../../shared/services/context.js';

const SECRET = 'a-test-secret-of-enough-length-for-hs256';
const config = parseConfig({});
const handler = createLocalSignInHandler(async () => ({ config }) as Runtime, { secret: SECRET });
const context = { functionName: 'local-sign-in', awsRequestId: 'test' } as Context;

function event(httpMethod: string, path: string, body?: unknown): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${httpMethod} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { http: { method: httpMethod, path } },
  } as APIGatewayProxyEventV2;
}

async function call(httpMethod: string, path: string, body?: unknown) {
  const result = (await handler(event(httpMethod, path, body), context)) as { statusCode: number; body: string };
  return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
}

describe('local sign-in', () => {
  it('lists the configured agents with what a person needs to choose, and nothing more', async () => {
    const { status, body } = await call('GET', '/api/v1/local/agents');
    expect(status).toBe(200);
    expect(body.agents).toEqual(config.agents.map(({ id, name, team, roles }) => ({ id, name, team, roles })));
  });

  it('issues a token the local verifier accepts, naming the agent and its roles', async () => {
    const { status, body } = await call('POST', '/api/v1/local/sign-in', { agentId: 'sam' });
    expect(status).toBe(200);
    const { payload } = await jwtVerify(String(body.token), secretKey(SECRET), { issuer: LOCAL_TOKEN_ISSUER, audience: LOCAL_TOKEN_AUDIENCE });
    expect(payload.sub).toBe('sam');
    expect(payload['cognito:groups']).toEqual(['agent', 'supervisor']);
  });

  it('refuses an agent that is not configured', async () => {
    const { status, body } = await call('POST', '/api/v1/local/sign-in', { agentId: 'mallory' });
    expect(status).toBe(404);
    expect(body.errors).toEqual([{ field: 'agentId', message: 'unknown agent' }]);
  });

  it('refuses a sign-in without an agent id', async () => {
    const { status } = await call('POST', '/api/v1/local/sign-in', {});
    expect(status).toBe(400);
  });

  it('answers 404 for any other path under /api/v1/local', async () => {
    const { status } = await call('GET', '/api/v1/local/secret');
    expect(status).toBe(404);
  });
});
