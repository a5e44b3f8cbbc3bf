import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../local/settings.js';
import { freshTable } from '../support/dynamodb.js';

async function run(argv: string[]) {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
}

function configFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'settings-cli-')), 'desk.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('npm run settings', { timeout: 300_000 }, () => {
  it('imports the desk settings of a configuration file once, then shows them and their audit; a second import changes nothing', async () => {
    const { endpoint, tableName } = await freshTable('settings-cli');
    const file = configFile({
      teams: [
        { id: 'support', name: { 'zh-CN': '支持', en: 'Support' }, types: ['fault', 'consultation', 'other'] },
        { id: 'billing', name: { 'zh-CN': '账务', en: 'Billing' } },
      ],
      defaultTeam: 'support',
      rules: [{ tag: 'invoice', keywords: ['invoice', '发票'], team: 'billing' }],
      sla: { P1: { firstResponseMinutes: 15, clock: 'wall' }, P2: { firstResponseMinutes: 60, clock: 'wall' }, P3: { firstResponseMinutes: 240, clock: 'business' }, P4: { firstResponseMinutes: 1440, clock: 'business' } },
    });
    expect((await run(['show', '--table', tableName, '--endpoint', endpoint])).out).toContain('version 0: nothing saved');

    const imported = await run(['import', file, '--table', tableName, '--endpoint', endpoint]);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('as version 1');
    const shown = await run(['show', '--table', tableName, '--endpoint', endpoint]);
    expect(shown.out).toMatch(/^version 1, saved .* by import/);
    expect(shown.out).toContain('"billing"');
    expect(shown.out).toContain('"firstResponseMinutes": 15');

    const again = await run(['import', configFile({ defaultTeam: 'general' }), '--table', tableName, '--endpoint', endpoint]);
    expect(again).toMatchObject({ code: 0 });
    expect(again.out).toContain('nothing imported');
    expect((await run(['audit', '--table', tableName, '--endpoint', endpoint])).out).toMatch(/^1\t.*\timport\t.*calendar,defaultTeam,rules,sla,teams\timported from /);
  });

  it('adds the VIP list of a file to settings saved without one, once, and changes nothing else', async () => {
    const { endpoint, tableName } = await freshTable('settings-cli');
    // Settings imported from a file without a VIP list (as every desk saved them before the list moved into the table).
    expect((await run(['import', configFile({ defaultTeam: 'general' }), '--table', tableName, '--endpoint', endpoint])).out).toContain('as version 1');
    expect((await run(['show', '--table', tableName, '--endpoint', endpoint])).out).not.toContain('"vip"');

    const vip = { emails: ['boss@corp.example'], phones: ['+86 138 0013 8000'], accounts: ['ACC-42'] };
    const added = await run(['import', configFile({ defaultTeam: 'general', vip }), '--table', tableName, '--endpoint', endpoint]);
    expect(added.code).toBe(0);
    expect(added.out).toContain('(3 entries) to the saved settings as version 2');
    // Operator output leaves the desk: the list is masked there (the console shows it whole).
    const withList = (await run(['show', '--table', tableName, '--endpoint', endpoint])).out;
    expect(withList).toContain('"b***@corp.example"');
    expect(withList).toContain('"*******8000"');
    expect(withList).not.toMatch(/boss@corp\.example|0013 8000|ACC-42/);
    expect(withList).toContain('the VIP list (3 entries) is masked here');
    expect((await run(['audit', '--table', tableName, '--endpoint', endpoint])).out).toMatch(/^2\t.*\timport\tvip\tVIP list imported from /);

    // A saved list is never replaced by a file's.
    const again = await run(['import', configFile({ defaultTeam: 'general', vip: { emails: ['someone@else.example'] } }), '--table', tableName, '--endpoint', endpoint]);
    expect(again.out).toContain('already hold a VIP list (3 entries)');
    const shown = (await run(['show', '--table', tableName, '--endpoint', endpoint])).out;
    expect(shown).toMatch(/^version 2,/);
    expect(shown).not.toContain('someone@else.example');
  });

  it('names what is wrong in a file whose settings are invalid, and imports nothing', async () => {
    const { endpoint, tableName } = await freshTable('settings-cli');
    const file = configFile({ teams: [{ id: 'support', name: { 'zh-CN': '支持', en: 'Support' } }], defaultTeam: 'support', calendar: { workingHours: {} } });
    const result = await run(['import', file, '--table', tableName, '--endpoint', endpoint]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('calendar.workingHours: business-hours deadlines need at least one working period');
    expect((await run(['show', '--table', tableName, '--endpoint', endpoint])).out).toContain('version 0');
  });

  it('prints its usage for a missing table or command', async () => {
    expect((await run(['import', 'x.json'])).code).toBe(2);
    expect((await run(['--table', 't'])).code).toBe(2);
  });
});
