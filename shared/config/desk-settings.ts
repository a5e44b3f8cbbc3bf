import * as z from 'zod/mini';
import './zod-messages.js';
import { calendarSchema, keywordRuleSchema, slaPolicySchema, teamSchema } from './schema.js';
import type { DeskConfig } from './load.js';
import { maskAccount, maskEmail, maskPhone } from '../domain/masking.js';

/**
 * The desk settings: the part of the configuration admins change while the desk runs (teams,
 * keyword rules and the default team, the response-time policy, the business calendar, the VIP
 * list). Kept as
 * the settings document `desk` in the table (shared/services/desk-settings.ts); until an admin
 * saves one, the deployment's configuration (deskConfigFile, or the defaults) is in force.
 * Browser-safe (the console edits it with this schema's types).
 */

export const DESK_SETTINGS_FIELDS = ['teams', 'defaultTeam', 'rules', 'sla', 'calendar', 'vip'] as const;

/** The most entries of each VIP list: the settings document and its audit entry stay far below DynamoDB's 400 KB item. */
export const VIP_LIST_MAX = 1_000;
const vipEntries = z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(254))).check(z.maxLength(VIP_LIST_MAX));

/**
 * The VIP customers (raised one priority level, first in their queue): addresses, phone numbers
 * and account numbers, matched as `isVip` does (shared/domain/classification.ts). Personal data,
 * so it lives in the table (read by admins only), never in a function's environment.
 */
export const vipListSchema = z.strictObject({ emails: vipEntries, phones: vipEntries, accounts: vipEntries });
export type VipList = z.infer<typeof vipListSchema>;

export const deskSettingsSchema = z.strictObject({
  teams: z.array(teamSchema).check(z.minLength(1), z.maxLength(50)),
  defaultTeam: z.string().check(z.minLength(1)),
  rules: z.array(keywordRuleSchema).check(z.maxLength(500)),
  sla: slaPolicySchema,
  calendar: calendarSchema,
  /**
   * Added after desks had saved settings: a document saved before has none, and the deployment's
   * configuration (`vip` in the local desk's config file; nothing on AWS) stays in force until
   * one is saved. A save that leaves it out keeps the stored list (`keptWhenLeftOut`), so an editor
   * or a client that does not know the field never wipes it.
   */
  vip: z.optional(vipListSchema),
});
export type DeskSettings = z.infer<typeof deskSettingsSchema>;
export type DeskSettingsInput = z.input<typeof deskSettingsSchema>;

/** The desk settings a configuration holds. */
export function deskSettingsOf(config: Pick<DeskConfig, (typeof DESK_SETTINGS_FIELDS)[number]>): DeskSettings {
  return { teams: config.teams, defaultTeam: config.defaultTeam, rules: config.rules, sla: config.sla, calendar: config.calendar, vip: config.vip };
}

/**
 * A VIP list as it may leave the desk settings (audit trail, operator output): each entry masked
 * as the customer's own contact is everywhere else (`z***@example.com`, `*******8000`, `***6789`).
 */
export const maskedVipList = (vip: VipList): VipList => ({ emails: vip.emails.map(maskEmail), phones: vip.phones.map(maskPhone), accounts: vip.accounts.map(maskAccount) });

/** How many entries a VIP list holds, all kinds together. */
export const vipCount = (vip: VipList | undefined): number => (vip ? vip.emails.length + vip.phones.length + vip.accounts.length : 0);

type Problem = { field: string; message: string };

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * What the schema cannot see: references between the settings and to the rest of the desk. The
 * time zone stays the deployment's (the day index of every ticket and the weekly report's weeks
 * are counted in it), so it is changed by a deploy, not here.
 */
export function deskSettingsProblems(
  settings: DeskSettings,
  desk: { agents: ReadonlyArray<{ id: string; team: string }>; timeZone: string; statuses: readonly string[] },
): Problem[] {
  const problems: Problem[] = [];
  // The audit trail keeps the list masked: a body loaded from it must not turn VIPs into stars.
  for (const kind of ['emails', 'phones', 'accounts'] as const) {
    (settings.vip?.[kind] ?? []).forEach((entry, index) => {
      if (entry.includes('***')) problems.push({ field: `vip.${kind}.${index}`, message: 'a masked entry (the history keeps the list masked): enter it in full, or keep the current list' });
    });
  }
  const teamIds = new Set<string>();
  settings.teams.forEach((team, index) => {
    if (teamIds.has(team.id)) problems.push({ field: `teams.${index}.id`, message: `team "${team.id}" is listed twice` });
    teamIds.add(team.id);
    (team.supervisors ?? []).forEach((agentId, at) => {
      if (!desk.agents.some((agent) => agent.id === agentId)) problems.push({ field: `teams.${index}.supervisors.${at}`, message: `no enabled agent "${agentId}"` });
    });
  });
  if (!teamIds.has(settings.defaultTeam)) problems.push({ field: 'defaultTeam', message: `unknown team "${settings.defaultTeam}"` });
  settings.rules.forEach((rule, index) => {
    if (rule.team && !teamIds.has(rule.team)) problems.push({ field: `rules.${index}.team`, message: `unknown team "${rule.team}"` });
  });
  const orphaned = new Map<string, string[]>();
  for (const agent of desk.agents) if (!teamIds.has(agent.team)) orphaned.set(agent.team, [...(orphaned.get(agent.team) ?? []), agent.id]);
  for (const [team, agents] of orphaned) problems.push({ field: 'teams', message: `team "${team}" still has agents (${agents.join(', ')}): move them to another team first` });
  settings.sla.pausedStatuses.forEach((status, index) => {
    if (!desk.statuses.includes(status)) problems.push({ field: `sla.pausedStatuses.${index}`, message: `unknown status "${status}"` });
  });
  if (settings.calendar.timeZone !== desk.timeZone) {
    problems.push({ field: 'calendar.timeZone', message: `the time zone is the deployment's (${desk.timeZone}); change it with a deploy` });
  }
  let openMinutes = 0;
  for (const [day, periods] of Object.entries(settings.calendar.workingHours)) {
    (periods ?? []).forEach((period, index) => {
      const length = minutesOf(period.end) - minutesOf(period.start);
      if (length <= 0) problems.push({ field: `calendar.workingHours.${day}.${index}`, message: `${period.start}-${period.end} ends before it starts` });
      else openMinutes += length;
    });
  }
  const businessClock = (['P1', 'P2', 'P3', 'P4'] as const).some((priority) => settings.sla[priority].clock === 'business') || settings.sla.progressNotes.clock === 'business';
  if (businessClock && openMinutes === 0) problems.push({ field: 'calendar.workingHours', message: 'business-hours deadlines need at least one working period in the week' });
  return problems;
}
