import { useState, type FormEvent } from 'react';
import { ApiError, type QaItem as QaEntry } from '../api.js';
import { useSession } from '../context.js';
import { usePolling } from '../hooks.js';
import { useI18n } from '../i18n.js';
import { Link } from '../Link.js';

/** Tickets with a low survey score, and the follow-up call recorded as an internal note. */
export function QaView() {
  const { api } = useSession();
  const { t } = useI18n();
  const polled = usePolling(() => api.qaQueue(), 'qa');
  const tickets = polled.data ?? [];
  return (
    <section aria-labelledby="qa-title">
      <div className="heading">
        <h1 id="qa-title">{t.qa}</h1>
        <p className="muted">{tickets.length} · {t.updated} {polled.updatedAt ? polled.updatedAt.toLocaleTimeString() : '—'}</p>
      </div>
      {polled.error !== undefined && <p role="alert" className="error">{t.actionFailed}: {String((polled.error as Error).message)}</p>}
      {!polled.loading && tickets.length === 0 && <p>{t.empty}</p>}
      <ul className="plain cards">
        {tickets.map((ticket) => <QaItem key={ticket.ticketNo} ticket={ticket} onDone={polled.refresh} />)}
      </ul>
    </section>
  );
}

function QaItem(props: { ticket: QaEntry; onDone: () => Promise<void> }) {
  const { api, notify } = useSession();
  const { t } = useI18n();
  const [outcome, setOutcome] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
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
      setError(cause instanceof ApiError ? (cause.detail ?? cause.message) : String(cause));
    }
  };
  return (
    <li className="card" data-ticket={ticket.ticketNo}>
      <h2><Link to={`/tickets/${ticket.ticketNo}`}>{ticket.ticketNo}</Link></h2>
      <p>{ticket.subject}</p>
      <p>{t.score}: <strong data-score>{ticket.score}</strong>{ticket.comment ? ` · ${t.comment}: ${ticket.comment}` : ''}</p>
      <p className="muted small">{[ticket.priority, ticket.team, ticket.assignee, ticket.scoredAt ? new Date(ticket.scoredAt).toLocaleString() : undefined].filter(Boolean).join(' · ')}</p>
      <form onSubmit={submit}>
        <label htmlFor={`${id}-reason`}>{t.qaReason}</label>
        <textarea id={`${id}-reason`} rows={2} value={reason} onChange={(event) => setReason(event.target.value)} />
        <label htmlFor={id}>{t.followUpText}</label>
        <textarea id={id} rows={3} value={outcome} onChange={(event) => setOutcome(event.target.value)} />
        <button type="submit" disabled={!outcome.trim() || !reason.trim()}>{t.followUp}</button>
        {error && <p role="alert" className="error">{error}</p>}
      </form>
    </li>
  );
}
