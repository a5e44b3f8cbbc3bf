import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { LinkKeys } from '../services/context.js';
import { requiredEnvironment } from './environment.js';

/**
 * The link-signing keys live in one Secrets Manager secret. A generated secret holds just the key
 * (kid "k0"); after a rotation it holds JSON `{ "current": {kid,key}, "previous": [...] }` so links
 * already mailed keep working (docs/operations.md, "Rotating the survey key").
 */
async function loadLinkKeys(client: SecretsManagerClient, secretId: string): Promise<LinkKeys> {
  const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const value = (result.SecretString ?? '').trim();
  if (!value) throw new Error(`secret ${secretId} is empty`);
  if (!value.startsWith('{')) return { current: { kid: 'k0', key: value } };
  const parsed = JSON.parse(value) as LinkKeys;
  if (!parsed.current?.kid || !parsed.current.key) throw new Error(`secret ${secretId} holds no current link key`);
  return parsed;
}

/** How long fetched link keys are used before the secret is read again: a rotation reaches every warm container within this. */
export const LINK_KEY_CACHE_SECONDS = 300;

export interface LinkKeyCacheOptions {
  /** Seconds to keep the keys (default `LINK_KEY_CACHE_SECONDS`, or env `LINK_KEY_CACHE_SECONDS`). */
  ttlSeconds?: number;
  /** Milliseconds now (tests). */
  now?: () => number;
  /** Fetches the keys (tests); default: the secret named in SURVEY_KEY_PARAMETER. */
  load?: () => Promise<LinkKeys>;
}

/**
 * The keys of the secret the stack names in SURVEY_KEY_PARAMETER, read again every few minutes
 * (not once per container: a rotated key would otherwise reach a warm container only when it is
 * recycled). One fetch at a time; a failed refresh keeps serving the keys it has, and the next
 * call tries again; with no keys yet, the failure is the caller's (and not cached).
 */
export function secretsManagerLinkKeys(options: LinkKeyCacheOptions = {}): () => Promise<LinkKeys> {
  const ttlMs = (options.ttlSeconds ?? (Number(process.env.LINK_KEY_CACHE_SECONDS) || LINK_KEY_CACHE_SECONDS)) * 1000;
  const now = options.now ?? Date.now;
  const load = options.load ?? (() => loadLinkKeys(new SecretsManagerClient({}), requiredEnvironment('SURVEY_KEY_PARAMETER')));
  let cached: { keys: LinkKeys; fetchedAt: number } | undefined;
  let inFlight: Promise<LinkKeys> | undefined;
  return () => {
    if (cached && now() - cached.fetchedAt < ttlMs) return Promise.resolve(cached.keys);
    inFlight ??= load()
      .then((keys) => {
        cached = { keys, fetchedAt: now() };
        return keys;
      })
      .catch((error: unknown) => {
        if (cached) return cached.keys;
        throw error;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
