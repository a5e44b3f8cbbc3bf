import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { deskSettingsOf } from '../../../shared/config/desk-settings.js';
import { defaultConfig } from '../../../shared/config/load.js';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsRuntime } from '../../../shared/adapters/aws-runtime.js';
import { secretsManagerLinkKeys } from '../../../shared/adapters/link-keys.js';
import type { NotificationQueue } from '../../../shared/services/ports.js';

const secrets = mockClient(SecretsManagerClient);
// The directory read every runtime makes (no real AWS: the table answers from this mock).
const table = mockClient(DynamoDBDocumentClient);
const directoryItem = (id: string, extra: Record<string, unknown> = {}) => ({
  pk: 'DIRECTORY', sk: `AGENT#${id}`, entity: 'directory-agent', id, name: id, email: `${id}@support.example.com`, team: 'general', roles: ['agent'], available: true, version: 1, updatedAt: '2026-12-01T00:00:00.000Z', updatedBy: 'root', ...extra,
});

// The stubs sit on the client classes themselves: take them off for whatever runs after this file in the same process.
afterAll(() => {
  secrets.restore();
  table.restore();
});

describe('awsRuntime', () => {
  beforeEach(() => {
    vi.stubEnv('TABLE_NAME', 'tickets');
    vi.stubEnv('SURVEY_KEY_PARAMETER', 'arn:aws:secretsmanager:ap-east-1:1:secret:survey');
    vi.stubEnv('AWS_REGION', 'ap-east-1');
    table.on(QueryCommand).resolves({ Items: [] });
    // No desk settings saved: the configuration's are in force.
    table.on(GetCommand).resolves({});
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    secrets.reset();
    table.reset();
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

    it('has no demo agents on AWS: only the enabled agents of the directory in the table', async () => {
      expect((await awsRuntime('agent-api')()).config.agents).toEqual([]);
      // Agents in the environment are ignored (the synth refuses them; they belong in the table).
      vi.stubEnv('DESK_CONFIG', JSON.stringify({ agents: [{ id: 'ann', name: 'Ann', email: 'ann@support.example.com', team: 'general', roles: ['admin'], sub: 'f1e2' }] }));
      expect((await awsRuntime('agent-api')()).config.agents).toEqual([]);
      table.on(QueryCommand).resolves({ Items: [directoryItem('ann', { sub: 'f1e2', roles: ['admin'] }), directoryItem('bea', { disabled: true })] });
      const agents = (await awsRuntime('agent-api')()).config.agents;
      expect(agents.map((agent) => agent.id)).toEqual(['ann']);
      expect(agents[0]).toEqual({ id: 'ann', name: 'ann', email: 'ann@support.example.com', team: 'general', roles: ['admin'], available: true, sub: 'f1e2' });
    });

    it('reads the directory at the first invocation and again only after 30 s; a failed re-read keeps the last one', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        table.on(QueryCommand).resolves({ Items: [directoryItem('ann')] });
        const getRuntime = awsRuntime('notifier');
        await getRuntime();
        await getRuntime();
        expect(table.commandCalls(QueryCommand)).toHaveLength(1);
        expect(table.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({ TableName: 'tickets', ExpressionAttributeValues: { ':pk': 'DIRECTORY' } });
        // The table answers after a moment, as over a network: the background read is still in flight when the call returns.
        table.on(QueryCommand).callsFake(async () => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return { Items: [directoryItem('ann'), directoryItem('bob')] };
        });
        vi.setSystemTime(Date.now() + 31_000);
        // A stale directory is read again in the background: this call still has the old one.
        const runtime = await getRuntime();
        expect(runtime.config.agents.map((agent) => agent.id)).toEqual(['ann']);
        await vi.waitFor(() => expect(runtime.config.agents.map((agent) => agent.id)).toEqual(['ann', 'bob']), { timeout: 30_000 });
        expect(table.commandCalls(QueryCommand)).toHaveLength(2);
        table.on(QueryCommand).rejects(Object.assign(new Error('unreachable'), { name: 'ValidationException' }));
        vi.setSystemTime(Date.now() + 31_000);
        await getRuntime();
        await vi.waitFor(() => expect(table.commandCalls(QueryCommand)).toHaveLength(3), { timeout: 30_000 });
        expect((await getRuntime()).config.agents.map((agent) => agent.id)).toEqual(['ann', 'bob']);
      } finally {
        vi.useRealTimers();
      }
    });

    it('applies the desk settings saved in the table over the configuration, and keeps the configuration while none are saved', async () => {
      expect((await awsRuntime('form-intake')()).config.teams.map((team) => team.id)).toEqual(['technical', 'after-sales', 'general']);
      const saved = { ...deskSettingsOf(defaultConfig()), teams: [{ id: 'billing', name: { 'zh-CN': '账务', en: 'Billing' }, types: [] }], defaultTeam: 'billing', rules: [] };
      table.on(GetCommand).resolves({ Item: { pk: 'SETTINGS', sk: 'desk', version: 4, body: JSON.stringify(saved), updatedAt: '2026-12-01T10:00:00Z', updatedBy: 'ann' } });
      const config = (await awsRuntime('form-intake')()).config;
      expect(config.teams.map((team) => team.id)).toEqual(['billing']);
      expect(config.defaultTeam).toBe('billing');
      expect(table.commandCalls(GetCommand).at(-1)?.args[0].input).toMatchObject({ TableName: 'tickets', Key: { pk: 'SETTINGS', sk: 'desk' } });
    });

    it('is built once per cold start, not once per invocation', async () => {
      const getRuntime = awsRuntime('survey');
      expect(await getRuntime()).toBe(await getRuntime());
    });

    it('refuses to build the table adapter without TABLE_NAME', async () => {
      vi.stubEnv('TABLE_NAME', '');
      await expect(awsRuntime('survey')()).rejects.toThrow(/TABLE_NAME is not set/);
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
