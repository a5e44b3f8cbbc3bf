import { Token } from 'aws-cdk-lib';

/** Lambda's limit on all environment variables of a function together (keys and values). */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4 * 1024;
/**
 * Unresolved values (table names, queue URLs, ARNs, the front door's domain) are counted at this
 * length, longer than any of them resolves to, so the check errs on the safe side.
 */
export const TOKEN_ALLOWANCE_BYTES = 160;

export class EnvironmentTooLargeError extends Error {
  override name = 'EnvironmentTooLargeError';
}

/** Bytes the environment takes once deployed, with every token counted at its allowance. */
export function environmentBytes(environment: Record<string, string>): number {
  let total = 0;
  for (const [key, value] of Object.entries(environment)) {
    const tokens = Token.isUnresolved(value) ? (value.match(/\$\{Token\[[^\]]+\]\}/g) ?? []) : [];
    const literal = tokens.reduce((text, token) => text.replace(token, ''), value);
    total += Buffer.byteLength(key) + Buffer.byteLength(literal) + tokens.length * TOKEN_ALLOWANCE_BYTES;
  }
  return total;
}

/**
 * Stops the synth when a function's environment would exceed Lambda's 4 KB, naming the largest
 * variables: a deploy would otherwise fail half way with a bare service error.
 *
 * @example
 * checkEnvironmentSize('agent-api', { TABLE_NAME: table.tableName, DESK_CONFIG: '{...}' });
 */
export function checkEnvironmentSize(functionName: string, environment: Record<string, string>): void {
  const bytes = environmentBytes(environment);
  if (bytes <= LAMBDA_ENVIRONMENT_LIMIT_BYTES) return;
  const largest = Object.entries(environment)
    .map(([key, value]) => ({ key, bytes: environmentBytes({ [key]: value }) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map((entry) => `${entry.key} ${entry.bytes} B`)
    .join(', ');
  throw new EnvironmentTooLargeError(
    `${functionName}: environment of about ${bytes} B exceeds Lambda's ${LAMBDA_ENVIRONMENT_LIMIT_BYTES} B (largest: ${largest}). ` +
      'Move the desk settings out of deskConfigFile into the table (teams, rules, defaultTeam, sla, calendar: `npm run settings -- import <file> --table <TableName>`; ' +
        'templates are edited in the console), and shorten what stays (checklists, cues).',
  );
}
