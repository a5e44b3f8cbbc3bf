import { DESK_SETTINGS_FIELDS, deskSettingsOf, deskSettingsProblems, deskSettingsSchema, maskedVipList, vipCount, type DeskSettings, type VipList } from '../config/desk-settings.js';
import { TICKET_STATUSES } from '../domain/ticket.js';
import type { Runtime } from './context.js';
import type { SettingsDocuments, SettingsReading } from './ports.js';
import { SettingsDocumentService, SettingsReader, type SettingsDefinition, type SettingsView } from './settings.js';

/**
 * The desk settings (teams, keyword rules, default team, response-time policy, business
 * calendar, VIP list) as the settings document `desk`: admins change them in the console or the API, with a
 * version check and an audit entry, and every function picks the change up within 30 s without a
 * redeploy. Until the first save the deployment's configuration is in force (version 0).
 *
 * A change applies to what is decided after it: a new ticket's team and deadlines, the next
 * routing. Deadlines already set on open tickets stay as they were computed.
 */

const DESK_SETTINGS_DOCUMENT = 'desk';

/** The desk settings as a settings document of `runtime` (its defaults: the runtime's own configuration). */
function deskSettingsDefinition(): SettingsDefinition<DeskSettings> {
  return {
    ...deskSettingsReading(),
    // Settings saved before the VIP list moved here have none: a save that leaves it out keeps the stored one.
    keptWhenLeftOut: ['vip'],
    // Supervisors and admins see and edit the list in full; its audit trail keeps it masked.
    forAudit: (settings) => (settings.vip ? { ...settings, vip: maskedVipList(settings.vip) } : settings),
    check: (settings, runtime) =>
      deskSettingsProblems(settings, { agents: runtime.config.agents, timeZone: runtime.config.calendar.timeZone, statuses: TICKET_STATUSES }),
  };
}

/** What reading the desk settings needs of their definition (every runtime's refresh; no saves, so no checks). */
function deskSettingsReading(): SettingsDefinition<DeskSettings, SettingsReading> {
  return {
    name: DESK_SETTINGS_DOCUMENT,
    schema: deskSettingsSchema,
    defaults: (runtime) => deskSettingsOf(runtime.config),
    // Tickets keep flowing on the settings in force when an upgrade's schema refuses the stored ones.
    whenStoredInvalid: 'defaults',
  };
}

export const deskSettings = (runtime: Runtime<SettingsDocuments>): SettingsDocumentService<DeskSettings> => new SettingsDocumentService(runtime, deskSettingsDefinition());

/**
 * Brings `runtime.config`'s desk settings up to date with the table (the cached read of
 * `SettingsDocumentService.current`: at most 30 s old, a failed refresh keeps the last good copy).
 * Nothing saved yet leaves the configuration as it is.
 *
 * @example
 * const runtime = await getRuntime();
 * await refreshDeskSettings(runtime);
 * runtime.config.teams; // the teams an admin saved, or the configuration's
 */
export async function refreshDeskSettings(runtime: Runtime<SettingsReading>, options: { ttlMs?: number; now?: number } = {}): Promise<SettingsView<DeskSettings>> {
  const view = await new SettingsReader(runtime, deskSettingsReading()).currentView(options);
  // A field the document does not hold (the VIP list, in settings saved before it moved here) stays as configured.
  const held = DESK_SETTINGS_FIELDS.filter((field) => view.body[field] !== undefined);
  if (view.version > 0 && !held.every((field) => runtime.config[field] === view.body[field])) {
    runtime.config = { ...runtime.config, ...Object.fromEntries(held.map((field) => [field, view.body[field]])) };
  }
  return view;
}

/** What `importVipList` did: added the list as a new version, or why it left the settings as they were. */
export type VipImport =
  | { outcome: 'added'; version: number; entries: number }
  | { outcome: 'present'; entries: number }
  | { outcome: 'empty' }
  | { outcome: 'not-saved' }
  | { outcome: 'stored-invalid' };

/**
 * The migration of the VIP list out of the deployment's configuration (where every function's
 * environment carried it) into saved desk settings that predate the field: adds `vip` as a new
 * version with its audit entry, and changes nothing else. A list already in the settings is never
 * replaced (admins keep it in the console; an empty one may be filled), an empty file list is not written, settings never saved are
 * left to `seed`, and stored settings the schema refuses are left for an admin to repair.
 */
export async function importVipList(runtime: Runtime<SettingsDocuments>, vip: VipList, by: string, note: string): Promise<VipImport> {
  const settings = deskSettings(runtime);
  const view = await settings.read();
  if (view.version === 0) return { outcome: 'not-saved' };
  if (view.invalidStored) return { outcome: 'stored-invalid' };
  if (vipCount(view.body.vip) > 0) return { outcome: 'present', entries: vipCount(view.body.vip) };
  if (vipCount(vip) === 0) return { outcome: 'empty' };
  const saved = await settings.save({ ...view.body, vip }, view.version, by, note);
  return { outcome: 'added', version: saved.version, entries: vipCount(vip) };
}
