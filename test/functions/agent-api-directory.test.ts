import { beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/config/schema.js';
import { DirectoryService, invalidateDirectory, refreshDirectory } from '../../shared/services/directory.js';
import type { AgentIdentities } from '../../shared/services/ports.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { allRoles, callAgentApi } from '../support/agent-api.js';

/*
 * Issue 13 item 3: the agent directory is data in the table, changed by admins through the API,
 * which provisions the Cognito user (here a recording stand-in of the AgentIdentities port; the
 * Cognito adapter itself is tested against the SDK in test/shared/adapters/cognito-identities.test.ts).
 */

/** What the user pool would hold: one user per email, its groups and whether it is enabled. */
class RecordingIdentities implements AgentIdentities {
  readonly users = new Map<string, { email: string; groups: Role[]; enabled: boolean }>();
  readonly calls: string[] = [];
  async provision(agent: { email: string; name: string }): Promise<{ sub: string }> {
    this.calls.push(`provision ${agent.email}`);
    const existing = [...this.users.entries()].find(([, user]) => user.email === agent.email);
    if (existing) return { sub: existing[0] };
    const sub = `sub-${this.users.size + 1}-0000-4000-8000-000000000000`;
    this.users.set(sub, { email: agent.email, groups: [], enabled: true });
    return { sub };
  }
  async setRoles(sub: string, roles: readonly Role[]): Promise<void> {
    this.calls.push(`roles ${sub} ${roles.join(',')}`);
    this.users.get(sub)!.groups = [...roles];
  }
  async setEnabled(sub: string, enabled: boolean): Promise<void> {
    this.calls.push(`enabled ${sub} ${enabled}`);
    this.users.get(sub)!.enabled = enabled;
  }
}

let runtime: TestRuntime;
let identities: RecordingIdentities;

/** Every request reads the directory as a fresh function would. */
const getRuntime = async () => {
  invalidateDirectory(runtime);
  await refreshDirectory(runtime);
  return runtime;
};

beforeEach(async () => {
  runtime = await testRuntime();
  identities = new RecordingIdentities();
  runtime.identities = identities;
  await new DirectoryService(runtime).seed(runtime.config.agents, 'test');
});

/** As the local runtime signs in (agent id as subject). */
async function asLocal(agentId: string, method: string, path: string, body?: unknown) {
  return callAgentApi(getRuntime, allRoles(agentId), method, path, { body });
}

/** As the deployed API sees a Cognito token: verified claims from the authoriser, no local auth. */
async function asCognito(sub: string, groups: string, path = '/api/v1/me') {
  return callAgentApi(getRuntime, undefined, 'GET', path, { claims: { sub, 'cognito:groups': groups, token_use: 'access' } });
}

const erin = { id: 'erin', name: 'Erin Xu', email: 'erin@support.example.com', team: 'technical', roles: ['agent'], notices: 'digest' };

describe('agent API: the agent directory', () => {
  it('lists the directory with the teams, for admins only', async () => {
    const list = await asLocal('root', 'GET', '/api/v1/agents');
    expect(list.status).toBe(200);
    expect((list.body.items as Array<{ id: string }>).map((agent) => agent.id)).toEqual(['alice', 'bob', 'carol', 'dave', 'quinn', 'root', 'sam']);
    expect((list.body.teams as Array<{ id: string }>).map((team) => team.id)).toEqual(['technical', 'after-sales', 'general']);
    expect((await asLocal('sam', 'GET', '/api/v1/agents')).status).toBe(403);
    expect((await asLocal('alice', 'POST', '/api/v1/agents', erin)).status).toBe(403);
  });

  it('adds an agent: Cognito user and group first, the sub recorded, and the new agent can work at once', async () => {
    const added = await asLocal('root', 'POST', '/api/v1/agents', erin);
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ id: 'erin', team: 'technical', roles: ['agent'], notices: 'digest', signInLinked: true, disabled: false, version: 1, updatedBy: 'root' });
    const sub = [...identities.users.keys()][0]!;
    expect(identities.calls).toEqual([`provision erin@support.example.com`, `roles ${sub} agent`]);
    expect((await runtime.store.listAgentRecords()).find((record) => record.id === 'erin')?.sub).toBe(sub);

    const me = await asCognito(sub, '[agent]');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ agentId: 'erin', team: 'technical', roles: ['agent'] });
    // The agent id is not a subject on AWS, and another sub is nobody.
    expect((await asCognito('erin', '[agent]')).status).toBe(403);
  });

  it('changes team, roles and notices; the token then carries only roles the directory grants', async () => {
    await asLocal('root', 'POST', '/api/v1/agents', erin);
    const sub = [...identities.users.keys()][0]!;
    const changed = await asLocal('root', 'PUT', '/api/v1/agents/erin', { version: 1, team: 'after-sales', roles: ['agent', 'supervisor'], notices: 'off' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ team: 'after-sales', roles: ['agent', 'supervisor'], notices: 'off', version: 2 });
    expect(identities.users.get(sub)?.groups).toEqual(['agent', 'supervisor']);
    expect((await asCognito(sub, '[agent supervisor admin]')).body).toMatchObject({ team: 'after-sales', roles: ['agent', 'supervisor'] });

    const audit = await asLocal('root', 'GET', '/api/v1/agents/erin/audit');
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'changed', by: 'root', changes: { team: 'after-sales', roles: ['agent', 'supervisor'], notices: 'off' } }),
      expect.objectContaining({ action: 'added', by: 'root', changes: expect.objectContaining({ email: 'erin@support.example.com' }) }),
    ]);
  });

  it('disables an agent: the Cognito user is disabled and signed out, the API refuses the agent at once, routing skips them', async () => {
    await asLocal('root', 'POST', '/api/v1/agents', erin);
    const sub = [...identities.users.keys()][0]!;
    expect((await asCognito(sub, '[agent]')).status).toBe(200);
    const disabled = await asLocal('root', 'PUT', '/api/v1/agents/erin', { version: 1, disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ disabled: true, version: 2 });
    expect(identities.users.get(sub)?.enabled).toBe(false);
    expect((await asCognito(sub, '[agent]')).status).toBe(403);
    await getRuntime();
    expect(runtime.config.agents.map((agent) => agent.id)).not.toContain('erin');
    // Still listed for admins (the history names them), and can be enabled again.
    const enabled = await asLocal('root', 'PUT', '/api/v1/agents/erin', { version: 2, disabled: false });
    expect(enabled.body).toMatchObject({ disabled: false, version: 3 });
    expect(identities.users.get(sub)?.enabled).toBe(true);
    expect((await asCognito(sub, '[agent]')).status).toBe(200);
  });

  it('refuses bad input with a field, a duplicate id or email, a stale version, and an admin locking themself out', async () => {
    const badTeam = await asLocal('root', 'POST', '/api/v1/agents', { ...erin, team: 'nowhere' });
    expect(badTeam.status).toBe(400);
    expect(badTeam.body.errors).toEqual([expect.objectContaining({ field: 'team' })]);
    expect((await asLocal('root', 'POST', '/api/v1/agents', { ...erin, roles: ['owner'] })).status).toBe(400);
    expect((await asLocal('root', 'POST', '/api/v1/agents', { ...erin, sub: 'chosen-by-caller' })).status).toBe(400);
    expect((await asLocal('root', 'POST', '/api/v1/agents', erin)).status).toBe(200);
    expect((await asLocal('root', 'POST', '/api/v1/agents', erin)).body).toMatchObject({ status: 409, code: 'agent-exists' });
    expect((await asLocal('root', 'POST', '/api/v1/agents', { ...erin, id: 'erin2' })).body).toMatchObject({ status: 409, code: 'agent-email-taken' });
    expect((await asLocal('root', 'PUT', '/api/v1/agents/erin', { version: 1, name: 'Erin' })).status).toBe(200);
    expect((await asLocal('root', 'PUT', '/api/v1/agents/erin', { version: 1, name: 'Erin X' })).body).toMatchObject({ status: 409, code: 'agent-changed' });
    expect((await asLocal('root', 'PUT', '/api/v1/agents/nobody', { version: 1, name: 'X' })).status).toBe(404);
    expect((await asLocal('root', 'PUT', '/api/v1/agents/root', { version: 1, disabled: true })).body).toMatchObject({ status: 409, code: 'own-admin' });
    expect((await asLocal('root', 'PUT', '/api/v1/agents/root', { version: 1, roles: ['supervisor'] })).body).toMatchObject({ status: 409, code: 'own-admin' });
  });

  it('seeding keeps what the table has: a configured agent changed in the table stays as changed', async () => {
    await asLocal('root', 'PUT', '/api/v1/agents/alice', { version: 1, team: 'general' });
    expect(await new DirectoryService(runtime).seed(runtime.config.agents, 'test')).toEqual([]);
    expect((await runtime.store.listAgentRecords()).find((record) => record.id === 'alice')).toMatchObject({ team: 'general', version: 2 });
  });
});
