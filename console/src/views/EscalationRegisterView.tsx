import { useState } from 'react';
import { useNames, useSession } from '../context.js';
import { usePolling } from '../hooks.js';
import { label, useI18n, wordFor } from '../i18n.js';
import { Link } from '../Link.js';
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
                  <td><When at={row.raisedAt} />{row.secondTierAt ? <><br />{t.secondTier}: <When at={row.secondTierAt} /></> : null}</td>
                  <td><Link to={`/tickets/${row.ticketNo}`}>{row.ticketNo}</Link></td>
                  <td>{row.customer.name ?? row.customer.email ?? row.customer.phone ?? '—'}</td>
                  <td className="subject">{row.description}</td>
                  <td>{label(language, row.severity)}</td>
                  <td>{wordFor(t, row.reason)}</td>
                  <td>{row.firstAction ? <>{label(language, row.firstAction.kind)} · {agent(row.firstAction.by)} · <When at={row.firstAction.at} /></> : '—'}</td>
                  <td>{names.team(row.receivingTeam)} / {row.receivingPersons.map(agent).join(', ') || '—'}</td>
                  <td><When at={row.expectedResolutionAt} /></td>
                  <td><When at={row.actualResolutionAt} /></td>
                  <td>{row.solution ?? '—'}</td>
                  <td>{row.satisfaction ?? '—'}</td>
                  <td>{agent(row.handler ?? row.handlerAtRaise)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </ListPage>
  );
}
