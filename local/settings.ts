import { pathToFileURL } from 'node:url';
import { deskSettingsOf, maskedVipList, vipCount } from '../shared/config/desk-settings.js';
import type { Runtime } from '../shared/services/context.js';
import { deskSettings, importVipList } from '../shared/services/desk-settings.js';
import { activeAgents } from '../shared/services/directory.js';
import { systemClock } from '../shared/services/ports.js';
import { ValidationError } from '../shared/services/errors.js';
import { readOperatorCommand } from './operator-cli.js';

const USAGE = `usage:
  npm run settings -- show   --table <TableName> [--config <deskConfigFile>]
  npm run settings -- import <deskConfigFile> --table <TableName>
  npm run settings -- audit  --table <TableName>
options: --endpoint <url> (DynamoDB Local), --region <region>; AWS credentials and region come from the shell.`;

/**
 * \`npm run settings\`: the desk settings (teams, keyword rules, default team, response-time
 * policy, business calendar, VIP list) from an operator's shell. \`import\` moves them out of a desk
 * configuration file into the table as version 1 of the settings document \`desk\` (nothing is
 * overwritten once admins saved settings, except that saved settings without a VIP list get the
 * file's); \`show\` prints what is in force; \`audit\` lists the saves.
 * Admins change them afterwards in the console's Settings page.
 */
export async function main(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const line = readOperatorCommand(argv, ['show', 'import', 'audit']);
  if (!line) {
    print(USAGE);
    return 2;
  }
  const { command, file, config } = line;
  const store = line.store();
  // The checks need the enabled agents (a team that still has agents cannot go).
  const runtime = { config: { ...config, agents: activeAgents(await store.listAgentRecords()) }, clock: systemClock, store } as unknown as Runtime;
  const settings = deskSettings(runtime);

  if (command === 'show') {
    const view = await settings.read();
    print(view.version === 0 ? 'version 0: nothing saved in the table; the configuration is in force' : `version ${view.version}, saved ${view.updatedAt} by ${view.updatedBy}`);
    // Operator output leaves the desk (terminals, CI logs, tickets): the VIP list is shown masked, with
    // its size; supervisors and admins read and edit it in full in the console (Settings).
    const vip = view.body.vip;
    print(JSON.stringify(vip ? { ...view.body, vip: maskedVipList(vip) } : view.body, null, 2));
    if (vip && vipCount(vip) > 0) print(`the VIP list (${vipCount(vip)} entries) is masked here; read or change it in the console (Settings, VIP)`);
    return 0;
  }
  if (command === 'audit') {
    for (const entry of await settings.audit()) print(`${entry.version}\t${entry.at}\t${entry.by}\t${entry.changed.join(',')}${entry.note ? `\t${entry.note}` : ''}`);
    return 0;
  }
  try {
    // A file without a VIP list seeds none: the field stays open for a later import.
    const { vip: _vip, ...withoutVip } = deskSettingsOf(config);
    const imported = await settings.seed('vip' in line.rawConfig ? deskSettingsOf(config) : withoutVip, 'import', `imported from ${file}`);
    if (imported) print(`imported the desk settings from ${file} as version 1`);
    else {
      print('the table already has desk settings: nothing imported (change them in the console, or compare with `show`)');
      // Settings saved before the VIP list moved into them have none: the file's list is added, nothing else changes.
      const vip = await importVipList(runtime, config.vip, 'import', `VIP list imported from ${file}`);
      if (vip.outcome === 'added') print(`added the VIP list of ${file} (${vip.entries} entries) to the saved settings as version ${vip.version}; nothing else changed`);
      if (vip.outcome === 'present') print(`the saved settings already hold a VIP list (${vip.entries} entries): the file's list was not imported (change it in the console)`);
      if (vip.outcome === 'stored-invalid') {
        print('the saved settings no longer match their schema: repair them in the console (Settings), then import the VIP list again');
        return 1;
      }
    }
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    print(`${file} does not hold valid desk settings:`);
    for (const field of error.fields) print(`  ${field.field}: ${field.message}`);
    return 1;
  }
  print(`from now on the table's settings are in force: teams, rules, defaultTeam, sla, calendar and vip in ${file} are ignored (keep calendar.timeZone; remove vip from the file before the next deploy)`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
