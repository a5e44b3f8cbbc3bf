import type middy from '@middy/core';
import { errors as joseErrors, jwtVerify } from 'jose';
import type { DeskConfig } from '../config/load.js';
import { ROLES, type Role } from '../config/schema.js';
import type { Principal } from '../domain/authorization.js';
import { HttpError } from './errors.js';
import { header, type HttpEvent, type HttpResult } from './events.js';
import { LOCAL_TOKEN_ALGORITHM, LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER, secretKey } from './local-tokens.js';

/**
 * Who is calling the agent API. On AWS, API Gateway's Cognito JWT authorizer has verified the
 * token before the function runs, and its claims arrive in `requestContext.authorizer.jwt.claims`.
 * Locally the same middleware verifies a Bearer token itself with the local signing key, but only
 * when built with `localAuth`: without it, a request without authorizer claims is refused, so a
 * deployed function never trusts a token it did not see verified.
 *
 * The claims name an agent of the configuration (`custom:agent_id`, else `email`); roles come
 * from `cognito:groups`, limited to the roles the configuration gives that agent, and the team
 * from the configuration.
 */

export interface AuthOptions {
  /** Local verification; never set on AWS. */
  localAuth?: { secret: string };
}

export interface AgentPrincipal extends Principal {
  name: string;
  email: string;
}

export type Claims = Record<string, unknown>;

export class AuthenticationError extends HttpError {
  override name = 'AuthenticationError';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(401, 'Unauthorized', detail, undefined, options);
  }
}

/** Cognito sends groups as an array in the token but as a string like "[agent supervisor]" in HTTP API claims. */
export function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .map((group) => group.trim())
    .filter(Boolean);
}

/**
 * The principal of a set of verified claims, or undefined when they name no configured agent.
 *
 * @example
 * principalFromClaims({ 'custom:agent_id': 'alice', 'cognito:groups': ['agent'] }, config); // { agentId: 'alice', roles: ['agent'], team: 'technical', ... }
 */
export function principalFromClaims(claims: Claims, config: Pick<DeskConfig, 'agents'>): AgentPrincipal | undefined {
  const agentId = typeof claims['custom:agent_id'] === 'string' ? claims['custom:agent_id'] : undefined;
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined;
  const agent = config.agents.find((candidate) => (agentId !== undefined ? candidate.id === agentId : email !== undefined && candidate.email.toLowerCase() === email));
  if (!agent) return undefined;
  const groups = claims['cognito:groups'] === undefined ? [...agent.roles] : groupsOf(claims['cognito:groups']);
  const roles = groups.filter((group): group is Role => (ROLES as readonly string[]).includes(group) && agent.roles.includes(group as Role));
  return { agentId: agent.id, roles, team: agent.team, name: agent.name, email: agent.email };
}

async function verifyLocally(event: HttpEvent, secret: string): Promise<Claims> {
  const authorization = header(event, 'authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) throw new AuthenticationError('A Bearer token is required.');
  try {
    const { payload } = await jwtVerify(match[1], secretKey(secret), {
      issuer: LOCAL_TOKEN_ISSUER,
      audience: LOCAL_TOKEN_AUDIENCE,
      algorithms: [LOCAL_TOKEN_ALGORITHM],
    });
    return payload as Claims;
  } catch (cause) {
    const detail = cause instanceof joseErrors.JWTExpired ? 'The token has expired.' : 'The token is not valid.';
    throw new AuthenticationError(detail, { cause });
  }
}

function authorizerClaims(event: HttpEvent): Claims | undefined {
  const context = event.requestContext as unknown as { authorizer?: { jwt?: { claims?: Claims } } } | undefined;
  return context?.authorizer?.jwt?.claims;
}

/**
 * Middleware: sets `event.principal` or ends the request with 401 (no or bad token) or 403 (a
 * valid token for no configured agent, or with no role).
 */
export function authenticate(getConfig: () => Promise<Pick<DeskConfig, 'agents'>>, options: AuthOptions = {}): middy.MiddlewareObj<HttpEvent, HttpResult> {
  const authenticateBefore = async (request: middy.Request<HttpEvent, HttpResult>): Promise<void> => {
    const { event } = request;
    let claims = authorizerClaims(event);
    if (!claims) {
      if (!options.localAuth) throw new AuthenticationError('No verified identity came with the request.');
      claims = await verifyLocally(event, options.localAuth.secret);
    }
    const principal = principalFromClaims(claims, await getConfig());
    if (!principal) throw new HttpError(403, 'Forbidden', 'The token names no agent of this desk.');
    if (principal.roles.length === 0) throw new HttpError(403, 'Forbidden', 'The token carries no role of this desk.');
    event.principal = principal;
  };
  return { before: authenticateBefore };
}

/** The principal the middleware set; a handler reached without one is a wiring bug. */
export function principalOf(event: HttpEvent): AgentPrincipal {
  if (!event.principal) throw new AuthenticationError('No verified identity came with the request.');
  return event.principal as AgentPrincipal;
}
