import type middy from '@middy/core';
import { errors as joseErrors, jwtVerify } from 'jose';
import type { DeskConfig } from '../config/load.js';
import { ROLES, type Role } from '../config/schema.js';
import type { AgentPrincipal } from '../domain/authorization.js';

/** The principal `principalOf` hands to handlers (declared in the domain, where `can` checks it). */
export type { AgentPrincipal };
import { HttpError } from './errors.js';
import { header, type HttpEvent, type HttpResult } from './events.js';
import { LOCAL_TOKEN_ALGORITHM, LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER, LOCAL_TOKEN_MAX_LIFETIME_SECONDS, secretKey } from './local-tokens.js';

/**
 * Who is calling the agent API. On AWS, API Gateway's Cognito JWT authorizer has verified the
 * token before the function runs, and its claims arrive in `requestContext.authorizer.jwt.claims`.
 * Locally the same middleware verifies a Bearer token itself with the local signing key, but only
 * when built with `localAuth`: without it, a request without authorizer claims is refused, so a
 * deployed function never trusts a token it did not see verified.
 *
 * Identity is bound to what a user cannot change: the token's `sub` must be the Cognito subject
 * recorded on the agent when they were provisioned. Email and custom attributes are never used to
 * find the agent (a writable attribute would let a user become someone else). Roles are the
 * token's `cognito:groups` limited to the agent's roles: no groups, no roles. Local tokens (only
 * verified with `localAuth`) name configured agents by id, as their `sub`.
 */

export interface AuthOptions {
  /** Local verification; never set on AWS. */
  localAuth?: { secret: string };
}

export type Claims = Record<string, unknown>;

class AuthenticationError extends HttpError {
  override name = 'AuthenticationError';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(401, 'Unauthorized', detail, undefined, options);
  }
}

/** Cognito sends groups as an array in the token but as a string like "[agent supervisor]" in HTTP API claims. */
function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .map((group) => group.trim())
    .filter(Boolean);
}

/**
 * The principal of a set of verified claims, or undefined when they name no agent of the desk.
 * `localSubjects` (local runtime only) also accepts an agent's id as its subject.
 *
 * @example
 * principalFromClaims({ sub: '7f6c…', 'cognito:groups': ['agent'] }, config); // { agentId: 'alice', roles: ['agent'], ... }
 */
function principalFromClaims(claims: Claims, config: Pick<DeskConfig, 'agents'>, options: { localSubjects?: boolean } = {}): AgentPrincipal | undefined {
  const subject = typeof claims.sub === 'string' && claims.sub.length > 0 ? claims.sub : undefined;
  if (!subject) return undefined;
  const agent =
    config.agents.find((candidate) => candidate.sub !== undefined && candidate.sub === subject) ??
    (options.localSubjects ? config.agents.find((candidate) => candidate.sub === undefined && candidate.id === subject) : undefined);
  if (!agent || agent.disabled) return undefined;
  const groups = groupsOf(claims['cognito:groups']);
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
      // A token without an expiry would be good for ever: refused, as is one issued for longer than a working day.
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: LOCAL_TOKEN_MAX_LIFETIME_SECONDS,
    });
    // An expiry further than a working day past issue is a token nobody should hold: minted by hand.
    if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number' || payload.exp - payload.iat > LOCAL_TOKEN_MAX_LIFETIME_SECONDS) {
      throw new AuthenticationError('The token is not valid.');
    }
    return payload as Claims;
  } catch (cause) {
    if (cause instanceof AuthenticationError) throw cause;
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
    const principal = principalFromClaims(claims, await getConfig(), { localSubjects: options.localAuth !== undefined });
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
