import { can, type Principal } from '../domain/authorization.js';
import { DEFAULT_MACROS, macroSettingsSchema, type Macro, type MacroSettings } from '../templates/macros.js';
import type { Runtime } from './context.js';
import { ForbiddenError } from './errors.js';
import { SettingsDocumentService, type SettingsView } from './settings.js';

/**
 * The desk's macros as supervisors edit them: one settings document (`SETTINGS` / `macros`,
 * shared/services/settings.ts), versioned and audited, the built-in six until a supervisor saves.
 * Every agent reads them; the reply path reads the cached copy (`current`), so a save reaches
 * other processes within the settings cache's 30 s.
 */

const MACROS_DOCUMENT = 'macros';

function macroSettings(runtime: Runtime): SettingsDocumentService<MacroSettings> {
  return new SettingsDocumentService<MacroSettings>(runtime, { name: MACROS_DOCUMENT, schema: macroSettingsSchema, defaults: () => ({ macros: DEFAULT_MACROS }) });
}

export interface MacroView {
  items: Macro[];
  /** The version a save must name (0 while the built-in macros are in force). */
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

const view = (settings: SettingsView<MacroSettings>): MacroView => ({
  items: settings.body.macros,
  version: settings.version,
  ...(settings.updatedAt ? { updatedAt: settings.updatedAt } : {}),
  ...(settings.updatedBy ? { updatedBy: settings.updatedBy } : {}),
});

export class MacroService {
  private readonly settings: SettingsDocumentService<MacroSettings>;

  constructor(runtime: Runtime) {
    this.settings = macroSettings(runtime);
  }

  /** The macros in force, for every agent who answers customers (the cached copy). */
  async list(principal: Principal): Promise<MacroView> {
    if (!can(principal, 'read-templates')) throw new ForbiddenError('not allowed to read macros');
    return view(await this.settings.currentView());
  }

  /** The macros in force for the reply path (no permission check: the reply itself is checked). */
  async inForce(): Promise<Macro[]> {
    return (await this.settings.current()).macros;
  }

  /**
   * Replaces the desk's macros (supervisors and admins). `version` is the one the editor read: a
   * save over a newer one is refused (409 `settings-changed`), so two supervisors never overwrite
   * each other. Every save is audited with who, when and the whole list.
   */
  async save(principal: Principal, macros: unknown, version: number, note?: string): Promise<MacroView> {
    if (!can(principal, 'edit-templates')) throw new ForbiddenError('not allowed to edit macros');
    return view(await this.settings.save({ macros }, version, principal.agentId, note));
  }

  /** Who changed the macros, when, and to what (newest first). */
  async audit(principal: Principal, limit = 20): Promise<Array<{ version: number; at: string; by: string; note?: string; ids: string[] }>> {
    if (!can(principal, 'edit-templates')) throw new ForbiddenError('not allowed to edit macros');
    return (await this.settings.audit(limit)).map((entry) => ({ version: entry.version, at: entry.at, by: entry.by, ...(entry.note ? { note: entry.note } : {}), ids: entry.body.macros.map((macro) => macro.id) }));
  }
}
