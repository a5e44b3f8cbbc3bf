import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgentApiHandler } from '../../functions/agent-api/handler.js';
import { DEFAULT_AGENTS } from '../../shared/config/defaults.js';
import type { HttpResult } from '../../shared/http/events.js';
import { httpEvent, testContext } from '../support/http.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';

/*
 * Issue 19 item 5, as the deployed API sees it: API Gateway's Cognito authoriser has verified the
 * token and hands the function its claims. Which agent the claims name must depend only on the
 * Cognito `sub` recorded when the agent was provisioned, never on attributes a user can change.
 */

const ALICE_SUB = '5b1f0c7e-8f59-4d1c-9b7c-2d7b0c3a1a11';
const SAM_SUB = '0e4d3c2b-1a09-4f8e-8d7c-6b5a49382716';
const OFF_SUB = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const STRANGER_SUB = 'f0f0f0f0-0000-4000-8000-000000000000';

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await testRuntime({
    config: {
      agents: [
        { ...DEFAULT_AGENTS[0]!, sub: ALICE_SUB },
        { ...DEFAULT_AGENTS[4]!, sub: SAM_SUB },
        { id: 'olga', name: 'Olga', email: 'olga@support.example.com', team: 'general', roles: ['agent'], sub: OFF_SUB, disabled: true },
        // Provisioned before sub binding: no sub recorded, so no token can name it.
        { id: 'legacy', name: 'Legacy', email: 'legacy@support.example.com', team: 'general', roles: ['agent'] },
      ],
    },
  });
});

function withClaims(claims: Record<string, unknown>): APIGatewayProxyEventV2 {
  const event = httpEvent('GET', '/api/v1/me');
  (event.requestContext as unknown as { authorizer: unknown }).authorizer = { jwt: { claims, scopes: [] } };
  return event;
}

async function call(claims: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  // Deployed wiring: no localAuth, so only authoriser claims count.
  const response = (await createAgentApiHandler(async () => runtime)(withClaims(claims) as never, testContext)) as HttpResult;
  return { status: response.statusCode, body: JSON.parse(String(response.body ?? '{}')) as Record<string, unknown> };
}

describe('deployed agent API: identity is the recorded Cognito sub', () => {
  it('positive control: the recorded sub with its group is the agent', async () => {
    const answer = await call({ sub: ALICE_SUB, 'cognito:groups': '[agent]', token_use: 'access' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ name: 'Alice Wang', email: 'alice@support.example.com' });
  });

  it('refuses another user who changed their email to an agent’s (even marked verified)', async () => {
    const answer = await call({ sub: STRANGER_SUB, email: 'alice@support.example.com', email_verified: 'true', 'cognito:groups': '[agent]' });
    expect(answer.status).toBe(403);
  });

  it('refuses a custom attribute naming an agent', async () => {
    expect((await call({ sub: STRANGER_SUB, 'custom:agent_id': 'sam', 'cognito:groups': '[supervisor agent]' })).status).toBe(403);
  });

  it('gives no role to a token without groups (403), not every role the directory lists', async () => {
    expect((await call({ sub: SAM_SUB })).status).toBe(403);
    expect((await call({ sub: SAM_SUB, 'cognito:groups': '[]' })).status).toBe(403);
  });

  it('gives only the roles that are both in the token and in the directory', async () => {
    const answer = await call({ sub: ALICE_SUB, 'cognito:groups': '[agent admin supervisor]' });
    expect(answer.status).toBe(200);
    expect(answer.body.roles).toEqual(['agent']);
  });

  it('refuses a disabled agent', async () => {
    expect((await call({ sub: OFF_SUB, 'cognito:groups': '[agent]' })).status).toBe(403);
  });

  it('does not accept an agent id as a subject outside the local runtime', async () => {
    expect((await call({ sub: 'legacy', 'cognito:groups': '[agent]' })).status).toBe(403);
    expect((await call({ sub: 'alice', 'cognito:groups': '[agent]' })).status).toBe(403);
  });

  it('refuses claims without a subject', async () => {
    expect((await call({ 'cognito:groups': '[agent]', email: 'alice@support.example.com', email_verified: true })).status).toBe(403);
  });
});
