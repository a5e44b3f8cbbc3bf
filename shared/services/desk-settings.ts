import { DESK_SETTINGS_FIELDS, deskSettingsOf, deskSettingsProblems, deskSettingsSchema, type DeskSettings } from '../config/desk-settings.js';
import { TICKET_STATUSES } from '../domain/ticket.js';
import type { Runtime } from './context.js';
import type { SettingsDocuments } from './ports.js';
import { SettingsDocumentService, type SettingsDefinition, type SettingsView } from './settings.js';

/**
 * The desk settings (teams, keyword rules, default team, response-time policy, business
 * calendar) as the settings document `desk`: admins change them in the console or the API, with a
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
    name: DESK_SETTINGS_DOCUMENT,
    schema: deskSettingsSchema,
    defaults: (runtime) => deskSettingsOf(runtime.config),
    // Tickets keep flowing on the settings in force when an upgrade's schema refuses the stored ones.
    whenStoredInvalid: 'defaults',
    check: (settings, runtime) =>
      deskSettingsProblems(settings, { agents: runtime.config.agents, timeZone: runtime.config.calendar.timeZone, statuses: TICKET_STATUSES }),
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
export async function refreshDeskSettings(runtime: Runtime<SettingsDocuments>, options: { ttlMs?: number; now?: number } = {}): Promise<SettingsView<DeskSettings>> {
  const view = await deskSettings(runtime).currentView(options);
  if (view.version > 0 && !DESK_SETTINGS_FIELDS.every((field) => runtime.config[field] === view.body[field])) {
    runtime.config = { ...runtime.config, ...view.body };
  }
  return view;
}
