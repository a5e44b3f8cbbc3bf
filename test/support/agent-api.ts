import { createAgentApiHandler } from '../../functions/agent-api/handler.js';
import type { AgentConfig } from '../../shared/config/schema.js';
import type { HttpResult } from '../../shared/http/events.js';
import { issueLocalToken } from '../../shared/http/local-tokens.js';
import type { Runtime } from '../../shared/services/context.js';
import { httpEvent, testContext } from './http.js';

/*
 * The agent API as a signed-in agent calls it, for tests: one local token, one request through
 * the handler the local runtime serves, the answer with its body parsed. Every agent-API test file
 * builds its calls on this instead of its own token, event and handler preamble.
 */

/** The local token key the agent-API tests sign with. */
export const TEST_SECRET = 'local-test-secret-0123456789abcdef0123456789';

/** An agent of the runtime's configuration by id, or an agent record of the caller's own (the token carries it). */
export type Caller = string | AgentConfig;

export interface AgentApiCall {
  body?: unknown;
  query?: Record<string, string>;
  /** The token's issue time (the runtime's clock, in tests that move it). */
  now?: Date;
  /** A token that is not the caller's (forged, expired), or none at all (`null`). */
  token?: string | null;
  secret?: string;
  /** The handler as deployed: no local token verification; identity only from the API Gateway authorizer's `claims`. */
  deployed?: boolean;
  /** The verified JWT claims API Gateway's Cognito authorizer hands over (implies `deployed`). */
  claims?: Record<string, unknown>;
}

export interface AgentApiAnswer {
  status: number;
  headers: Record<string, string>;
  /** The JSON body (`{}` when empty); undefined when the body is not JSON (an HTML report). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the route answers
  body: any;
  /** The handler's answer as it is. */
  result: HttpResult;
}

/** An agent with every role, in the general team: for admin routes where who asks is not the point. */
export function allRoles(agentId: string): AgentConfig {
  return { id: agentId, name: agentId, email: `${agentId}@x.example`, team: 'general', roles: ['agent', 'supervisor', 'qa', 'admin'], available: true } as AgentConfig;
}

/**
 * One request to the agent API as `who`, signed with a local token. `runtime` is the runtime, or
 * the getter the handler calls per request (a test that wants each request to read the directory
 * afresh).
 *
 * @example
 * const { status, body } = await callAgentApi(runtime, 'alice', 'POST', `/api/v1/tickets/${no}/reply`, { body: { text: 'Hello' } });
 */
export async function callAgentApi(runtime: Runtime | (() => Promise<Runtime>), who: Caller | undefined, method: string, path: string, options: AgentApiCall = {}): Promise<AgentApiAnswer> {
  const getRuntime = typeof runtime === 'function' ? runtime : async () => runtime;
  const secret = options.secret ?? TEST_SECRET;
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const token = options.token === undefined && who !== undefined && options.claims === undefined ? await issueLocalToken(await agentOf(getRuntime, who), secret, { now: options.now }) : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const event = httpEvent(method, path, { headers, query: options.query, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  if (options.claims) (event.requestContext as unknown as { authorizer: unknown }).authorizer = { jwt: { claims: options.claims, scopes: [] } };
  const deployed = options.deployed === true || options.claims !== undefined;
  const result = (await createAgentApiHandler(getRuntime, deployed ? {} : { localAuth: { secret } })(event as never, testContext)) as HttpResult;
  return { status: result.statusCode, headers: (result.headers ?? {}) as Record<string, string>, body: parsed(result), result };
}

async function agentOf(getRuntime: () => Promise<Runtime>, who: Caller): Promise<AgentConfig> {
  if (typeof who !== 'string') return who;
  const agent = (await getRuntime()).config.agents.find((candidate) => candidate.id === who);
  if (!agent) throw new Error(`no agent ${who}`);
  return agent;
}

function parsed(result: HttpResult): unknown {
  const text = String(result.body || '{}');
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
