import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { VIP_LIST_MAX, type DeskSettings } from '../../shared/config/desk-settings.js';
import { importVipList, refreshDeskSettings } from '../../shared/services/desk-settings.js';
import { DirectoryService, invalidateDirectory, refreshDirectory } from '../../shared/services/directory.js';
import type { Runtime } from '../../shared/services/context.js';
import { invalidateSettings } from '../../shared/services/settings.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket } from '../support/tickets.js';
import { allRoles, callAgentApi } from '../support/agent-api.js';

/*
 * Issue 13 item 3: teams, keyword rules, the response-time policy and the calendar are a
 * validated settings document in the table, changed by admins through the API with an audit
 * trail, and picked up by every function without a redeploy.
 */

let runtime: TestRuntime;

/** Every request reads the directory and the desk settings as a fresh function would. */
const getRuntime = async () => {
  invalidateDirectory(runtime);
  invalidateSettings(runtime);
  await Promise.all([refreshDirectory(runtime), refreshDeskSettings(runtime)]);
  return runtime;
};

beforeEach(async () => {
  runtime = await testRuntime();
  await new DirectoryService(runtime).seed(runtime.config.agents, 'test');
});

async function as(agentId: string, method: string, path: string, body?: unknown) {
  return callAgentApi(getRuntime, allRoles(agentId), method, path, { body });
}

const settingsOf = (body: Record<string, unknown>) => body.settings as DeskSettings;

/** The configuration's settings plus a billing team, its rule, and a one-hour wall-clock P3 first response. */
function withBilling(settings: DeskSettings): DeskSettings {
  return {
    ...settings,
    teams: [...settings.teams, { id: 'billing', name: { 'zh-CN': '账务', en: 'Billing' }, types: [] }],
    rules: [{ tag: 'invoice', keywords: ['invoice', '发票'], type: 'consultation', team: 'billing', priority: 'P3' }, ...settings.rules],
    sla: { ...settings.sla, P3: { firstResponseMinutes: 60, clock: 'wall' } },
  };
}

describe('agent API: desk settings', { timeout: 300_000 }, () => {
  it('shows the configuration at version 0 to admins only', async () => {
    const shown = await as('root', 'GET', '/api/v1/settings/desk');
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ version: 0, timeZone: 'Asia/Shanghai' });
    expect(settingsOf(shown.body).teams.map((team) => team.id)).toEqual(['technical', 'after-sales', 'general']);
    expect(settingsOf(shown.body).sla.P1).toEqual({ firstResponseMinutes: 10, planMinutes: 120, progressEveryMinutes: 120, clock: 'wall' });
    for (const agentId of ['sam', 'alice', 'quinn']) {
      expect((await as(agentId, 'GET', '/api/v1/settings/desk')).status).toBe(403);
      expect((await as(agentId, 'PUT', '/api/v1/settings/desk', { version: 0, settings: settingsOf(shown.body) })).status).toBe(403);
    }
  });

  it('saves a new team, rule and response time: the next ticket goes to that team with the new deadline, and the audit says who changed what', async () => {
    const current = settingsOf((await as('root', 'GET', '/api/v1/settings/desk')).body);
    const saved = await as('root', 'PUT', '/api/v1/settings/desk', { version: 0, settings: withBilling(current), note: 'billing desk opens' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, updatedBy: 'root', updatedAt: '2024-05-20T02:00:00.000Z' });

    // A new ticket (intake as any function runs it) is classified, routed and timed by the saved settings.
    const ticket = await createTicket(await getRuntime(), { description: 'My invoice shows the wrong company name, please correct it' });
    expect(ticket.team).toBe('billing');
    expect(ticket.tags).toContain('invoice');
    expect(ticket.priority).toBe('P3');
    expect(ticket.firstResponseDueAt).toBe('2024-05-20T03:00:00.000Z');

    const audit = await as('root', 'GET', '/api/v1/settings/desk/audit');
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ version: 1, by: 'root', changed: ['rules', 'sla', 'teams'], note: 'billing desk opens' })]);
    expect((await as('alice', 'GET', '/api/v1/settings/desk/audit')).status).toBe(403);
  });

  it('refuses a save over settings another admin changed meanwhile (409) and keeps theirs', async () => {
    const current = settingsOf((await as('root', 'GET', '/api/v1/settings/desk')).body);
    expect((await as('root', 'PUT', '/api/v1/settings/desk', { version: 0, settings: withBilling(current) })).status).toBe(200);
    const stale = await as('root', 'PUT', '/api/v1/settings/desk', { version: 0, settings: { ...current, defaultTeam: 'technical' } });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('settings-changed');
    expect(settingsOf((await as('root', 'GET', '/api/v1/settings/desk')).body).teams.map((team) => team.id)).toContain('billing');
  });

  it('names what is wrong: schema errors, a rule for an unknown team, a team that still has agents, the time zone, a week without working hours', async () => {
    const current = settingsOf((await as('root', 'GET', '/api/v1/settings/desk')).body);
    const save = (settings: unknown) => as('root', 'PUT', '/api/v1/settings/desk', { version: 0, settings });
    const fields = (response: { body: Record<string, unknown> }) => (response.body.errors as Array<{ field: string; message: string }>).map((error) => error.field);

    const negative = await save({ ...current, sla: { ...current.sla, P1: { ...current.sla.P1, firstResponseMinutes: -5 } } });
    expect(negative.status).toBe(400);
    expect(fields(negative)).toEqual(['settings.sla.P1.firstResponseMinutes']);

    const unknownTeam = await save({ ...current, rules: [{ tag: 'x', keywords: ['x'], team: 'nobody' }] });
    expect(unknownTeam.status).toBe(400);
    expect(fields(unknownTeam)).toEqual(['rules.0.team']);

    const orphaned = await save({ ...current, teams: current.teams.filter((team) => team.id !== 'after-sales'), rules: current.rules.filter((rule) => rule.team !== 'after-sales') });
    expect(orphaned.status).toBe(400);
    expect(orphaned.body.errors).toEqual([{ field: 'teams', message: 'team "after-sales" still has agents (carol): move them to another team first' }]);

    const moved = await save({ ...current, calendar: { ...current.calendar, timeZone: 'Europe/Berlin' } });
    expect(fields(moved)).toEqual(['calendar.timeZone']);

    const closed = await save({ ...current, calendar: { ...current.calendar, workingHours: {} } });
    expect(fields(closed)).toEqual(['calendar.workingHours']);
    const backwards = await save({ ...current, calendar: { ...current.calendar, workingHours: { ...current.calendar.workingHours, '1': [{ start: '18:00', end: '09:00' }] } } });
    expect(fields(backwards)).toEqual(['calendar.workingHours.1.0']);

    const unknownField = await as('root', 'PUT', '/api/v1/settings/desk', { version: 0, settings: { ...current, agents: [] } });
    expect(unknownField.status).toBe(400);
    expect((await as('root', 'GET', '/api/v1/settings/desk')).body.version).toBe(0);
  });

  it('reaches another function once its copy is older than 30 s, without a redeploy', async () => {
    const other: Runtime = { ...runtime };
    await refreshDeskSettings(other, { now: 0 });
    const current = settingsOf((await as('root', 'GET', '/api/v1/settings/desk')).body);
    await as('root', 'PUT', '/api/v1/settings/desk', { version: 0, settings: withBilling(current) });

    await refreshDeskSettings(other, { now: 10_000 });
    expect(other.config.teams.map((team) => team.id)).not.toContain('billing');
    await refreshDeskSettings(other, { now: 31_000 });
    // The stale copy answered that call; the read it started in the background lands when the table
    // answers (a fixed 300 ms pause lost that race on a busy machine).
    await expect
      .poll(
        async () => {
          await refreshDeskSettings(other, { now: 31_500 });
          return other.config.teams.map((team) => team.id);
        },
        { timeout: 30_000 },
      )
      .toContain('billing');
    expect(other.config.sla.P3).toEqual({ firstResponseMinutes: 60, clock: 'wall' });
  });

  it('keeps the desk running on the settings in force when the stored ones no longer match the schema, and lets an admin repair them', async () => {
    await runtime.store.documentClient.send(
      new PutCommand({
        TableName: runtime.store.tableName,
        Item: { pk: 'SETTINGS', sk: 'desk', entity: 'settings', name: 'desk', version: 7, body: JSON.stringify({ teams: 'not a list' }), updatedAt: '2026-01-01T00:00:00Z', updatedBy: 'old-release' },
      }),
    );
    const shown = await as('root', 'GET', '/api/v1/settings/desk');
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ version: 7 });
    expect((shown.body.invalidStored as Array<{ field: string }>).map((problem) => problem.field)).toContain('teams');
    expect(runtime.config.teams.map((team) => team.id)).toEqual(['technical', 'after-sales', 'general']);
    // Tickets still flow.
    expect((await createTicket(await getRuntime(), { description: 'Cannot log in to my account' })).team).toBe('technical');

    const repaired = await as('root', 'PUT', '/api/v1/settings/desk', { version: 7, settings: settingsOf(shown.body) });
    expect(repaired.status).toBe(200);
    expect(repaired.body.version).toBe(8);
    expect(repaired.body.invalidStored).toBeUndefined();
  });
});

/*
 * The VIP list is personal data: it moved out of the functions' environment (DESK_CONFIG) into the
 * desk settings. Settings saved before the move have none; nothing may wipe the configuration's or
 * the stored list on the way.
 */
describe('agent API: the VIP list in the desk settings', { timeout: 300_000 }, () => {
  const vipOf = (body: Record<string, unknown>) => settingsOf(body).vip;
  const withoutVip = ({ vip: _vip, ...rest }: DeskSettings) => rest;
  const question = { description: 'How do I change the language of my invoices?', language: 'en' as const };

  it('raises a customer on the saved list, from a function whose environment lists no VIP', async () => {
    expect(runtime.config.vip).toEqual({ emails: [], phones: [], accounts: [] });
    const plain = await createTicket(await getRuntime(), { ...question, customer: { name: 'Bo Wu', email: 'boss@corp.example' } });
    expect(plain.customer.vip).toBe(false);

    const current = settingsOf((await as('root', 'GET', '/api/v1/settings/desk')).body);
    const saved = await as('root', 'PUT', '/api/v1/settings/desk', { version: 0, settings: { ...current, vip: { emails: ['  Boss@Corp.example '], phones: ['+86 138 0013 8000'], accounts: [] } } });
    expect(saved.status).toBe(200);
    expect(vipOf(saved.body)).toEqual({ emails: ['Boss@Corp.example'], phones: ['+86 138 0013 8000'], accounts: [] });

    const byMail = await createTicket(await getRuntime(), { ...question, customer: { name: 'Bo Wu', email: 'boss@corp.example' } });
    const byPhone = await createTicket(await getRuntime(), { ...question, customer: { phone: '13800138000' } });
    expect([byMail.customer.vip, byPhone.customer.vip]).toEqual([true, true]);
    // One level up from the same question's priority.
    expect([byMail.priority, plain.priority]).toEqual(['P2', 'P3']);
    // Agents never read it (the list is admins' only).
    expect((await as('sam', 'GET', '/api/v1/settings/desk')).status).toBe(403);
  });

  it("keeps the configuration's list while the saved settings have none, and a save that leaves the list out never wipes it", async () => {
    runtime = await testRuntime({ config: { vip: { emails: ['boss@corp.example'] } } });
    await new DirectoryService(runtime).seed(runtime.config.agents, 'test');
    // Settings as a desk saved them before the list moved here: no `vip`.
    const configured = settingsOf((await as('root', 'GET', '/api/v1/settings/desk')).body);
    expect((await as('root', 'PUT', '/api/v1/settings/desk', { version: 0, settings: withoutVip(withBilling(configured)) })).body.version).toBe(1);
    expect(vipOf((await as('root', 'GET', '/api/v1/settings/desk')).body)).toBeUndefined();
    expect((await createTicket(await getRuntime(), { ...question, customer: { email: 'boss@corp.example' } })).customer.vip).toBe(true);

    // The migration adds the list as a version of its own.
    const added = await importVipList(await getRuntime(), { emails: ['ceo@corp.example'], phones: [], accounts: ['ACC-42'] }, 'import', 'VIP list imported from desk.json');
    expect(added).toEqual({ outcome: 'added', version: 2, entries: 2 });
    const afterImport = settingsOf((await as('root', 'GET', '/api/v1/settings/desk')).body);
    expect(withoutVip(afterImport)).toEqual(withoutVip(withBilling(configured)));

    // An editor (or client) that predates the field saves without it: the list stays.
    const older = await as('root', 'PUT', '/api/v1/settings/desk', { version: 2, settings: { ...withoutVip(afterImport), defaultTeam: 'technical' } });
    expect(older.status).toBe(200);
    expect(vipOf(older.body)).toEqual({ emails: ['ceo@corp.example'], phones: [], accounts: ['ACC-42'] });
    expect((await createTicket(await getRuntime(), { ...question, customer: { email: 'ceo@corp.example' } })).customer.vip).toBe(true);
    // A second import never replaces a saved list.
    expect(await importVipList(await getRuntime(), { emails: ['someone@else.example'], phones: [], accounts: [] }, 'import', 'again')).toEqual({ outcome: 'present', entries: 2 });

    // An admin who empties it on purpose does.
    const emptied = await as('root', 'PUT', '/api/v1/settings/desk', { version: 3, settings: { ...settingsOf(older.body), vip: { emails: [], phones: [], accounts: [] } } });
    expect(vipOf(emptied.body)).toEqual({ emails: [], phones: [], accounts: [] });
    expect((await createTicket(await getRuntime(), { ...question, customer: { email: 'ceo@corp.example' } })).customer.vip).toBe(false);
    const audit = (await as('root', 'GET', '/api/v1/settings/desk/audit')).body.items as Array<{ version: number; changed: string[] }>;
    expect(audit.map((entry) => [entry.version, entry.changed])).toEqual([
      [4, ['vip']],
      [3, ['defaultTeam']],
      [2, ['vip']],
      // Version 1 holds no list where the configuration's defaults had one: the audit names the field.
      [1, ['rules', 'sla', 'teams', 'vip']],
    ]);
    // The trail outlives every entry removed since: it keeps the list masked, in the table and in the API.
    const stored = await runtime.store.settingsAudit('desk', 10);
    expect(JSON.stringify(stored)).not.toMatch(/ceo@corp\.example|ACC-42/);
    expect(JSON.stringify(audit)).not.toMatch(/ceo@corp\.example|ACC-42/);
    const version2 = (audit as unknown as Array<{ version: number; settings: DeskSettings }>).find((entry) => entry.version === 2)!.settings;
    expect(version2.vip).toEqual({ emails: ['c***@corp.example'], phones: [], accounts: ['***C-42'] });
    // Rolling back to it as loaded from the trail would make the VIPs stars: refused, naming the entry.
    const rolledBack = await as('root', 'PUT', '/api/v1/settings/desk', { version: 4, settings: version2 });
    expect(rolledBack.status).toBe(400);
    expect(JSON.stringify(rolledBack.body)).toContain('vip.emails.0');
  });

  it('refuses a list over its size and blank entries, naming the field', async () => {
    const current = settingsOf((await as('root', 'GET', '/api/v1/settings/desk')).body);
    const tooMany = Array.from({ length: VIP_LIST_MAX + 1 }, (_, index) => `vip${index}@corp.example`);
    const refused = await as('root', 'PUT', '/api/v1/settings/desk', { version: 0, settings: { ...current, vip: { emails: tooMany, phones: ['  '], accounts: [] } } });
    expect(refused.status).toBe(400);
    const fields = (refused.body.fields ?? refused.body.errors) as Array<{ field: string }>;
    expect(fields.map((field) => field.field)).toEqual(expect.arrayContaining([expect.stringMatching(/vip\.emails/), expect.stringMatching(/vip\.phones\.0/)]));
    expect((await as('root', 'GET', '/api/v1/settings/desk')).body.version).toBe(0);
  });
});
