import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../local/agents.js';
import type { Role } from '../../shared/config/schema.js';
import type { AgentIdentities } from '../../shared/services/ports.js';
import { freshTable } from '../support/dynamodb.js';

/** The user pool as the CLI would change it (the Cognito adapter has its own SDK-level test). */
function recordingPool() {
  const users = new Map<string, { email: string; groups: readonly Role[] }>();
  const identities: AgentIdentities = {
    provision: async ({ email }) => {
      const sub = `sub-of-${email}`;
      users.set(sub, { email, groups: [] });
      return { sub };
    },
    setRoles: async (sub, roles) => void (users.get(sub)!.groups = roles),
    setEnabled: async () => undefined,
  };
  return { users, identities };
}

async function run(argv: string[], identities?: AgentIdentities) {
  const lines: string[] = [];
  const code = await main(argv, (line) => lines.push(line), identities ? { identities } : {});
  return { code, out: lines.join('\n') };
}

describe('npm run agents', () => {
  it('adds the first admin of a new deployment with a Cognito user, and lists the directory', async () => {
    const { endpoint, tableName } = await freshTable('agents-cli');
    const pool = recordingPool();
    const added = await run(['add', '--table', tableName, '--endpoint', endpoint, '--user-pool', 'pool', '--id', 'ann', '--name', 'Ann Admin', '--email', 'ann@support.example.com', '--team', 'general', '--roles', 'admin,supervisor'], pool.identities);
    expect(added).toMatchObject({ code: 0 });
    expect(added.out).toContain('added ann (admin, supervisor, general)');
    expect(pool.users.get('sub-of-ann@support.example.com')?.groups).toEqual(['admin', 'supervisor']);
    const listed = await run(['list', '--table', tableName, '--endpoint', endpoint]);
    expect(listed.out).toBe('ann\tAnn Admin\tann@support.example.com\tgeneral\tadmin,supervisor\tenabled\tsign-in linked');
  });

  it('refuses an unknown role and a missing user pool before touching anything', async () => {
    const { endpoint, tableName } = await freshTable('agents-cli');
    expect((await run(['add', '--table', tableName, '--endpoint', endpoint, '--user-pool', 'p', '--id', 'x', '--name', 'X', '--email', 'x@y.example', '--roles', 'owner'], recordingPool().identities)).out).toContain('unknown role(s): owner');
    expect((await run(['add', '--table', tableName, '--endpoint', endpoint, '--id', 'x', '--name', 'X', '--email', 'x@y.example', '--roles', 'admin'])).code).toBe(2);
    expect((await run(['list', '--table', tableName, '--endpoint', endpoint])).out).toBe('');
  });

  it('imports a former agents list: keeps recorded subs, creates sign-in users for the rest, and is idempotent', async () => {
    const { endpoint, tableName } = await freshTable('agents-cli');
    const file = join(mkdtempSync(join(tmpdir(), 'agents-cli-')), 'desk.json');
    writeFileSync(
      file,
      JSON.stringify({
        teams: [{ id: 'support', name: { 'zh-CN': '支持', en: 'Support' } }],
        defaultTeam: 'support',
        agents: [
          { id: 'ann', name: 'Ann', email: 'ann@support.example.com', team: 'support', roles: ['admin'], sub: 'recorded-sub-1' },
          { id: 'bo', name: 'Bo', email: 'bo@support.example.com', team: 'support', roles: ['agent'], notices: 'digest' },
        ],
      }),
    );
    const first = await run(['import', file, '--table', tableName, '--endpoint', endpoint]);
    expect(first.out).toContain('imported 2 of 2 agent(s): ann, bo');
    expect(first.out).toContain('no sign-in user for bo');
    const pool = recordingPool();
    const second = await run(['import', file, '--table', tableName, '--endpoint', endpoint, '--user-pool', 'pool'], pool.identities);
    expect(second.out).toContain('imported 0 of 2 agent(s); 2 already in the table kept theirs');
    expect(second.out).toContain('created the sign-in user of bo');
    expect([...pool.users.keys()]).toEqual(['sub-of-bo@support.example.com']);
    const listed = await run(['list', '--table', tableName, '--endpoint', endpoint]);
    expect(listed.out.split('\n')).toEqual([
      'ann\tAnn\tann@support.example.com\tsupport\tadmin\tenabled\tsign-in linked',
      'bo\tBo\tbo@support.example.com\tsupport\tagent\tenabled\tsign-in linked',
    ]);
  });
});
