import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfig } from '../shared/config/load.js';
import { issueLocalToken, localJwtSecret } from '../shared/http/local-tokens.js';

/** `npm run token -- <agent>`: prints a token for a configured agent of the local desk. */
async function main(): Promise<void> {
  const agentId = process.argv[2];
  const configFile = resolve('ticketline.config.json');
  const config = parseConfig(existsSync(configFile) ? JSON.parse(readFileSync(configFile, 'utf8')) : {});
  const agent = config.agents.find((candidate) => candidate.id === agentId);
  if (!agent) {
    const known = config.agents.map((candidate) => `${candidate.id} (${candidate.roles.join(', ')}, ${candidate.team})`).join('\n  ');
    process.stderr.write(`usage: npm run token -- <agent>\nconfigured agents:\n  ${known}\n`);
    process.exitCode = 2;
    return;
  }
  const secret = localJwtSecret(process.env.DATA_DIR ?? '.data');
  process.stdout.write(`${await issueLocalToken(agent, secret)}\n`);
}

await main();
