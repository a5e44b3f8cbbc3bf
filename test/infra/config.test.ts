import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { contextToRaw, InfraConfigError, loadInfraConfig } from '../../infra/config.js';

function errorOf(run: () => unknown): InfraConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof InfraConfigError) return error;
    throw error;
  }
  throw new Error('expected an InfraConfigError');
}

describe('loadInfraConfig', () => {
  it('gives a working dev configuration from an empty context', () => {
    const config = loadInfraConfig({});

    expect(config.stage).toBe('dev');
    expect(config.desk.desk.supportAddress).toBe(config.supportAddress);
    expect(config.desk.calendar.timeZone).toBe(config.timeZone);
  });

  it("takes the stage's SMS origination identity as an sms-voice ARN only", () => {
    const arn = 'arn:aws:sms-voice:ap-east-1:123456789012:phone-number/phone-0123456789abcdef';
    expect(loadInfraConfig({ smsOriginationIdentity: arn }).smsOriginationIdentity).toBe(arn);
    expect(loadInfraConfig({}).smsOriginationIdentity).toBeUndefined();
    expect(errorOf(() => loadInfraConfig({ smsOriginationIdentity: '+8613800138000' })).message).toContain('smsOriginationIdentity');
  });

  it('names the key and the allowed values when the stage is unknown', () => {
    const error = errorOf(() => loadInfraConfig({ stage: 'production' }));

    expect(error.message).toContain('stage:');
    expect(error.message).toMatch(/dev.*prod/);
  });

  it('rejects a support address outside the receiving domain', () => {
    const error = errorOf(() => loadInfraConfig({ domain: 'help.example.org', supportAddress: 'support@example.com' }));

    expect(error.issues).toEqual([expect.stringContaining('supportAddress: must be an address in the receiving domain "help.example.org"')]);
  });

  it('rejects an unknown time zone by name', () => {
    const error = errorOf(() => loadInfraConfig({ timeZone: 'Mars/Olympus_Mons' }));

    expect(error.message).toContain('timeZone: unknown IANA time zone "Mars/Olympus_Mons"');
  });

  it('requires an alarm e-mail in prod', () => {
    const error = errorOf(() => loadInfraConfig({ stage: 'prod' }));

    expect(error.message).toContain('alarmEmail: required when stage is prod');
  });

  it('accepts numbers and booleans given as command-line strings', () => {
    const config = loadInfraConfig({ logRetentionDays: '30', activateReceiptRuleSet: 'false' });

    expect(config.logRetentionDays).toBe(30);
    expect(config.activateReceiptRuleSet).toBe(false);
  });

  it('rejects a log retention CloudWatch does not offer', () => {
    const error = errorOf(() => loadInfraConfig({ logRetentionDays: 45 }));

    expect(error.message).toContain('logRetentionDays: expected one of 1, 3, 5');
  });

  it('rejects a public base URL with a path', () => {
    const error = errorOf(() => loadInfraConfig({ publicBaseUrl: 'https://help.example.com/app' }));

    expect(error.message).toContain('publicBaseUrl: expected an https origin');
  });

  it('lists every problem in one error', () => {
    const error = errorOf(() => loadInfraConfig({ stage: 'qa', timeZone: 'Nowhere/City', mailInfrequentAccessDays: 10 }));

    expect(error.issues.length).toBeGreaterThanOrEqual(3);
  });

  it('reports a desk configuration file that is not JSON', () => {
    const error = errorOf(() => loadInfraConfig({ deskConfigFile: 'desk.json' }, () => '{ not json'));

    expect(error.message).toContain('deskConfigFile: cannot read "desk.json" as JSON');
  });

  it('validates the desk configuration from the file with the desk schema', () => {
    const file = JSON.stringify({ defaultTeam: 'nobody' });

    const error = errorOf(() => loadInfraConfig({ deskConfigFile: 'desk.json' }, () => file));

    expect(error.message).toContain('defaultTeam: unknown team "nobody"');
  });

  it('refuses agents in the desk configuration file and says how to move them into the table', () => {
    const file = JSON.stringify({ agents: [{ id: 'ann', name: 'Ann', email: 'ann@support.example.com', team: 'general', roles: ['admin'] }] });

    const error = errorOf(() => loadInfraConfig({ deskConfigFile: 'desk.json' }, () => file));

    expect(error.message).toContain('lists agents, but agents now live in the table');
    expect(error.message).toContain('npm run agents -- import desk.json --table <TableName> --user-pool <UserPoolId>');
  });

  it('refuses a VIP list in the desk configuration file (personal data in every environment) and says how to move it into the table', () => {
    const file = JSON.stringify({ vip: { emails: ['boss@corp.example'] } });

    const error = errorOf(() => loadInfraConfig({ deskConfigFile: 'desk.json' }, () => file));

    expect(error.message).toContain('lists vip, but the VIP list now lives in the desk settings in the table');
    expect(error.message).toContain('npm run settings -- import desk.json --table <TableName>');
  });

  it('takes a restored table name (the restore switch) and refuses what is not a table name', () => {
    expect(loadInfraConfig({ restoredTableName: 'ticketline-prod-Table-r20241120' }).restoredTableName).toBe('ticketline-prod-Table-r20241120');
    expect(errorOf(() => loadInfraConfig({ restoredTableName: 'no spaces' })).message).toContain('restoredTableName: expected a DynamoDB table name');
  });

  it('passes only overrides to the functions, never the expanded defaults', () => {
    const config = loadInfraConfig({ timeZone: 'Europe/Berlin' });

    expect(config.deskOverrides).toEqual({
      desk: { domain: 'support.example.com', supportAddress: 'support@support.example.com' },
      calendar: { timeZone: 'Europe/Berlin' },
    });
  });
});

describe('contextToRaw', () => {
  it('lets single --context keys override the ticketline object from cdk.json', () => {
    const context: Record<string, unknown> = { ticketline: { stage: 'dev', domain: 'a.example.com' }, stage: 'prod' };

    const raw = contextToRaw((key) => context[key]);

    expect(raw).toEqual({ stage: 'prod', domain: 'a.example.com' });
  });
});

describe('buildApp', () => {
  it('fails before building any stack when the context is invalid', () => {
    const error = errorOf(() => buildApp({ context: { stage: 'staging' }, nag: false }));

    expect(error.message).toContain('invalid Ticketline deployment configuration');
  });
});
