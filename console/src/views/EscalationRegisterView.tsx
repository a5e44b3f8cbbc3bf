import { useState } from 'react';
import { useNames, useSession } from '../context.js';
import { usePolling } from '../hooks.js';
import { label, useI18n, wordFor } from '../i18n.js';
import { Link } from '../Link.js';
import { eventSentence } from '../words.js';
import { ColumnHeads, ListPage, When } from './Page.js';

/** The escalation register (GET /api/v1/escalations): one row per escalation of a desk week, newest first. */
export function EscalationRegisterView() {
  const { api } = useSession();
  const { t, language } = useI18n();
  // What is typed stays in the field; the register follows once it is a whole week (or empty: this week).
  const [typed, setTyped] = useState('');
  const [week, setWeek] = useState('');
  const chooseWeek = (text: string) => {
    setTyped(text);
    const trimmed = text.trim().toUpperCase();
    if (trimmed === '' || /^\d{4}-W\d{2}$/.test(trimmed)) setWeek(trimmed);
  };
  const polled = usePolling(() => api.escalationRegister(week || undefined), `register:${week}`, 30_000);
  const rows = polled.data?.items ?? [];
  const names = useNames();
  const agent = (id: string | undefined) => (id ? names.agent(id) : '—');

  return (
    <ListPage
      name="register"
      title={t.register}
      polled={polled}
      count={rows.length}
      emptyText={t.emptyRegister}
      meta={`${polled.data?.week ?? ''} · ${rows.length}`}
      above={
        <p className="filters">
          <label htmlFor="register-week">{t.week}</label>{' '}
          <input id="register-week" placeholder={polled.data?.week ?? 'YYYY-Www'} value={typed} pattern="\d{4}-W\d{2}" onChange={(event) => chooseWeek(event.target.value)} />
        </p>
      }
    >
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="queue register">
            <ColumnHeads
              columns={[
                t.raised,
                t.ticket,
                t.customer,
                t.description,
                t.severity,
                t.reason,
                t.firstAction,
                t.receiving,
                t.expected,
                t.actual,
                t.solution,
                t.satisfaction,
                t.handler,
              ]}
            />
            <tbody>
              {rows.map((row) => (
                <tr key={row.escalationId} data-escalation={row.escalationId}>
                  <td data-label={t.raised}><When at={row.raisedAt} />{row.secondTierAt ? <><br />{t.secondTier}: <When at={row.secondTierAt} /></> : null}</td>
                  <td data-label={t.ticket}><Link to={`/tickets/${row.ticketNo}`}>{row.ticketNo}</Link></td>
                  <td data-label={t.customer}>{row.customer.name ?? row.customer.email ?? row.customer.phone ?? '—'}</td>
                  <td data-label={t.description} className="subject">{row.description}</td>
                  <td data-label={t.severity}>{label(language, row.severity)}</td>
                  <td data-label={t.reason}>{wordFor(t, row.reason)}</td>
                  <td data-label={t.firstAction}>{row.firstAction ? <>{eventSentence({ kind: row.firstAction.kind, actor: row.firstAction.by, detail: {} }, language, names)} <When at={row.firstAction.at} /></> : '—'}</td>
                  <td data-label={t.receiving}>{names.team(row.receivingTeam)} / {row.receivingPersons.map(agent).join(', ') || '—'}</td>
                  <td data-label={t.expected}><When at={row.expectedResolutionAt} /></td>
                  <td data-label={t.actual}><When at={row.actualResolutionAt} /></td>
                  <td data-label={t.solution}>{row.solution ?? '—'}</td>
                  <td data-label={t.satisfaction}>{row.satisfaction ?? '—'}</td>
                  <td data-label={t.handler}>{agent(row.handler ?? row.handlerAtRaise)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </ListPage>
  );
}
