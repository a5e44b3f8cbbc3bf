import type { Runtime } from './context.js';

type Agent = Runtime['config']['agents'][number];

/**
 * The supervisors a team's escalations go to (first tier): the team's named supervisors, else the
 * supervisors who belong to the team, else every supervisor (a team without one is not left unwatched).
 */
export function supervisorsOf(config: Runtime['config'], team: string): Agent[] {
  const active = config.agents.filter((agent) => !agent.disabled);
  const supervisors = active.filter((agent) => agent.roles.includes('supervisor'));
  const named = config.teams.find((candidate) => candidate.id === team)?.supervisors ?? [];
  const byName = supervisors.filter((agent) => named.includes(agent.id));
  if (byName.length > 0) return byName;
  const members = supervisors.filter((agent) => agent.team === team);
  return members.length > 0 ? members : supervisors;
}

/**
 * The desk managers (second tier of escalation): the agents named in `deskManagers`, else the
 * admins, else every supervisor.
 */
export function deskManagersOf(config: Runtime['config']): Agent[] {
  const active = config.agents.filter((agent) => !agent.disabled);
  const named = active.filter((agent) => config.deskManagers.includes(agent.id));
  if (named.length > 0) return named;
  const admins = active.filter((agent) => agent.roles.includes('admin'));
  return admins.length > 0 ? admins : active.filter((agent) => agent.roles.includes('supervisor'));
}
