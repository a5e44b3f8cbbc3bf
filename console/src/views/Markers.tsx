import type { TicketSummary } from '../api.js';
import { label, useI18n } from '../i18n.js';
import { formatWhen } from '../words.js';
import { formatRemaining, slaCountdown } from '../sla.js';

export function PriorityBadge(props: { priority: string }) {
  const { language } = useI18n();
  return <span className={`badge prio-${props.priority}`}>{label(language, props.priority)}</span>;
}

/** The deadline that matters now: the first response until it happens, then whatever the API names. */
export function activeDeadline(ticket: TicketSummary): string | undefined {
  if (ticket.status === 'resolved' || ticket.status === 'closed' || ticket.status === 'waiting-on-customer') return undefined;
  if (ticket.dueAt) return ticket.dueAt;
  return ticket.firstRespondedAt ? undefined : ticket.firstResponseDueAt;
}

export function SlaBadge(props: { ticket: TicketSummary; now: Date }) {
  const { t, language } = useI18n();
  const due = activeDeadline(props.ticket);
  if (!due) return <span className="sla none">—</span>;
  const countdown = slaCountdown(props.ticket.createdAt, due, props.now);
  const text = countdown.level === 'red' ? `${t.overdue} ${formatRemaining(-countdown.remainingMs)}` : formatRemaining(countdown.remainingMs);
  return (
    <span className={`sla ${countdown.level}`} data-sla={countdown.level} title={formatWhen(due, language)}>
      <span aria-hidden="true">{countdown.level === 'red' ? '⚠ ' : countdown.level === 'amber' ? '◔ ' : ''}</span>
      {text}
    </span>
  );
}

export function FlagMarkers(props: { ticket: TicketSummary }) {
  const { t } = useI18n();
  const vip = props.ticket.customer?.vip || props.ticket.flags.includes('vip');
  return (
    <>
      {vip && <span className="badge vip">{t.vip}</span>}
      {props.ticket.flags.includes('escalated') && <span className="badge escalated">{t.escalated}</span>}
    </>
  );
}
