import middy from '@middy/core';
import { HttpError } from './errors.js';
import { json, method, type HttpEvent, type HttpResult } from './events.js';
import { issueLocalToken } from './local-tokens.js';
import { createLogger } from '../adapters/logger.js';
import { parseBody, problemJsonOnError } from './middlewares.js';
import type { Runtime } from '../services/context.js';

const logger = createLogger('local-sign-in');

export interface LocalSignInOptions {
  /** The local runtime's JWT secret; without it there is no handler at all. */
  secret: string;
}

/**
 * The console's sign-in on the local desk: `GET /api/v1/local/agents` lists the configured agents
 * (id, name, team, roles: what a person needs to choose) and `POST /api/v1/local/sign-in`
 * `{ agentId }` returns `{ token }`, the same HS256 token `npm run token` prints. Only the local
 * runtime mounts it: a deployment signs people in through Cognito and never has the secret.
 *
 * @example
 * routes.push({ pattern: /^\/api\/v1\/local\//, handler: createLocalSignInHandler(getRuntime, { secret }) });
 */
export function createLocalSignInHandler(getRuntime: () => Promise<Runtime>, options: LocalSignInOptions) {
  return middy<HttpEvent, HttpResult>()
    .use(problemJsonOnError(logger))
    .use({
      before: async (request) => {
        if (method(request.event) === 'POST') await parseBody({ maxBytes: 4096 }).before?.(request);
      },
    })
    .handler(async (event) => {
      const { config } = await getRuntime();
      const path = event.rawPath.replace(/\/+$/, '');
      if (path === '/api/v1/local/agents' && method(event) === 'GET') {
        return json(200, { agents: config.agents.map(({ id, name, team, roles }) => ({ id, name, team, roles })) });
      }
      if (path === '/api/v1/local/sign-in' && method(event) === 'POST') {
        const agentId = (event.parsedBody as { agentId?: unknown } | undefined)?.agentId;
        if (typeof agentId !== 'string' || agentId === '') throw new HttpError(400, 'Invalid request', 'agentId is required.', [{ field: 'agentId', message: 'required' }]);
        const agent = config.agents.find((candidate) => candidate.id === agentId);
        if (!agent) throw new HttpError(404, 'Unknown agent', `No configured agent has the id "${agentId}".`, [{ field: 'agentId', message: 'unknown agent' }]);
        logger.info('local sign-in', { agentId: agent.id });
        return json(200, { token: await issueLocalToken(agent, options.secret), agent: { id: agent.id, name: agent.name, team: agent.team, roles: agent.roles } });
      }
      throw new HttpError(404, 'Not found', 'Local sign-in serves GET /api/v1/local/agents and POST /api/v1/local/sign-in.');
    });
}
