import { useState, type FormEvent } from 'react';
import { NOTICE_SETTINGS, type AgentDirectory, type AgentRecordView } from '../../../shared/contract/agent-api.js';
import { ROLES, type Role } from '../../../shared/config/schema.js';
import { useSession } from '../context.js';
import { usePolling } from '../hooks.js';
import { useI18n } from '../i18n.js';
import { ColumnHeads, ListPage, Problem } from './Page.js';

type NoticeSetting = (typeof NOTICE_SETTINGS)[number];

/** This page's own words; the shared dictionary stays for words every page uses. */
const WORDS = {
  en: {
    title: 'Agents',
    intro:
      'Who works the desk. Adding an agent creates their sign-in user, and they receive an invitation mail with a temporary password. A change applies at once here and within 30 seconds everywhere; disabling signs the agent out and stops new work, and keeps their history.',
    id: 'Id',
    name: 'Name',
    email: 'Email',
    team: 'Team',
    roles: 'Roles',
    notices: 'Mail notices',
    available: 'Takes new tickets',
    state: 'State',
    enabled: 'enabled',
    disabled: 'disabled',
    noSignIn: 'no sign-in user',
    add: 'Add agent',
    save: 'Save',
    disable: 'Disable',
    enable: 'Enable',
    added: (id: string) => `${id} added`,
    saved: (id: string) => `${id} saved`,
    confirmDisable: (name: string) => `Disable ${name}? They are signed out and get no new tickets; their tickets stay assigned until someone reassigns them.`,
    roleNames: { agent: 'agent', supervisor: 'supervisor', qa: 'QA', admin: 'admin' } as Record<Role, string>,
    noticeNames: { immediate: 'each at once', digest: 'in a digest', off: 'off' } as Record<NoticeSetting, string>,
  },
  'zh-CN': {
    title: '客服人员',
    intro: '管理服务台人员。添加后系统会为其创建登录账号，并发送带临时密码的邀请邮件。修改在此处立即生效，其他环节 30 秒内生效；停用会使其退出登录、不再分配新工单，历史记录保留。',
    id: '编号',
    name: '姓名',
    email: '邮箱',
    team: '团队',
    roles: '角色',
    notices: '邮件通知',
    available: '接收新工单',
    state: '状态',
    enabled: '启用',
    disabled: '已停用',
    noSignIn: '无登录账号',
    add: '添加人员',
    save: '保存',
    disable: '停用',
    enable: '启用',
    added: (id: string) => `已添加 ${id}`,
    saved: (id: string) => `已保存 ${id}`,
    confirmDisable: (name: string) => `确定停用 ${name}？其将退出登录且不再分配新工单；已分配的工单需另行转派。`,
    roleNames: { agent: '客服', supervisor: '主管', qa: '质检', admin: '管理员' } as Record<Role, string>,
    noticeNames: { immediate: '逐条发送', digest: '汇总发送', off: '关闭' } as Record<NoticeSetting, string>,
  },
} as const;

/** Admins: the agent directory (GET/POST /api/v1/agents, PUT /api/v1/agents/{id}). */
export function AgentsView() {
  const { api, notify } = useSession();
  const { language } = useI18n();
  const words = WORDS[language];
  const polled = usePolling(() => api.request<AgentDirectory>('GET', '/agents'), 'agents', 60_000);
  // A refusal is shown where the admin acted: above the list for a row, under the form for a new agent.
  const [error, setError] = useState<{ on: 'list' | 'add'; cause: unknown }>();
  const teams = polled.data?.teams ?? [];

  // Until a change is saved and the list read again, no other change is offered: a second one
  // would carry the row's old version and be refused as "changed meanwhile".
  const [busy, setBusy] = useState(false);
  const run = async (on: 'list' | 'add', action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action();
      notify(done);
      setError(undefined);
      await polled.refresh();
      return true;
    } catch (cause) {
      setError({ on, cause });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const items = polled.data?.items ?? [];
  return (
    <ListPage name="agents" title={words.title} polled={polled} count={items.length} above={<p className="muted">{words.intro}</p>}>
      {error?.on === 'list' && <Problem error={error.cause} />}
      {items.length > 0 && (
        <table>
          <ColumnHeads columns={[words.name, words.team, words.roles, words.notices, words.available, words.state, words.save]} />
          <tbody>
            {items.map((agent) => (
              <AgentRow key={`${agent.id}.${agent.version}`} agent={agent} teams={teams} words={words} busy={busy}
                onSave={(change) => run('list', () => api.request('PUT', `/agents/${encodeURIComponent(agent.id)}`, { version: agent.version, ...change }), words.saved(agent.id))} />
            ))}
          </tbody>
        </table>
      )}
      <NewAgentForm teams={teams} words={words} error={error?.on === 'add' ? error.cause : undefined} onAdd={(agent) => run('add', () => api.request('POST', '/agents', agent), words.added(agent.id))} />
    </ListPage>
  );
}

type Words = (typeof WORDS)[keyof typeof WORDS];
type Change = Partial<Pick<AgentRecordView, 'team' | 'roles' | 'notices' | 'available' | 'disabled'>>;

function RoleBoxes(props: { name: string; roles: Role[]; words: Words; onChange: (roles: Role[]) => void }) {
  return (
    <fieldset className="inline">
      <legend className="visually-hidden">{props.words.roles}</legend>
      {ROLES.map((role) => (
        <label key={role}>
          <input type="checkbox" name={`${props.name}-${role}`} checked={props.roles.includes(role)}
            onChange={(event) => props.onChange(event.target.checked ? ROLES.filter((r) => r === role || props.roles.includes(r)) : props.roles.filter((r) => r !== role))} />
          {props.words.roleNames[role]}
        </label>
      ))}
    </fieldset>
  );
}

function AgentRow(props: { agent: AgentRecordView; teams: AgentDirectory['teams']; words: Words; busy: boolean; onSave: (change: Change) => Promise<boolean> }) {
  const { agent, words } = props;
  const { language } = useI18n();
  const [team, setTeam] = useState(agent.team);
  const [roles, setRoles] = useState<Role[]>(agent.roles);
  const [notices, setNotices] = useState<NoticeSetting>(agent.notices ?? 'immediate');
  const [available, setAvailable] = useState(agent.available);
  const changed = team !== agent.team || roles.join() !== agent.roles.join() || notices !== (agent.notices ?? 'immediate') || available !== agent.available;
  return (
    <tr data-agent={agent.id} className={agent.disabled ? 'muted' : undefined}>
      <th scope="row">{agent.name}<br /><span className="small muted">{agent.id} · {agent.email}</span></th>
      <td>
        <select aria-label={`${words.team} ${agent.name}`} value={team} onChange={(event) => setTeam(event.target.value)}>
          {props.teams.map((option) => <option key={option.id} value={option.id}>{option.name[language] ?? option.id}</option>)}
        </select>
      </td>
      <td><RoleBoxes name={agent.id} roles={roles} words={words} onChange={setRoles} /></td>
      <td>
        <select aria-label={`${words.notices} ${agent.name}`} value={notices} onChange={(event) => setNotices(event.target.value as NoticeSetting)}>
          {NOTICE_SETTINGS.map((setting) => <option key={setting} value={setting}>{words.noticeNames[setting]}</option>)}
        </select>
      </td>
      <td><input type="checkbox" aria-label={`${words.available} ${agent.name}`} checked={available} onChange={(event) => setAvailable(event.target.checked)} /></td>
      <td>
        {agent.disabled ? words.disabled : words.enabled}
        {!agent.signInLinked && <><br /><span className="small muted">{words.noSignIn}</span></>}
      </td>
      <td>
        <button type="button" disabled={props.busy || !changed || roles.length === 0} onClick={() => void props.onSave({ team, roles, notices, available })}>{words.save}</button>{' '}
        {agent.disabled ? (
          <button type="button" className="link" disabled={props.busy} onClick={() => void props.onSave({ disabled: false })}>{words.enable}</button>
        ) : (
          <button type="button" className="link" disabled={props.busy} onClick={() => window.confirm(words.confirmDisable(agent.name)) && void props.onSave({ disabled: true })}>{words.disable}</button>
        )}
      </td>
    </tr>
  );
}

function NewAgentForm(props: { teams: AgentDirectory['teams']; words: Words; error?: unknown; onAdd: (agent: { id: string; name: string; email: string; team: string; roles: Role[]; notices: NoticeSetting }) => Promise<boolean> }) {
  const { words } = props;
  const { language } = useI18n();
  const empty = { id: '', name: '', email: '', team: '', roles: ['agent'] as Role[], notices: 'immediate' as NoticeSetting };
  const [draft, setDraft] = useState(empty);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await props.onAdd({ ...draft, team: draft.team || props.teams[0]?.id || '' })) setDraft(empty);
  };
  const field = (key: 'id' | 'name' | 'email', type = 'text') => (
    <label>
      {words[key]}
      <input name={`new-${key}`} type={type} required value={draft[key]} onChange={(event) => setDraft({ ...draft, [key]: event.target.value })} />
    </label>
  );
  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-labelledby="new-agent-title">
      <h2 id="new-agent-title">{words.add}</h2>
      {field('id')}
      {field('name')}
      {field('email', 'email')}
      <label>
        {words.team}
        <select name="new-team" value={draft.team || props.teams[0]?.id || ''} onChange={(event) => setDraft({ ...draft, team: event.target.value })}>
          {props.teams.map((option) => <option key={option.id} value={option.id}>{option.name[language] ?? option.id}</option>)}
        </select>
      </label>
      <RoleBoxes name="new" roles={draft.roles} words={words} onChange={(roles) => setDraft({ ...draft, roles })} />
      <label>
        {words.notices}
        <select name="new-notices" value={draft.notices} onChange={(event) => setDraft({ ...draft, notices: event.target.value as NoticeSetting })}>
          {NOTICE_SETTINGS.map((setting) => <option key={setting} value={setting}>{words.noticeNames[setting]}</option>)}
        </select>
      </label>
      <button type="submit" disabled={draft.roles.length === 0}>{words.add}</button>
      {props.error !== undefined && <Problem error={props.error} />}
    </form>
  );
}
