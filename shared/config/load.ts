import './zod-messages.js';
import { DEFAULT_AGENTS, DEFAULT_CUES, DEFAULT_RULES, DEFAULT_TEAMS } from './defaults.js';
import { configSchema, type AgentConfig, type Cue, type KeywordRule, type ParsedDeskConfig, type TeamConfig } from './schema.js';

export type DeskConfig = Omit<ParsedDeskConfig, 'teams' | 'agents' | 'rules' | 'cues'> & {
  teams: TeamConfig[];
  agents: AgentConfig[];
  rules: KeywordRule[];
  cues: Cue[];
};

class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly issues: string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Validates a raw configuration object and fills the defaults from the requirements.
 * Cross-references (an agent's team, a rule's team, the default team) are checked here too,
 * so a bad configuration fails at start-up with every problem named.
 *
 * @example
 * const config = parseConfig({ calendar: { timeZone: 'Europe/Berlin' } });
 */
export function parseConfig(raw: unknown): DeskConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`invalid desk configuration:\n  ${issues.join('\n  ')}`, issues, { cause: result.error });
  }
  const parsed = result.data;
  const config: DeskConfig = {
    ...parsed,
    teams: parsed.teams ?? DEFAULT_TEAMS,
    agents: parsed.agents ?? DEFAULT_AGENTS,
    rules: parsed.rules ?? DEFAULT_RULES,
    cues: parsed.cues ?? DEFAULT_CUES,
  };
  const teamIds = new Set(config.teams.map((team) => team.id));
  const issues: string[] = [];
  if (!teamIds.has(config.defaultTeam)) issues.push(`defaultTeam: unknown team "${config.defaultTeam}"`);
  config.agents.forEach((agent, i) => {
    if (!teamIds.has(agent.team)) issues.push(`agents.${i}.team: unknown team "${agent.team}"`);
  });
  config.rules.forEach((rule, i) => {
    if (rule.team && !teamIds.has(rule.team)) issues.push(`rules.${i}.team: unknown team "${rule.team}"`);
  });
  try {
    new Intl.DateTimeFormat('en', { timeZone: config.calendar.timeZone });
  } catch (cause) {
    issues.push(`calendar.timeZone: unknown time zone "${config.calendar.timeZone}"`);
    void cause;
  }
  if (issues.length > 0) throw new ConfigError(`invalid desk configuration:\n  ${issues.join('\n  ')}`, issues);
  return config;
}

/** The default desk: every value from the requirements. */
export const defaultConfig = (): DeskConfig => parseConfig({});
