import { readFileSync } from 'node:fs';
import { createDocumentClient, createDynamoDbClient } from '../shared/adapters/aws-clients.js';
import { DynamoStore } from '../shared/adapters/dynamo-store.js';
import { parseConfig, type DeskConfig } from '../shared/config/load.js';

/** What an operator's command line (`npm run agents`, `npm run settings`) asked for. */
export interface OperatorCommand {
  command: string;
  /** The desk configuration file `import` reads. */
  file?: string;
  option: (name: string) => string | undefined;
  /** The configuration file as written (agents included, for `npm run agents -- import`). */
  rawConfig: Record<string, unknown>;
  /** The desk configuration (import's file, else `--config`), agents left out: they live in the table. */
  config: DeskConfig;
  store: () => DynamoStore;
}

/** Reads `<command> [file] --option value…`; undefined when the line does not name a known command and a table. */
export function readOperatorCommand(argv: string[], commands: readonly string[]): OperatorCommand | undefined {
  const option = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const [command, file] = argv.filter((arg, index) => !arg.startsWith('--') && !argv[index - 1]?.startsWith('--'));
  const tableName = option('table');
  if (!command || !tableName || !commands.includes(command) || (command === 'import' && !file)) return undefined;
  const configFile = command === 'import' ? file : option('config');
  const rawConfig = configFile ? (JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>) : {};
  const config = parseConfig({ ...rawConfig, agents: [] });
  const store = () =>
    new DynamoStore(createDocumentClient(createDynamoDbClient({ endpoint: option('endpoint'), region: option('region') })), {
      tableName,
      timeZone: config.calendar.timeZone,
    });
  return { command, file, option, rawConfig, config, store };
}
