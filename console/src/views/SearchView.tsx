import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { SearchResponse } from '../api.js';
import { useNames, useSession } from '../context.js';
import { ColumnHeads } from './Page.js';
import { label, useI18n } from '../i18n.js';
import { Link } from '../Link.js';
import { interpretQuery } from '../search-query.js';
import { errorText } from '../words.js';

const STATUSES = ['new', 'needs-confirmation', 'open', 'waiting-on-customer', 'resolved', 'closed', 'reopened'];
const CHANNELS = ['email', 'form', 'phone', 'chat'];

interface Criteria {
  q: string;
  from: string;
  to: string;
  status: string;
  team: string;
  assignee: string;
  tag: string;
  channel: string;
}

const EMPTY: Criteria = { q: '', from: '', to: '', status: '', team: '', assignee: '', tag: '', channel: '' };

function criteriaFromUrl(): Criteria {
  const params = new URLSearchParams(window.location.search);
  return Object.fromEntries(Object.keys(EMPTY).map((key) => [key, params.get(key) ?? ''])) as unknown as Criteria;
}

export function SearchView() {
  const { api, me } = useSession();
  const { t, language } = useI18n();
  const [criteria, setCriteria] = useState<Criteria>(criteriaFromUrl);
  const [result, setResult] = useState<SearchResponse>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLInputElement>(null);
  const en = language === 'en';

  const run = async (next: Criteria) => {
    const { q, ...rest } = next;
    const query = { ...interpretQuery(q), ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== '')) };
    if (Object.keys(query).length === 0) return;
    const url = new URLSearchParams(Object.entries(next).filter(([, value]) => value !== ''));
    window.history.replaceState(null, '', `${window.location.pathname}?${url}`);
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.search(query));
    } catch (cause) {
      setResult(undefined);
      setError(errorText(cause, language));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    box.current?.focus();
    if (Object.values(criteria).some((value) => value !== '')) void run(criteria);
    // Runs once for a search opened from a link; later searches run on submit.
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(criteria);
  };
  const set = (key: keyof Criteria) => (event: { target: { value: string } }) => setCriteria((current) => ({ ...current, [key]: event.target.value }));
  const names = useNames();

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{en ? 'Search' : '搜索'}</h1>
      <form role="search" onSubmit={submit} className="search-form">
        <div className="field">
          <label htmlFor="search-q">{en ? 'Ticket number, email, phone, order number or words' : '工单号、邮箱、电话、订单号或关键词'}</label>
          <input id="search-q" ref={box} type="search" value={criteria.q} onChange={set('q')} autoComplete="off" />
        </div>
        <div className="grid4">
          <div className="field"><label htmlFor="search-from">{en ? 'Created from' : '创建日期自'}</label><input id="search-from" type="date" value={criteria.from} onChange={set('from')} /></div>
          <div className="field"><label htmlFor="search-to">{en ? 'to' : '至'}</label><input id="search-to" type="date" value={criteria.to} onChange={set('to')} /></div>
          <div className="field">
            <label htmlFor="search-status">{t.status}</label>
            <select id="search-status" value={criteria.status} onChange={set('status')}>
              <option value="">{en ? 'Any' : '全部'}</option>
              <option value="new,needs-confirmation,open,waiting-on-customer,reopened">{en ? 'Any open' : '所有未完成'}</option>
              {STATUSES.map((status) => <option key={status} value={status}>{label(language, status)}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="search-team">{t.team}</label>
            <select id="search-team" value={criteria.team} onChange={set('team')}>
              <option value="">{en ? 'Any' : '全部'}</option>
              {me.teams.map((team) => <option key={team.id} value={team.id}>{team.name[language]}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="search-assignee">{t.assignee}</label>
            <select id="search-assignee" value={criteria.assignee} onChange={set('assignee')}>
              <option value="">{en ? 'Anyone' : '任何人'}</option>
              {me.agents.map((agent) => <option key={agent.agentId} value={agent.agentId}>{agent.name}</option>)}
            </select>
          </div>
          <div className="field"><label htmlFor="search-tag">{t.tags}</label><input id="search-tag" value={criteria.tag} onChange={set('tag')} /></div>
          <div className="field">
            <label htmlFor="search-channel">{en ? 'Channel' : '渠道'}</label>
            <select id="search-channel" value={criteria.channel} onChange={set('channel')}>
              <option value="">{en ? 'Any' : '全部'}</option>
              {CHANNELS.map((channel) => <option key={channel} value={channel}>{{ email: en ? 'Email' : '邮件', form: en ? 'Web form' : '网页表单', phone: en ? 'Phone' : '电话', chat: en ? 'Chat' : '在线聊天' }[channel]}</option>)}
            </select>
          </div>
        </div>
        <button type="submit" disabled={busy}>{en ? 'Search' : '搜索'}</button>
        <button type="button" className="link" onClick={() => { setCriteria(EMPTY); setResult(undefined); }}>{en ? 'Clear' : '清除'}</button>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
      {busy && <p>{t.loading}</p>}
      {result && (
        <div aria-live="polite">
          <p className="muted">{en ? `${result.items.length} found` : `找到 ${result.items.length} 个`}{result.partial ? (en ? ' · older matches may exist: narrow the dates or add a criterion' : ' · 可能还有更早的结果：请缩小日期范围或增加条件') : ''}</p>
          {result.items.length > 0 && (
            <table className="queue results">
              <ColumnHeads columns={[t.ticket, t.created, t.subject, t.customer, t.status, t.team, t.assignee]} />
              <tbody>
                {result.items.map((item) => (
                  <tr key={item.ticketNo} data-ticket={item.ticketNo}>
                    <td data-label={t.ticket}><Link to={`/tickets/${item.ticketNo}`}>{item.ticketNo}</Link></td>
                    <td data-label={t.created}><time dateTime={item.createdAt}>{new Date(item.createdAt).toLocaleDateString(en ? 'en-GB' : 'zh-CN')}</time></td>
                    <td data-label={t.subject} className="subject">{item.subject}</td>
                    <td data-label={t.customer}>{item.customer.name ?? item.customer.email ?? item.customer.phone ?? '—'}</td>
                    <td data-label={t.status}>{label(language, item.status)}</td>
                    <td data-label={t.team}>{names.team(item.team)}</td>
                    <td data-label={t.assignee}>{item.assignee ? names.agent(item.assignee) : t.unassigned}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
