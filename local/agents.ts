import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { pathToFileURL } from 'node:url';
import { CognitoIdentities } from '../shared/adapters/cognito-identities.js';
import { ROLES, type AgentConfig, type Role } from '../shared/config/schema.js';
import type { Runtime } from '../shared/services/context.js';
import { DirectoryService } from '../shared/services/directory.js';
import { systemClock, type AgentIdentities } from '../shared/services/ports.js';
import { readOperatorCommand } from './operator-cli.js';

const USAGE = `usage:
  npm run agents -- list   --table <TableName>
  npm run agents -- add    --table <TableName> --user-pool <UserPoolId> --id <id> --name <name> --email <email> --team <team> --roles admin[,supervisor,...] [--config <deskConfigFile>]
  npm run agents -- import <deskConfigFile> --table <TableName> [--user-pool <UserPoolId>]
options: --endpoint <url> (DynamoDB Local), --region <region>; AWS credentials and region come from the shell.`;

/**
 * \`npm run agents\`: the agent directory from an operator's shell, for what the console cannot do
 * yet: the first admin of a new deployment (\`add\`, which creates the Cognito user and its groups
 * like the console does), and moving a former \`agents\` list out of a desk configuration file into
 * the table (\`import\`; agents already in the table keep theirs). Everything later happens in the
 * console's Agents page.
 */
export async function main(argv: string[], print: (line: string) => void = console.log, deps: { identities?: AgentIdentities } = {}): Promise<number> {
  const line = readOperatorCommand(argv, ['list', 'add', 'import']);
  if (!line) {
    print(USAGE);
    return 2;
  }
  const { command, file, config, option, rawConfig } = line;
  const region = option('region');
  const userPoolId = option('user-pool');
  const identities = deps.identities ?? (userPoolId ? new CognitoIdentities(new CognitoIdentityProviderClient(region ? { region } : {}), userPoolId) : undefined);
  const runtime = { config, clock: systemClock, identities, store: line.store() } as unknown as Runtime;
  const directory = new DirectoryService(runtime);

  if (command === 'list') {
    for (const agent of await directory.list()) {
      print(`${agent.id}\t${agent.name}\t${agent.email}\t${agent.team}\t${agent.roles.join(',')}\t${agent.disabled ? 'disabled' : 'enabled'}\t${agent.sub ? 'sign-in linked' : 'no sign-in user'}`);
    }
    return 0;
  }
  if (command === 'add') {
    if (!identities) {
      print('add needs --user-pool <UserPoolId> (the stack output UserPoolId): the agent signs in with a Cognito user.');
      return 2;
    }
    const roles = (option('roles') ?? '').split(',').filter(Boolean);
    const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
    if (unknown.length > 0) {
      print(`unknown role(s): ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
      return 2;
    }
    const added = await directory.add(
      { id: option('id') ?? '', name: option('name') ?? '', email: option('email') ?? '', team: option('team') ?? config.defaultTeam, roles: roles as Role[] },
      'cli',
    );
    print(`added ${added.id} (${added.roles.join(', ')}, ${added.team}); Cognito mailed ${added.email} a temporary password`);
    return 0;
  }
  const agents = (rawConfig.agents ?? []) as AgentConfig[];
  const imported = await directory.seed(agents, 'import');
  print(`imported ${imported.length} of ${agents.length} agent(s)${imported.length > 0 ? `: ${imported.join(', ')}` : ''}; ${agents.length - imported.length} already in the table kept theirs`);
  const ids = new Set(agents.map((agent) => agent.id));
  const unlinked = (await directory.list()).filter((record) => ids.has(record.id) && !record.sub);
  for (const record of identities ? unlinked : []) {
    const linked = await directory.linkSignIn(record.id, 'import');
    print(`created the sign-in user of ${linked.id} (${linked.email}); Cognito mailed a temporary password`);
  }
  if (!identities && unlinked.length > 0) print(`no sign-in user for ${unlinked.map((record) => record.id).join(', ')}: run again with --user-pool <UserPoolId> to create them`);
  print(`now remove "agents" from ${file} and deploy`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
