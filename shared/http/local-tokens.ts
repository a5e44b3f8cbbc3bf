import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SignJWT } from 'jose';
import type { AgentConfig } from '../config/schema.js';

/**
 * Tokens for the local runtime: HS256 JWTs shaped like Cognito access tokens (`sub` = the agent id,
 * `cognito:groups`), so the agent API's auth middleware reads local and
 * deployed tokens the same way. Only a handler built with `localAuth` accepts them; the deployed
 * function never verifies tokens itself (API Gateway's Cognito authorizer does).
 */

export const LOCAL_TOKEN_ISSUER = 'ticketline-local';
export const LOCAL_TOKEN_AUDIENCE = 'ticketline-agent-api';
export const LOCAL_TOKEN_ALGORITHM = 'HS256';
const DEFAULT_LIFETIME_SECONDS = 8 * 3600;
/** The longest a local token may live: the agent API refuses one without `exp`/`iat`, issued longer ago, or for longer. */
export const LOCAL_TOKEN_MAX_LIFETIME_SECONDS = 24 * 3600;

export interface LocalTokenOptions {
  /** Issue time; tests use a past one for an expired token. */
  now?: Date;
  lifetimeSeconds?: number;
}

export const secretKey = (secret: string): Uint8Array => new TextEncoder().encode(secret);

/**
 * Signs a token for a configured agent.
 *
 * @example
 * const token = await issueLocalToken(config.agents.find((a) => a.id === 'alice')!, secret);
 * fetch('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
 */
export async function issueLocalToken(agent: AgentConfig, secret: string, options: LocalTokenOptions = {}): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ 'cognito:groups': [...agent.roles], name: agent.name })
    .setProtectedHeader({ alg: LOCAL_TOKEN_ALGORITHM, typ: 'JWT' })
    .setSubject(agent.id)
    .setIssuer(LOCAL_TOKEN_ISSUER)
    .setAudience(LOCAL_TOKEN_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS))
    .sign(secretKey(secret));
}

/**
 * The local signing secret: `LOCAL_JWT_SECRET` when set, else `<dataDir>/jwt-secret` (created on
 * first use with 32 random bytes, the same file the local runtime reads).
 */
export function localJwtSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.LOCAL_JWT_SECRET ?? env.TICKETLINE_LOCAL_JWT_SECRET;
  if (fromEnv) return fromEnv;
  const path = join(dataDir, 'jwt-secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}
