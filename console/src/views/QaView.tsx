import { useState, type FormEvent } from 'react';
import type { QaItem as QaEntry } from '../api.js';
import { useNames, useSession } from '../context.js';
import { usePolling } from '../hooks.js';
import { label, useI18n } from '../i18n.js';
import { Link } from '../Link.js';
import { formatWhen } from '../words.js';
import { ListPage, Problem } from './Page.js';

/** Tickets with a low survey score, and the follow-up call recorded as an internal note. */
export function QaView() {
  const { api } = useSession();
  const { t } = useI18n();
  const polled = usePolling(() => api.qaQueue(), 'qa');
  const tickets = polled.data ?? [];
  return (
    <ListPage name="qa" title={t.qa} polled={polled} count={tickets.length} emptyText={t.emptyQa}>
      <ul className="plain cards">
        {tickets.map((ticket) => <QaItem key={ticket.ticketNo} ticket={ticket} onDone={polled.refresh} />)}
      </ul>
    </ListPage>
  );
}

function QaItem(props: { ticket: QaEntry; onDone: () => Promise<void> }) {
  const { api, notify } = useSession();
  const { t, language } = useI18n();
  const names = useNames();
  const [outcome, setOutcome] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const { ticket } = props;
  const id = `follow-up-${ticket.ticketNo}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.qaFollowUp(ticket.ticketNo, outcome, reason);
      setOutcome('');
      setReason('');
      notify(`${ticket.ticketNo}: ${t.followUp} · ${t.done}`);
      await props.onDone();
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <li className="card" data-ticket={ticket.ticketNo}>
      <h2><Link to={`/tickets/${ticket.ticketNo}`}>{ticket.ticketNo}</Link></h2>
      <p>{ticket.subject}</p>
      <p>{t.score}: <strong data-score>{ticket.score}</strong>{ticket.comment ? ` · ${t.comment}: ${ticket.comment}` : ''}</p>
      <p className="muted small">{[label(language, ticket.priority), label(language, ticket.type), names.team(ticket.team), ticket.assignee ? names.agent(ticket.assignee) : t.unassigned, formatWhen(ticket.scoredAt, language)].join(' · ')}</p>
      <form onSubmit={submit}>
        <label htmlFor={`${id}-reason`}>{t.qaReason}</label>
        <textarea id={`${id}-reason`} rows={2} value={reason} onChange={(event) => setReason(event.target.value)} />
        <label htmlFor={id}>{t.followUpText}</label>
        <textarea id={id} rows={3} value={outcome} onChange={(event) => setOutcome(event.target.value)} />
        <button type="submit" disabled={!outcome.trim() || !reason.trim()}>{t.followUp}</button>
        {error !== undefined && <Problem error={error} />}
      </form>
    </li>
  );
}
