import * as z from 'zod/mini';
import type { Runtime } from './context.js';
import { ConflictError, ServiceError, ValidationError } from './errors.js';
import type { SettingsAuditEntry, SettingsDocument, SettingsDocuments, SettingsReading } from './ports.js';

/**
 * Versioned settings documents: desk configuration that admins and supervisors change while the
 * desk runs (desk settings, macros...), one named document each, kept in the table through the
 * `SettingsDocuments` port. This module is the one mechanism for all of them:
 *
 * - a document is defined once (`SettingsDefinition`): its name, its zod schema, and the body the
 *   desk uses while nobody has saved one (usually the deployment's configuration file);
 * - a save names the version its editor saw; a save over a newer version is a `ConflictError`
 *   (409, code `settings-changed`), so two admins never silently overwrite each other;
 * - every save writes an audit entry (who, when, which fields, the whole body) in the same
 *   transaction as the document;
 * - readers on the hot path (`current`) keep a copy per runtime: the first read is awaited, later
 *   reads older than `ttlMs` refresh in the background, a failed refresh keeps the last good copy,
 *   and a save applies at once in the process that made it (others within `ttlMs`).
 *
 * @example
 * const macros = new SettingsDocumentService(runtime, { name: 'macros', schema: macrosSchema, defaults: () => ({ macros: [] }) });
 * const { body, version } = await macros.read();
 * await macros.save({ macros: [...body.macros, added] }, version, agentId);
 * const live = await macros.current(); // cached, for handlers that read it on every request
 *
 * Code that only reads (every runtime's refresh of the desk settings) uses `SettingsReader`, the
 * reading half, which needs only `SettingsReading` of the store: form-intake's bundle (size goal,
 * docs/performance.md) then carries no saves, seeds or audits.
 */

const SETTINGS_TTL_MS = 30_000;

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

export interface SettingsDefinition<Body, StoreParts extends SettingsReading = SettingsDocuments> {
  /** The document's name in the table (`SETTINGS` / `<name>`): lower-case words joined by `-`. */
  name: string;
  /** What a saved body must be (zod or zod/mini); parsing may fill defaults, and what it returns is what is stored. */
  schema: z.core.$ZodType<Body>;
  /** The body in force while nothing was ever saved. */
  defaults: (runtime: Runtime<StoreParts>) => Body;
  /** Checks that need the rest of the desk (a team that exists, an agent that exists); each problem names its field. */
  check?: (body: Body, runtime: Runtime<StoreParts>) => Array<{ field: string; message: string }>;
  /**
   * A stored body the schema no longer accepts (an upgrade tightened it): by default reading it is
   * an `InvalidStoredSettingsError`; with `defaults`, the defaults stand in (at the stored version,
   * so an editor can save over it) and the view lists what is wrong in `invalidStored`.
   */
  whenStoredInvalid?: 'throw' | 'defaults';
  /**
   * A migration read: where a release before this document kept the same data. While nothing was
   * saved, `read` offers what it returns (when the schema accepts it) instead of the defaults, still
   * at version 0, so the first save writes it into the document and the old place is never read again.
   */
  legacy?: (runtime: Runtime<StoreParts>) => Promise<unknown>;
  /**
   * What the audit trail keeps of a body: personal data in it masked (the VIP list). The document
   * itself stays whole for its editors; the trail, which outlives every entry removed since and is
   * read by more people, never holds it. Applied when a save is audited and again when the trail is
   * read, so entries written before the mask are shown masked too.
   */
  forAudit?: (body: Body) => Body;
  /**
   * Top-level fields added after documents were saved: a save whose body leaves one out keeps the
   * stored value, so an editor or client that predates the field cannot wipe it.
   */
  keptWhenLeftOut?: readonly string[];
}

/** A document as its editors see it. `version` 0 means nothing was saved yet and `body` is the defaults. */
export interface SettingsView<Body> {
  name: string;
  version: number;
  body: Body;
  updatedAt?: string;
  updatedBy?: string;
  /** Set when the stored body did not match the schema and the defaults stand in (see `whenStoredInvalid`). */
  invalidStored?: Array<{ field: string; message: string }>;
}

/** A stored body that the schema no longer accepts (an upgrade tightened it): editors must save a valid one. */
export class InvalidStoredSettingsError extends ServiceError {
  override name = 'InvalidStoredSettingsError';
  constructor(
    readonly document: string,
    readonly fields: Array<{ field: string; message: string }>,
  ) {
    super(`The stored settings document ${document} does not match its schema.`);
  }
}

interface CacheEntry {
  view?: SettingsView<unknown>;
  loadedAt?: number;
  pending?: Promise<SettingsView<unknown>>;
}

const caches = new WeakMap<object, Map<string, CacheEntry>>();

function cacheEntry(runtime: Runtime<unknown>, name: string): CacheEntry {
  let byName = caches.get(runtime);
  if (!byName) {
    byName = new Map();
    caches.set(runtime, byName);
  }
  let entry = byName.get(name);
  if (!entry) {
    entry = {};
    byName.set(name, entry);
  }
  return entry;
}

/** The next `current` of this document (every document when no name is given) reads the table and waits for it. */
export function invalidateSettings(runtime: Runtime<unknown>, name?: string): void {
  const byName = caches.get(runtime);
  if (!byName) return;
  for (const [key, entry] of byName) if (name === undefined || key === name) entry.loadedAt = undefined;
}

/** The reading half of a settings document: `read`, and the cached `current` for hot paths. */
export class SettingsReader<Body, StoreParts extends SettingsReading = SettingsReading> {
  constructor(
    protected readonly runtime: Runtime<StoreParts>,
    protected readonly definition: SettingsDefinition<Body, StoreParts>,
  ) {
    if (!NAME.test(definition.name)) throw new Error(`settings document name "${definition.name}" must be lower-case words joined by "-"`);
  }

  get name(): string {
    return this.definition.name;
  }

  /** The document as stored now (a consistent read), or the defaults at version 0. */
  async read(): Promise<SettingsView<Body>> {
    const stored = await this.runtime.store.getSettingsDocument(this.definition.name);
    if (!stored) return { name: this.definition.name, version: 0, body: (await this.legacyBody()) ?? this.definition.defaults(this.runtime) };
    const parsed = z.safeParse(this.definition.schema, stored.body);
    if (!parsed.success) {
      if (this.definition.whenStoredInvalid !== 'defaults') throw new InvalidStoredSettingsError(this.definition.name, fieldErrors(parsed.error));
      return { name: stored.name, version: stored.version, body: this.definition.defaults(this.runtime), updatedAt: stored.updatedAt, updatedBy: stored.updatedBy, invalidStored: fieldErrors(parsed.error) };
    }
    return { name: stored.name, version: stored.version, body: parsed.data, updatedAt: stored.updatedAt, updatedBy: stored.updatedBy };
  }

  /**
   * The body in force, for code that reads it on every request: a copy at most `ttlMs` old
   * answers without a read (see the module comment for how it refreshes).
   */
  async current(options: { ttlMs?: number; now?: number } = {}): Promise<Body> {
    return (await this.currentView(options)).body;
  }

  /** Like `current`, with the version and who saved it. */
  async currentView(options: { ttlMs?: number; now?: number } = {}): Promise<SettingsView<Body>> {
    const now = options.now ?? Date.now();
    const entry = cacheEntry(this.runtime, this.definition.name);
    const fresh = entry.view && entry.loadedAt !== undefined && now - entry.loadedAt < (options.ttlMs ?? SETTINGS_TTL_MS);
    if (fresh) return entry.view as SettingsView<Body>;
    entry.pending ??= this.read()
      .then((view) => {
        entry.view = view as SettingsView<unknown>;
        entry.loadedAt = now;
        return entry.view;
      })
      .finally(() => {
        entry.pending = undefined;
      });
    const pending = entry.pending;
    if (!entry.view || entry.loadedAt === undefined) return (await pending) as SettingsView<Body>;
    // A stale copy answers now; the read in flight replaces it (or fails, and the copy stands).
    void pending.catch(() => undefined);
    return entry.view as SettingsView<Body>;
  }

  /** The body kept where a release before this document stored it, if any and still valid. */
  protected async legacyBody(): Promise<Body | undefined> {
    if (!this.definition.legacy) return undefined;
    const old = await this.definition.legacy(this.runtime);
    if (old === undefined) return undefined;
    const parsed = z.safeParse(this.definition.schema, old);
    return parsed.success ? parsed.data : undefined;
  }
}

/** A settings document with its saves, seed and audit trail (see the module comment). */
export class SettingsDocumentService<Body, StoreParts extends SettingsDocuments = SettingsDocuments> extends SettingsReader<Body, StoreParts> {
  /**
   * Validates and saves a new body over `expectedVersion` (0 when nothing was saved yet), with its
   * audit entry. A body equal to the stored one is not saved again (no empty audit entries).
   */
  async save(input: unknown, expectedVersion: number, by: string, note?: string): Promise<SettingsView<Body>> {
    const previous = await this.runtime.store.getSettingsDocument(this.definition.name);
    const body = this.validate(withKeptFields(input, previous?.body, this.definition.keptWhenLeftOut ?? []));
    const previousVersion = previous?.version ?? 0;
    if (previousVersion !== expectedVersion) {
      throw new ConflictError(`settings ${this.definition.name} changed since version ${expectedVersion}`, { code: 'settings-changed' });
    }
    const before = previous?.body ?? (await this.legacyBody()) ?? this.definition.defaults(this.runtime);
    const changed = changedFields(before, body);
    if (previous && changed.length === 0) return this.read();
    const at = this.runtime.clock.now().toISOString();
    const document: SettingsDocument<Body> = { name: this.definition.name, version: expectedVersion + 1, body, updatedAt: at, updatedBy: by };
    const audit: SettingsAuditEntry<Body> = { name: this.definition.name, version: document.version, at, by, changed, body: this.audited(body), ...(note ? { note } : {}) };
    await this.runtime.store.putSettingsDocument(document, expectedVersion, audit);
    const view: SettingsView<Body> = { name: document.name, version: document.version, body, updatedAt: at, updatedBy: by };
    const entry = cacheEntry(this.runtime, this.definition.name);
    entry.view = view as SettingsView<unknown>;
    entry.loadedAt = Date.now();
    return view;
  }

  /**
   * Saves `input` as version 1 unless a version exists (an existing document always wins): the
   * first deploy's seed and the migration from a configuration file. True when it was saved.
   */
  async seed(input: unknown, by: string, note = 'seeded'): Promise<boolean> {
    const body = this.validate(input);
    if (await this.runtime.store.getSettingsDocument(this.definition.name)) return false;
    const at = this.runtime.clock.now().toISOString();
    try {
      await this.runtime.store.putSettingsDocument(
        { name: this.definition.name, version: 1, body, updatedAt: at, updatedBy: by },
        0,
        { name: this.definition.name, version: 1, at, by, changed: changedFields(undefined, body), body: this.audited(body), note },
      );
    } catch (error) {
      // Another process seeded it meanwhile: theirs stands.
      if ((error as { code?: string }).code === 'settings-changed') return false;
      throw error;
    }
    invalidateSettings(this.runtime, this.definition.name);
    return true;
  }

  /** The document's saves, newest first; bodies the schema no longer accepts are shown as stored. */
  async audit(limit = 50): Promise<Array<SettingsAuditEntry<Body>>> {
    const entries = (await this.runtime.store.settingsAudit(this.definition.name, limit)) as Array<SettingsAuditEntry<Body>>;
    return entries.map((entry) => ({ ...entry, body: this.audited(entry.body) }));
  }

  /** A body as the audit trail keeps it (`forAudit`); a stored body it cannot read is shown as stored. */
  private audited(body: Body): Body {
    try {
      return this.definition.forAudit ? this.definition.forAudit(body) : body;
    } catch {
      return body;
    }
  }

  /** The body `input` would be saved as, or a `ValidationError` naming every field that is wrong. */
  validate(input: unknown): Body {
    const parsed = z.safeParse(this.definition.schema, input);
    const fields = parsed.success ? (this.definition.check?.(parsed.data, this.runtime) ?? []) : fieldErrors(parsed.error);
    if (!parsed.success || fields.length > 0) throw new ValidationError(`The ${this.definition.name} settings are not valid.`, fields);
    return parsed.data;
  }
}

/** `input` with each of `fields` it leaves out taken from the stored body (where that has it). */
function withKeptFields(input: unknown, stored: unknown, fields: readonly string[]): unknown {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(input) || !isObject(stored)) return input;
  const kept = fields.filter((field) => !(field in input) && stored[field] !== undefined);
  return kept.length === 0 ? input : { ...input, ...Object.fromEntries(kept.map((field) => [field, stored[field]])) };
}

function fieldErrors(error: z.core.$ZodError): Array<{ field: string; message: string }> {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(body)', message: issue.message }));
}

/** The top-level fields that differ (the whole body is `(body)` when it is not an object). */
export function changedFields(before: unknown, after: unknown): string[] {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(after) || (before !== undefined && !isObject(before))) return JSON.stringify(before) === JSON.stringify(after) ? [] : ['(body)'];
  const old = before ?? {};
  const keys = [...new Set([...Object.keys(old), ...Object.keys(after)])].sort();
  return keys.filter((key) => JSON.stringify(old[key]) !== JSON.stringify(after[key]));
}
