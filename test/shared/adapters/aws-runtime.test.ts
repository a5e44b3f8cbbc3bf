import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsRuntime } from '../../../shared/adapters/aws-runtime.js';
import { secretsManagerLinkKeys } from '../../../shared/adapters/link-keys.js';
import type { NotificationQueue } from '../../../shared/services/ports.js';

const secrets = mockClient(SecretsManagerClient);

describe('awsRuntime', () => {
  beforeEach(() => {
    vi.stubEnv('TABLE_NAME', 'tickets');
    vi.stubEnv('SURVEY_KEY_PARAMETER', 'arn:aws:secretsmanager:ap-east-1:1:secret:survey');
    vi.stubEnv('AWS_REGION', 'ap-east-1');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    secrets.reset();
  });

  describe('parts', () => {
    it('builds a part on first use and reuses it afterwards', async () => {
      const queue: NotificationQueue = { enqueue: async () => undefined };
      const makeQueue = vi.fn(() => queue);
      const runtime = await awsRuntime('form-intake', { queue: makeQueue })();
      expect(makeQueue).not.toHaveBeenCalled();
      expect(runtime.queue).toBe(queue);
      expect(runtime.queue).toBe(queue);
      expect(makeQueue).toHaveBeenCalledTimes(1);
    });

    it('names the function and the part when a function uses a part it was not built with', async () => {
      const runtime = await awsRuntime('ses-events')();
      expect(() => runtime.mailer).toThrow(/ses-events was built without a mailer/);
      expect(() => runtime.reportBlobs).toThrow(/ses-events was built without the report bucket/);
      expect(() => runtime.linkKeys()).toThrow(/ses-events was built without link keys/);
    });

    it('hands each bucket part the bucket the stack names', async () => {
      vi.stubEnv('MAIL_BUCKET', 'mail-bucket');
      vi.stubEnv('REPORT_BUCKET', 'report-bucket');
      const buckets: string[] = [];
      const blobs = (bucket: string) => (buckets.push(bucket), { put: async () => undefined, get: async () => undefined });
      const runtime = await awsRuntime('agent-api', { mailBlobs: blobs, reportBlobs: blobs })();
      void runtime.mailBlobs;
      void runtime.reportBlobs;
      expect(buckets).toEqual(['mail-bucket', 'report-bucket']);
      expect(runtime.mailBucketName).toBe('mail-bucket');
    });

    it('has no demo agents on AWS: only the agents the deployment configures', async () => {
      expect((await awsRuntime('agent-api')()).config.agents).toEqual([]);
      vi.stubEnv('DESK_CONFIG', JSON.stringify({ agents: [{ id: 'ann', name: 'Ann', email: 'ann@support.example.com', team: 'general', roles: ['admin'], sub: 'f1e2' }] }));
      expect((await awsRuntime('agent-api')()).config.agents.map((agent) => agent.id)).toEqual(['ann']);
    });

    it('is built once per cold start, not once per invocation', async () => {
      const getRuntime = awsRuntime('survey');
      expect(await getRuntime()).toBe(await getRuntime());
    });

    it('refuses to build the table adapter without TABLE_NAME', async () => {
      vi.stubEnv('TABLE_NAME', '');
      const runtime = await awsRuntime('survey')();
      expect(() => runtime.store).toThrow(/TABLE_NAME is not set/);
    });
  });

  describe('secretsManagerLinkKeys', () => {
    it('reads a plain secret as key k0, once within the cache time', async () => {
      secrets.on(GetSecretValueCommand).resolves({ SecretString: 'a-very-long-link-signing-key-0123456789' });
      const linkKeys = secretsManagerLinkKeys();
      expect(await linkKeys()).toEqual({ current: { kid: 'k0', key: 'a-very-long-link-signing-key-0123456789' } });
      await linkKeys();
      expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    });

    it('reads a rotated secret with its previous keys', async () => {
      const rotated = { current: { kid: 'k2', key: 'new-key' }, previous: [{ kid: 'k1', key: 'old-key' }] };
      secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(rotated) });
      expect(await secretsManagerLinkKeys()()).toEqual(rotated);
    });

    it('fetches again after a failed fetch instead of keeping the failure for the whole cold start', async () => {
      secrets.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: 'key-after-retry' });
      const linkKeys = secretsManagerLinkKeys();
      await expect(linkKeys()).rejects.toThrow('throttled');
      expect(await linkKeys()).toEqual({ current: { kid: 'k0', key: 'key-after-retry' } });
    });

    it('refuses an empty secret', async () => {
      secrets.on(GetSecretValueCommand).resolves({ SecretString: '  ' });
      await expect(secretsManagerLinkKeys()()).rejects.toThrow(/is empty/);
    });
  });
});
