/** How this deployment signs people in: the local runtime's sign-in, or Cognito's hosted UI. */
export type AuthConfig = 'local' | { cognitoDomain: string; clientId: string; redirectUri: string };

export interface ConsoleConfig {
  /** Prefix for API calls; empty when the API is served from the same origin. */
  apiBaseUrl: string;
  auth: AuthConfig;
}

export class ConsoleConfigError extends Error {
  override name = 'ConsoleConfigError';
  constructor(
    message: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Reads config.json next to index.html, so one build serves the local desk and every AWS deployment. */
export async function loadConsoleConfig(base = import.meta.env.BASE_URL): Promise<ConsoleConfig> {
  let raw: unknown;
  try {
    const response = await fetch(`${base}config.json`, { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    raw = await response.json();
  } catch (cause) {
    throw new ConsoleConfigError('config.json could not be read', String(cause), { cause });
  }
  return parseConsoleConfig(raw);
}

export function parseConsoleConfig(raw: unknown): ConsoleConfig {
  if (typeof raw !== 'object' || raw === null) throw new ConsoleConfigError('config.json is not an object', JSON.stringify(raw));
  const value = raw as { apiBaseUrl?: unknown; auth?: unknown };
  const apiBaseUrl = typeof value.apiBaseUrl === 'string' ? value.apiBaseUrl.replace(/\/+$/, '') : '';
  const auth = value.auth;
  if (auth === 'local' || auth === undefined) return { apiBaseUrl, auth: 'local' };
  if (typeof auth === 'object' && auth !== null) {
    const { cognitoDomain, clientId, redirectUri } = auth as Record<string, unknown>;
    if (typeof cognitoDomain === 'string' && typeof clientId === 'string' && typeof redirectUri === 'string') {
      return { apiBaseUrl, auth: { cognitoDomain: cognitoDomain.replace(/\/+$/, ''), clientId, redirectUri } };
    }
  }
  throw new ConsoleConfigError('config.json: auth must be "local" or { cognitoDomain, clientId, redirectUri }', JSON.stringify(auth));
}
