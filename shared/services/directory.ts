import { agentSchema, type AgentConfig } from '../config/schema.js';
import type { Runtime } from './context.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import type { AgentRecord, DirectoryAuditEntry, RuntimeStore } from './ports.js';

/**
 * The agent directory: who works the desk, in which team, with which roles and notice setting.
 * It lives in the table (not in a deploy-time variable), so admins add, change and disable agents
 * through the API without a redeploy and without Lambda's 4 KB environment limit. On AWS each
 * agent has a Cognito user, provisioned here through the `AgentIdentities` port; the user's `sub`
 * is recorded on the agent and is the only claim the API matches a token on.
 *
 * Every function reads the directory into `runtime.config.agents` (enabled agents only) and keeps
 * it for `DIRECTORY_TTL_MS`: a change reaches the function that made it at once and every other
 * function within that time.
 */

const DIRECTORY_TTL_MS = 30_000;

/** What an admin sets when adding an agent (the `sub` comes from provisioning, never from the caller). */
export type NewAgent = Omit<AgentConfig, 'sub' | 'disabled' | 'available'> & { available?: boolean };
/** What an admin may change; the id, email and `sub` stay. */
export type AgentChange = Partial<Pick<AgentConfig, 'name' | 'team' | 'roles' | 'available' | 'disabled' | 'notices'>>;

interface Snapshot {
  /** When the directory was last read; undefined before the first read and after an invalidation. */
  loadedAt?: number;
  /** Whether a directory was ever applied (a failed re-read then keeps it). */
  loaded: boolean;
  pending?: Promise<void>;
}

const snapshots = new WeakMap<object, Snapshot>();

/** The agents the desk works with: enabled directory records, without the bookkeeping fields. */
export function activeAgents(records: readonly AgentRecord[]): AgentConfig[] {
  return records.filter((record) => !record.disabled).map(stripBookkeeping);
}

/**
 * Brings `runtime.config.agents` up to date with the directory in the table. The first read, and
 * the first after `invalidateDirectory`, is awaited; once the last read is older than `ttlMs`, the
 * directory is read again in the background while the caller goes on with the one it has (a slow
 * or unreachable table never holds up a request that already has a directory). A failed first
 * read reaches the caller (a transient error answers 503); a failed re-read keeps the last good one.
 *
 * @example
 * const runtime = await getRuntime();
 * await refreshDirectory(runtime);
 * runtime.config.agents; // the enabled agents of the table's directory
 */
export async function refreshDirectory(runtime: Runtime<RuntimeStore>, options: { ttlMs?: number; now?: number } = {}): Promise<void> {
  const now = options.now ?? Date.now();
  let snapshot = snapshots.get(runtime);
  if (!snapshot) {
    snapshot = { loaded: false };
    snapshots.set(runtime, snapshot);
  }
  if (snapshot.loadedAt !== undefined && now - snapshot.loadedAt < (options.ttlMs ?? DIRECTORY_TTL_MS)) return;
  const current = snapshot;
  const mustWait = current.loadedAt === undefined;
  current.pending ??= runtime.store
    .listAgentRecords()
    .then((records) => {
      // Only the agents change: the desk settings (./desk-settings.ts) are applied to the same config.
      runtime.config = { ...runtime.config, agents: activeAgents(records) };
      current.loadedAt = now;
      current.loaded = true;
    })
    .finally(() => {
      current.pending = undefined;
    });
  const pending = current.pending;
  if (mustWait && !current.loaded) {
    await pending;
    return;
  }
  try {
    if (mustWait) await pending;
    else void pending.catch(() => undefined);
  } catch {
    // The table could not be read just now: the directory read before stands until the next try.
  }
}

/** The next `refreshDirectory` reads the table again and waits for it (after this function changed the directory). */
export function invalidateDirectory(runtime: Runtime<unknown>): void {
  const snapshot = snapshots.get(runtime);
  if (snapshot) snapshot.loadedAt = undefined;
}

export class DirectoryService {
  constructor(private readonly runtime: Runtime) {}

  async list(): Promise<AgentRecord[]> {
    return this.runtime.store.listAgentRecords();
  }

  async get(agentId: string): Promise<AgentRecord> {
    const record = (await this.list()).find((candidate) => candidate.id === agentId);
    if (!record) throw new NotFoundError('agent', agentId);
    return record;
  }

  audit(agentId: string): Promise<DirectoryAuditEntry[]> {
    return this.runtime.store.agentAudit(agentId);
  }

  /**
   * Adds an agent: on AWS first its Cognito user (an invitation mail with a temporary password)
   * and its groups, then the record with the user's `sub`.
   */
  async add(input: NewAgent, by: string): Promise<AgentRecord> {
    const agent = this.validate({ ...input, available: input.available ?? true });
    const records = await this.list();
    if (records.some((record) => record.id === agent.id)) throw new ConflictError(`agent ${agent.id} already exists`, { code: 'agent-exists' });
    if (records.some((record) => record.email.toLowerCase() === agent.email.toLowerCase())) {
      throw new ConflictError(`another agent already signs in as ${agent.email}`, { code: 'agent-email-taken' });
    }
    const identities = this.runtime.identities;
    let sub: string | undefined;
    if (identities) {
      sub = (await identities.provision({ email: agent.email, name: agent.name })).sub;
      if (records.some((record) => record.sub === sub)) throw new ConflictError(`the sign-in user of ${agent.email} belongs to another agent`, { code: 'agent-email-taken' });
      await identities.setRoles(sub, agent.roles);
    }
    const at = this.runtime.clock.now().toISOString();
    const record: AgentRecord = { ...agent, ...(sub ? { sub } : {}), version: 1, updatedAt: at, updatedBy: by };
    await this.runtime.store.putAgentRecord(record, 0, { agentId: agent.id, at, by, action: 'added', changes: visibleFields(record) });
    invalidateDirectory(this.runtime);
    return record;
  }

  /**
   * Changes an agent the caller last saw at `version`. The record is written first (the API reads
   * roles and `disabled` from it, so a removal takes effect at once), then the Cognito user is
   * brought in line: its groups always, its enabled state when it changed. Saving again repairs a
   * Cognito call that failed.
   */
  async update(agentId: string, change: AgentChange, version: number, by: string): Promise<AgentRecord> {
    const current = await this.get(agentId);
    if (current.version !== version) throw new ConflictError(`agent ${agentId} changed since version ${version}`, { code: 'agent-changed' });
    const next = this.validate({ ...stripBookkeeping(current), ...definedOnly(change) });
    const changes = Object.fromEntries(Object.entries(definedOnly(change)).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify((current as unknown as Record<string, unknown>)[key])));
    const at = this.runtime.clock.now().toISOString();
    const record: AgentRecord = { ...next, ...(current.sub ? { sub: current.sub } : {}), version: current.version + 1, updatedAt: at, updatedBy: by };
    const action: DirectoryAuditEntry['action'] = 'disabled' in changes ? (record.disabled ? 'disabled' : 'enabled') : 'changed';
    await this.runtime.store.putAgentRecord(record, current.version, { agentId, at, by, action, changes });
    invalidateDirectory(this.runtime);
    const identities = this.runtime.identities;
    if (identities && record.sub) {
      if ('disabled' in changes) await identities.setEnabled(record.sub, !record.disabled);
      await identities.setRoles(record.sub, record.roles);
    }
    return record;
  }

  /**
   * Gives an agent recorded without a sign-in user (imported, or added locally) its Cognito user
   * and groups, and records the user's `sub`. An agent already linked is returned as it is.
   */
  async linkSignIn(agentId: string, by: string): Promise<AgentRecord> {
    const current = await this.get(agentId);
    const identities = this.runtime.identities;
    if (current.sub || !identities) return current;
    const { sub } = await identities.provision({ email: current.email, name: current.name });
    await identities.setRoles(sub, current.roles);
    const at = this.runtime.clock.now().toISOString();
    const record: AgentRecord = { ...current, sub, version: current.version + 1, updatedAt: at, updatedBy: by };
    await this.runtime.store.putAgentRecord(record, current.version, { agentId, at, by, action: 'changed', changes: { sub } });
    invalidateDirectory(this.runtime);
    return record;
  }

  /**
   * Puts every given agent that the directory does not have yet (by id); existing records win.
   * The local runtime seeds its directory from its configuration this way, and the import command
   * moves a deployment's former `agents` configuration into the table. Returns the ids added.
   */
  async seed(agents: readonly AgentConfig[], by: string): Promise<string[]> {
    const existing = new Set((await this.list()).map((record) => record.id));
    const added: string[] = [];
    const at = this.runtime.clock.now().toISOString();
    for (const input of agents) {
      if (existing.has(input.id)) continue;
      const agent = this.validate(input);
      const record: AgentRecord = { ...agent, version: 1, updatedAt: at, updatedBy: by };
      try {
        await this.runtime.store.putAgentRecord(record, 0, { agentId: agent.id, at, by, action: 'imported', changes: visibleFields(record) });
        added.push(agent.id);
      } catch (error) {
        // Another process seeded the same agent meanwhile: theirs stands.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    if (added.length > 0) invalidateDirectory(this.runtime);
    return added;
  }

  private validate(input: unknown): AgentConfig {
    const result = agentSchema.safeParse(input);
    const fields = result.success ? [] : result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
    const agent = result.success ? result.data : undefined;
    if (agent && !this.runtime.config.teams.some((team) => team.id === agent.team)) fields.push({ field: 'team', message: `unknown team "${agent.team}"` });
    if (!agent || fields.length > 0) throw new ValidationError('The agent is not valid.', fields);
    return agent;
  }
}

function stripBookkeeping(record: AgentRecord): AgentConfig {
  const { version, updatedAt, updatedBy, ...agent } = record;
  void version;
  void updatedAt;
  void updatedBy;
  return agent;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

/** What the audit keeps of a new record: everything an admin set (the `sub` is an id, not a secret). */
function visibleFields(record: AgentRecord): Record<string, unknown> {
  return definedOnly({ name: record.name, email: record.email, team: record.team, roles: record.roles, available: record.available, notices: record.notices, sub: record.sub });
}
