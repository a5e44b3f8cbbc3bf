import { useEffect, useState } from 'react';
import type { DeskSettingsAudit, DeskSettingsView } from '../../../shared/contract/agent-api.js';
import type { DeskSettings } from '../../../shared/config/desk-settings.js';
import { PRIORITIES, TICKET_TYPES, type Priority } from '../../../shared/domain/ticket.js';
import { ApiError } from '../api.js';
import { useSession } from '../context.js';
import { useI18n } from '../i18n.js';
import { editorErrorText, formatWhen } from '../words.js';

/** This page's own words; the shared dictionary stays for words every page uses. */
const WORDS = {
  en: {
    title: 'Desk settings',
    intro:
      'Teams, keyword rules, response times, the business calendar and the VIP list. A save applies to what is decided afterwards (new tickets, the next routing) at once here and within 30 seconds everywhere; deadlines already set stay. Every save is kept below.',
    fromConfig: 'Nothing saved yet: the deployment’s configuration is in force.',
    version: (version: number, by?: string, at?: string) => `Version ${version}${by ? `, saved by ${by}` : ''}${at ? ` at ${formatWhen(at, 'en')}` : ''}`,
    invalidStored: 'The stored settings no longer match this release; the desk runs on the ones shown. Save to repair them.',
    teams: 'Teams',
    teamId: 'Id',
    nameZh: 'Name (Chinese)',
    nameEn: 'Name (English)',
    types: 'Ticket types it takes',
    remove: 'Remove',
    addTeam: 'Add team',
    defaultTeam: 'Default team',
    sla: 'Response times (minutes)',
    priority: 'Priority',
    firstResponse: 'First response',
    plan: 'Plan',
    progress: 'Progress every',
    clock: 'Counted on',
    business: 'business hours',
    wall: 'the wall clock',
    calendar: 'Business calendar',
    timeZone: (zone: string) => `Time zone ${zone} (set by the deployment)`,
    hours: 'Working hours (e.g. 09:00-12:00, 13:00-18:00; empty: closed)',
    weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
    holidays: 'Holidays (one YYYY-MM-DD per line)',
    extraWorkdays: 'Make-up working days (one YYYY-MM-DD per line)',
    rules: 'Keyword rules',
    tag: 'Tag',
    keywords: 'Keywords (comma-separated)',
    type: 'Type',
    team: 'Team',
    any: '—',
    addRule: 'Add rule',
    note: 'What changed and why (kept in the history)',
    save: 'Save settings',
    saved: (version: number) => `Desk settings saved (version ${version})`,
    conflict: 'Another admin saved the settings meanwhile. Reload them, then make your change again.',
    reload: 'Reload',
    history: 'History',
    load: 'Load into the editor',
    loaded: (version: number) => `Version ${version} loaded (the VIP list stays as it is: the history keeps it masked): save to make it current`,
    changed: 'Changed',
    vip: 'VIP customers',
    vipIntro: 'Raised one priority level and served first in their queue. One entry per line. Personal data: only admins see this list.',
    vipNotSaved: 'No VIP list is saved in these settings: the deployment’s configuration is in force until you save one here.',
    vipEmails: 'Email addresses',
    vipPhones: 'Phone numbers',
    vipAccounts: 'Account numbers',
  },
  'zh-CN': {
    title: '服务台设置',
    intro: '团队、关键词规则、响应时限、工作日历与 VIP 名单。保存后对之后的判定（新工单、下一次分派）生效：此处立即生效，其他环节 30 秒内生效；已设定的期限不变。每次保存都记录在下方。',
    fromConfig: '尚未保存：当前使用部署配置。',
    version: (version: number, by?: string, at?: string) => `第 ${version} 版${by ? `，由 ${by} 保存` : ''}${at ? `，${formatWhen(at, 'zh-CN')}` : ''}`,
    invalidStored: '已保存的设置与当前版本不符；服务台按下方显示的设置运行。保存即可修复。',
    teams: '团队',
    teamId: '编号',
    nameZh: '名称（中文）',
    nameEn: '名称（英文）',
    types: '承接的工单类型',
    remove: '删除',
    addTeam: '添加团队',
    defaultTeam: '默认团队',
    sla: '响应时限（分钟）',
    priority: '优先级',
    firstResponse: '首次响应',
    plan: '方案',
    progress: '进展通报间隔',
    clock: '计时方式',
    business: '工作时间',
    wall: '自然时间',
    calendar: '工作日历',
    timeZone: (zone: string) => `时区 ${zone}（由部署设定）`,
    hours: '工作时间（如 09:00-12:00, 13:00-18:00；留空为休息）',
    weekdays: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
    holidays: '节假日（每行一个 YYYY-MM-DD）',
    extraWorkdays: '调休上班日（每行一个 YYYY-MM-DD）',
    rules: '关键词规则',
    tag: '标签',
    keywords: '关键词（逗号分隔）',
    type: '类型',
    team: '团队',
    any: '—',
    addRule: '添加规则',
    note: '修改内容与原因（记入历史）',
    save: '保存设置',
    saved: (version: number) => `已保存服务台设置（第 ${version} 版）`,
    conflict: '其他管理员已保存了设置。请重新加载后再修改。',
    reload: '重新加载',
    history: '历史',
    load: '载入编辑',
    loaded: (version: number) => `已载入第 ${version} 版（VIP 名单保持不变：历史记录中的名单已脱敏）：保存后生效`,
    changed: '修改项',
    vip: 'VIP 客户',
    vipIntro: '优先级提高一级，并在队列中优先处理。每行一项。属于个人信息，仅管理员可见。',
    vipNotSaved: '这些设置中尚未保存 VIP 名单：在此保存之前，使用部署配置中的名单。',
    vipEmails: '邮箱地址',
    vipPhones: '电话号码',
    vipAccounts: '账户号',
  },
} as const;

type Words = (typeof WORDS)[keyof typeof WORDS];
type Team = DeskSettings['teams'][number];
type Rule = DeskSettings['rules'][number];
type Weekday = '1' | '2' | '3' | '4' | '5' | '6' | '7';
const WEEKDAYS: Weekday[] = ['1', '2', '3', '4', '5', '6', '7'];

const list = (text: string, separator: RegExp) => text.split(separator).map((item) => item.trim()).filter(Boolean);
const periodsText = (periods: ReadonlyArray<{ start: string; end: string }> | undefined) => (periods ?? []).map((period) => `${period.start}-${period.end}`).join(', ');
const periodsOf = (text: string) => list(text, /[,，]/).map((period) => {
  const [start = '', end = ''] = period.split(/\s*[-–~]\s*/);
  return { start, end };
});
const minutesOrUndefined = (text: string) => (text.trim() === '' ? undefined : Number(text));

/** Admins: the desk settings document (GET/PUT /api/v1/settings/desk, its audit). */
export function SettingsView() {
  const { api, notify } = useSession();
  const { language, t } = useI18n();
  const words = WORDS[language];
  const [view, setView] = useState<DeskSettingsView>();
  const [draft, setDraft] = useState<DeskSettings>();
  const [audit, setAudit] = useState<DeskSettingsAudit['items']>([]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState(false);

  const load = async () => {
    try {
      const [current, history] = await Promise.all([api.request<DeskSettingsView>('GET', '/settings/desk'), api.request<DeskSettingsAudit>('GET', '/settings/desk/audit')]);
      setView(current);
      setDraft(current.settings);
      setAudit(history.items);
      setConflict(false);
      setError(undefined);
    } catch (cause) {
      setError(editorErrorText(cause, language));
    }
  };
  useEffect(() => {
    void load();
    // Loaded once when the page opens; Reload loads again.
  }, []);

  const save = async () => {
    if (!view || !draft) return;
    try {
      const saved = await api.request<DeskSettingsView>('PUT', '/settings/desk', { version: view.version, settings: draft, ...(note.trim() ? { note: note.trim() } : {}) });
      notify(words.saved(saved.version));
      setNote('');
      await load();
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'settings-changed') setConflict(true);
      setError(editorErrorText(cause, language));
    }
  };

  if (!view || !draft) {
    return (
      <section aria-labelledby="settings-title">
        <h1 id="settings-title">{words.title}</h1>
        {error ? <p role="alert" className="error">{t.actionFailed}: {error}</p> : <p className="muted">…</p>}
      </section>
    );
  }
  const set = (change: Partial<DeskSettings>) => setDraft({ ...draft, ...change });

  return (
    <section aria-labelledby="settings-title">
      <div className="heading">
        <h1 id="settings-title">{words.title}</h1>
        <p className="muted" data-settings-version={view.version}>{view.version === 0 ? words.fromConfig : words.version(view.version, view.updatedBy, view.updatedAt)}</p>
      </div>
      <p className="muted">{words.intro}</p>
      {view.invalidStored && <p role="alert" className="error">{words.invalidStored}</p>}

      <TeamsEditor teams={draft.teams} defaultTeam={draft.defaultTeam} words={words} onChange={set} />
      <SlaEditor sla={draft.sla} words={words} onChange={(sla) => set({ sla })} />
      <CalendarEditor calendar={draft.calendar} words={words} onChange={(calendar) => set({ calendar })} />
      <RulesEditor rules={draft.rules} teams={draft.teams} words={words} onChange={(rules) => set({ rules })} />
      <VipEditor vip={draft.vip} words={words} onChange={(vip) => set({ vip })} />

      <div className="card">
        <label>
          {words.note}
          <input name="settings-note" value={note} maxLength={500} onChange={(event) => setNote(event.target.value)} />
        </label>
        <button type="button" onClick={() => void save()}>{words.save}</button>
        {/* Beside the button the admin pressed, not above a page of settings. */}
        {error && (
          <p role="alert" className="error">
            {conflict ? words.conflict : `${t.actionFailed}: ${error}`} {conflict && <button type="button" onClick={() => void load()}>{words.reload}</button>}
          </p>
        )}
      </div>

      <h2>{words.history}</h2>
      <table aria-label={words.history}>
        <thead>
          <tr><th scope="col">#</th><th scope="col">{words.changed}</th><th scope="col">{words.note}</th><th scope="col">{words.load}</th></tr>
        </thead>
        <tbody>
          {audit.map((entry) => (
            <tr key={entry.version} data-settings-audit={entry.version}>
              <th scope="row">{words.version(entry.version, entry.by, entry.at)}</th>
              <td>{entry.changed.join(', ')}</td>
              <td>{entry.note ?? ''}</td>
              <td>
                <button type="button" className="link" onClick={() => {
                  // The history keeps the VIP list masked: the current list stays (the rest is rolled back).
                  setDraft((current) => ({ ...(entry.settings as DeskSettings), ...(current?.vip ? { vip: current.vip } : {}) }));
                  notify(words.loaded(entry.version));
                }}>{words.load}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function TeamsEditor(props: { teams: Team[]; defaultTeam: string; words: Words; onChange: (change: Partial<DeskSettings>) => void }) {
  const { teams, words } = props;
  const { language } = useI18n();
  const setTeam = (index: number, change: Partial<Team>) => props.onChange({ teams: teams.map((team, at) => (at === index ? { ...team, ...change } : team)) });
  return (
    <fieldset className="card">
      <legend>{words.teams}</legend>
      <table>
        <thead>
          <tr><th scope="col">{words.teamId}</th><th scope="col">{words.nameZh}</th><th scope="col">{words.nameEn}</th><th scope="col">{words.types}</th><th scope="col">{words.remove}</th></tr>
        </thead>
        <tbody>
          {teams.map((team, index) => (
            <tr key={index} data-team-row={index}>
              <td><input aria-label={`${words.teamId} ${index + 1}`} name={`team-${index}-id`} value={team.id} onChange={(event) => setTeam(index, { id: event.target.value })} /></td>
              <td><input aria-label={`${words.nameZh} ${team.id}`} value={team.name['zh-CN']} onChange={(event) => setTeam(index, { name: { ...team.name, 'zh-CN': event.target.value } })} /></td>
              <td><input aria-label={`${words.nameEn} ${team.id}`} value={team.name.en} onChange={(event) => setTeam(index, { name: { ...team.name, en: event.target.value } })} /></td>
              <td>
                <fieldset className="inline">
                  <legend className="visually-hidden">{words.types} {team.id}</legend>
                  {TICKET_TYPES.map((type) => (
                    <label key={type}>
                      <input type="checkbox" checked={team.types.includes(type)}
                        onChange={(event) => setTeam(index, { types: event.target.checked ? TICKET_TYPES.filter((t) => t === type || team.types.includes(t)) : team.types.filter((t) => t !== type) })} />
                      {type}
                    </label>
                  ))}
                </fieldset>
              </td>
              <td><button type="button" className="link" onClick={() => props.onChange({ teams: teams.filter((_, at) => at !== index) })}>{words.remove}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => props.onChange({ teams: [...teams, { id: '', name: { 'zh-CN': '', en: '' }, types: [] }] })}>{words.addTeam}</button>
      <label>
        {words.defaultTeam}
        <select name="default-team" value={props.defaultTeam} onChange={(event) => props.onChange({ defaultTeam: event.target.value })}>
          {teams.map((team) => <option key={team.id} value={team.id}>{team.name[language] || team.id}</option>)}
        </select>
      </label>
    </fieldset>
  );
}

function SlaEditor(props: { sla: DeskSettings['sla']; words: Words; onChange: (sla: DeskSettings['sla']) => void }) {
  const { sla, words } = props;
  const setRule = (priority: Priority, change: Partial<DeskSettings['sla'][Priority]>) => {
    const next = { ...sla[priority], ...change };
    // An emptied optional field is left out, not sent as a blank.
    for (const key of ['planMinutes', 'progressEveryMinutes'] as const) if (next[key] === undefined) delete next[key];
    props.onChange({ ...sla, [priority]: next });
  };
  return (
    <fieldset className="card">
      <legend>{words.sla}</legend>
      <table>
        <thead>
          <tr><th scope="col">{words.priority}</th><th scope="col">{words.firstResponse}</th><th scope="col">{words.plan}</th><th scope="col">{words.progress}</th><th scope="col">{words.clock}</th></tr>
        </thead>
        <tbody>
          {PRIORITIES.map((priority) => (
            <tr key={priority}>
              <th scope="row">{priority}</th>
              <td><input type="number" min={1} aria-label={`${words.firstResponse} ${priority}`} name={`sla-${priority}-first`} value={sla[priority].firstResponseMinutes}
                onChange={(event) => setRule(priority, { firstResponseMinutes: Number(event.target.value) })} /></td>
              <td><input type="number" min={1} aria-label={`${words.plan} ${priority}`} value={sla[priority].planMinutes ?? ''}
                onChange={(event) => setRule(priority, { planMinutes: minutesOrUndefined(event.target.value) })} /></td>
              <td><input type="number" min={1} aria-label={`${words.progress} ${priority}`} value={sla[priority].progressEveryMinutes ?? ''}
                onChange={(event) => setRule(priority, { progressEveryMinutes: minutesOrUndefined(event.target.value) })} /></td>
              <td>
                <select aria-label={`${words.clock} ${priority}`} value={sla[priority].clock} onChange={(event) => setRule(priority, { clock: event.target.value as 'business' | 'wall' })}>
                  <option value="business">{words.business}</option>
                  <option value="wall">{words.wall}</option>
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}

function CalendarEditor(props: { calendar: DeskSettings['calendar']; words: Words; onChange: (calendar: DeskSettings['calendar']) => void }) {
  const { calendar, words } = props;
  // Typed text is kept as typed until the field is left (so "09:00-" can be on its way to "09:00-12:00").
  const [hours, setHours] = useState<Record<Weekday, string>>(() => Object.fromEntries(WEEKDAYS.map((day) => [day, periodsText(calendar.workingHours[day])])) as Record<Weekday, string>);
  useEffect(() => setHours(Object.fromEntries(WEEKDAYS.map((day) => [day, periodsText(calendar.workingHours[day])])) as Record<Weekday, string>), [calendar.workingHours]);
  const commitHours = (day: Weekday, text: string) => {
    const workingHours = { ...calendar.workingHours };
    const periods = periodsOf(text);
    if (periods.length === 0) delete workingHours[day];
    else workingHours[day] = periods;
    props.onChange({ ...calendar, workingHours });
  };
  return (
    <fieldset className="card">
      <legend>{words.calendar}</legend>
      <p className="muted">{words.timeZone(calendar.timeZone)}</p>
      <p>{words.hours}</p>
      {WEEKDAYS.map((day, index) => (
        <label key={day}>
          {words.weekdays[index]}
          <input name={`hours-${day}`} value={hours[day]} onChange={(event) => setHours({ ...hours, [day]: event.target.value })} onBlur={(event) => commitHours(day, event.target.value)} />
        </label>
      ))}
      <label>
        {words.holidays}
        <textarea name="holidays" rows={4} defaultValue={calendar.holidays.join('\n')} key={`h${calendar.holidays.join()}`}
          onBlur={(event) => props.onChange({ ...calendar, holidays: list(event.target.value, /[\s,]+/) })} />
      </label>
      <label>
        {words.extraWorkdays}
        <textarea name="extra-workdays" rows={2} defaultValue={calendar.extraWorkdays.join('\n')} key={`w${calendar.extraWorkdays.join()}`}
          onBlur={(event) => props.onChange({ ...calendar, extraWorkdays: list(event.target.value, /[\s,]+/) })} />
      </label>
    </fieldset>
  );
}

const VIP_KINDS = [
  ['emails', 'vipEmails'],
  ['phones', 'vipPhones'],
  ['accounts', 'vipAccounts'],
] as const;

/**
 * The VIP list, one entry per line. Settings saved before the list moved here have none: the
 * editor then shows it empty and sends one only once an admin types (the API keeps a stored list a
 * save leaves out, so an untouched page never changes it).
 */
function VipEditor(props: { vip: DeskSettings['vip']; words: Words; onChange: (vip: NonNullable<DeskSettings['vip']>) => void }) {
  const { vip, words } = props;
  const current = vip ?? { emails: [], phones: [], accounts: [] };
  return (
    <fieldset className="card" data-vip-saved={vip ? 'yes' : 'no'}>
      <legend>{words.vip}</legend>
      <p className="muted">{words.vipIntro}</p>
      {!vip && <p className="muted">{words.vipNotSaved}</p>}
      {VIP_KINDS.map(([kind, label]) => (
        <label key={kind}>
          {words[label]}
          <textarea name={`vip-${kind}`} rows={4} defaultValue={current[kind].join('\n')} key={`${kind}${current[kind].join()}`}
            onBlur={(event) => {
              const entries = list(event.target.value, /\n/);
              if (vip || entries.length > 0) props.onChange({ ...current, [kind]: entries });
            }} />
        </label>
      ))}
    </fieldset>
  );
}

function RulesEditor(props: { rules: Rule[]; teams: Team[]; words: Words; onChange: (rules: Rule[]) => void }) {
  const { rules, words } = props;
  const setRule = (index: number, change: Partial<Rule>) => {
    props.onChange(rules.map((rule, at) => {
      if (at !== index) return rule;
      const next: Rule = { ...rule, ...change };
      for (const key of ['type', 'team', 'priority'] as const) if (next[key] === undefined) delete next[key];
      return next;
    }));
  };
  return (
    <fieldset className="card">
      <legend>{words.rules}</legend>
      <table>
        <thead>
          <tr><th scope="col">{words.tag}</th><th scope="col">{words.keywords}</th><th scope="col">{words.type}</th><th scope="col">{words.team}</th><th scope="col">{words.priority}</th><th scope="col">{words.remove}</th></tr>
        </thead>
        <tbody>
          {rules.map((rule, index) => (
            <tr key={index} data-rule-row={index}>
              <td><input aria-label={`${words.tag} ${index + 1}`} value={rule.tag} onChange={(event) => setRule(index, { tag: event.target.value })} /></td>
              <td><input aria-label={`${words.keywords} ${index + 1}`} defaultValue={rule.keywords.join(', ')} key={rule.keywords.join('|')}
                onBlur={(event) => setRule(index, { keywords: list(event.target.value, /[,，]/) })} /></td>
              <td>
                <select aria-label={`${words.type} ${index + 1}`} value={rule.type ?? ''} onChange={(event) => setRule(index, { type: (event.target.value || undefined) as Rule['type'] })}>
                  <option value="">{words.any}</option>
                  {TICKET_TYPES.map((type) => <option key={type} value={type}>{type}</option>)}
                </select>
              </td>
              <td>
                <select aria-label={`${words.team} ${index + 1}`} value={rule.team ?? ''} onChange={(event) => setRule(index, { team: event.target.value || undefined })}>
                  <option value="">{words.any}</option>
                  {props.teams.map((team) => <option key={team.id} value={team.id}>{team.id}</option>)}
                </select>
              </td>
              <td>
                <select aria-label={`${words.priority} ${index + 1}`} value={rule.priority ?? ''} onChange={(event) => setRule(index, { priority: (event.target.value || undefined) as Rule['priority'] })}>
                  <option value="">{words.any}</option>
                  {PRIORITIES.map((priority) => <option key={priority} value={priority}>{priority}</option>)}
                </select>
              </td>
              <td><button type="button" className="link" onClick={() => props.onChange(rules.filter((_, at) => at !== index))}>{words.remove}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => props.onChange([...rules, { tag: '', keywords: [] }])}>{words.addRule}</button>
    </fieldset>
  );
}
