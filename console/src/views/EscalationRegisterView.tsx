import { useState } from 'react';
import { useSession } from '../context.js';
import { fw, reasonText } from '../follow-words.js';
import { usePolling } from '../hooks.js';
import { label, useI18n } from '../i18n.js';
import { Link } from '../Link.js';
import { errorText } from '../words.js';

/** The escalation register (GET /api/v1/escalations): one row per escalation of a desk week, newest first. */
export function EscalationRegisterView() {
  const { api, me } = useSession();
  const { t, language } = useI18n();
  const [week, setWeek] = useState('');
  const polled = usePolling(() => api.escalationRegister(week || undefined), `register:${week}`, 30_000);
  const rows = polled.data?.items ?? [];
  const agent = (id: string | undefined) => (id ? (me.agents.find((candidate) => candidate.agentId === id)?.name ?? id) : '—');
  const team = (id: string) => me.teams.find((candidate) => candidate.id === id)?.name[language] ?? id;
  const when = (at: string | undefined) => (at ? new Date(at).toLocaleString() : '—');

  return (
    <section aria-labelledby="register-title">
      <div className="heading">
        <h1 id="register-title">{fw('register', language)}</h1>
        <p className="muted">{polled.data?.week ?? ''} · {rows.length}</p>
      </div>
      <p className="filters">
        <label htmlFor="register-week">{fw('week', language)}</label>{' '}
        <input id="register-week" placeholder={polled.data?.week ?? 'YYYY-Www'} value={week} pattern="\d{4}-W\d{2}" onChange={(event) => setWeek(/^\d{4}-W\d{2}$/.test(event.target.value) || event.target.value === '' ? event.target.value : week)} />
      </p>
      {polled.error !== undefined && <p role="alert" className="error">{t.actionFailed}: {errorText(polled.error, language)}</p>}
      {!polled.loading && rows.length === 0 && <p>{t.empty}</p>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="queue register">
            <thead>
              <tr>
                <th scope="col">{fw('raised', language)}</th>
                <th scope="col">{t.ticket}</th>
                <th scope="col">{t.customer}</th>
                <th scope="col">{fw('description', language)}</th>
                <th scope="col">{fw('severity', language)}</th>
                <th scope="col">{fw('reason', language)}</th>
                <th scope="col">{fw('firstAction', language)}</th>
                <th scope="col">{fw('receiving', language)}</th>
                <th scope="col">{fw('expected', language)}</th>
                <th scope="col">{fw('actual', language)}</th>
                <th scope="col">{fw('solution', language)}</th>
                <th scope="col">{fw('satisfaction', language)}</th>
                <th scope="col">{fw('handler', language)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.escalationId} data-escalation={row.escalationId}>
                  <td>{when(row.raisedAt)}{row.secondTierAt ? <><br />{fw('secondTier', language)}: {when(row.secondTierAt)}</> : null}</td>
                  <td><Link to={`/tickets/${row.ticketNo}`}>{row.ticketNo}</Link></td>
                  <td>{row.customer.name ?? row.customer.email ?? row.customer.phone ?? '—'}</td>
                  <td className="subject">{row.description}</td>
                  <td>{label(language, row.severity)}</td>
                  <td>{reasonText(row.reason, language)}</td>
                  <td>{row.firstAction ? `${label(language, row.firstAction.kind)} · ${agent(row.firstAction.by)} · ${when(row.firstAction.at)}` : '—'}</td>
                  <td>{team(row.receivingTeam)} / {row.receivingPersons.map(agent).join(', ') || '—'}</td>
                  <td>{when(row.expectedResolutionAt)}</td>
                  <td>{when(row.actualResolutionAt)}</td>
                  <td>{row.solution ?? '—'}</td>
                  <td>{row.satisfaction ?? '—'}</td>
                  <td>{agent(row.handler ?? row.handlerAtRaise)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
