import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { LinkKeys } from '../services/context.js';
import { requiredEnvironment } from './environment.js';

/**
 * The link-signing keys live in one Secrets Manager secret. A generated secret holds just the key
 * (kid "k0"); after a rotation it holds JSON `{ "current": {kid,key}, "previous": [...] }` so links
 * already mailed keep working (docs/operations.md, "Rotating the survey key").
 */
export async function loadLinkKeys(client: SecretsManagerClient, secretId: string): Promise<LinkKeys> {
  const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const value = (result.SecretString ?? '').trim();
  if (!value) throw new Error(`secret ${secretId} is empty`);
  if (!value.startsWith('{')) return { current: { kid: 'k0', key: value } };
  const parsed = JSON.parse(value) as LinkKeys;
  if (!parsed.current?.kid || !parsed.current.key) throw new Error(`secret ${secretId} holds no current link key`);
  return parsed;
}

/** The keys of the secret the stack names in SURVEY_KEY_PARAMETER, fetched once per cold start (an `awsRuntime` part). */
export function secretsManagerLinkKeys(): () => Promise<LinkKeys> {
  let keys: Promise<LinkKeys> | undefined;
  return () => {
    keys ??= loadLinkKeys(new SecretsManagerClient({}), requiredEnvironment('SURVEY_KEY_PARAMETER')).catch((error: unknown) => {
      keys = undefined; // a failed fetch is retried by the next invocation, not cached
      throw error;
    });
    return keys;
  };
}
