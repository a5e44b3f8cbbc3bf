import { useEffect, useRef, useState } from 'react';
import { QUEUE_READ_LIMIT, type ApiClient, type Me, type TicketSummary } from '../api.js';
import { useNames, useSession } from '../context.js';
import { useNow, usePolling, useShortcuts } from '../hooks.js';
import { label, useI18n } from '../i18n.js';
import { Link } from '../Link.js';
import { navigate } from '../router.js';
import { FlagMarkers, PriorityBadge, SlaBadge, activeDeadline } from './Markers.js';
import { BulkBar } from './BulkBar.js';
import { ColumnHeads, ListPage } from './Page.js';
import { UnreadDot, useUnread } from './Unread.js';

export type QueueKind = 'mine' | 'team' | 'confirmations' | 'escalations';

const DONE = new Set(['resolved', 'closed']);
const PRIORITY_RANK: Record<string, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

/** Supervisors and admins work every team's queue; an agent their own. */
function teamsOf(me: Me, only?: string): string[] {
  const everyTeam = me.roles.includes('supervisor') || me.roles.includes('admin');
  if (!everyTeam) return [me.team];
  return only ? [only] : me.teams.map((team) => team.id);
}

/** Where each list comes from: the team queues filtered, or the supervisors' queue; `complete` is false when a list was cut at its limit. */
async function loadQueue(api: ApiClient, me: Me, kind: QueueKind, only?: string): Promise<{ tickets: TicketSummary[]; complete: boolean }> {
  const all = async (reads: Array<Promise<{ tickets: TicketSummary[]; complete: boolean }>>) => {
    const lists = await Promise.all(reads);
    return { tickets: lists.flatMap((list) => list.tickets), complete: lists.every((list) => list.complete) };
  };
  if (kind === 'escalations') return api.queue('supervisors');
  const teams = teamsOf(me, only);
  if (kind === 'confirmations') return all(teams.map((team) => api.queue(team, 'needs-confirmation')));
  if (kind === 'mine') {
    const team = await api.queue(me.team);
    return { ...team, tickets: team.tickets.filter((ticket) => ticket.assignee === me.agentId && !DONE.has(ticket.status)) };
  }
  return all(teams.map((id) => api.queue(id)));
}

/** VIP first, then priority, then the nearest deadline: the order an agent should work in. */
export function workOrder(tickets: TicketSummary[]): TicketSummary[] {
  const vip = (ticket: TicketSummary) => (ticket.customer?.vip || ticket.flags.includes('vip') ? 0 : 1);
  const due = (ticket: TicketSummary) => Date.parse(activeDeadline(ticket) ?? '9999-12-31T00:00:00Z');
  return [...tickets].sort((a, b) => vip(a) - vip(b) || (PRIORITY_RANK[a.priority] ?? 9) - (PRIORITY_RANK[b.priority] ?? 9) || due(a) - due(b) || a.ticketNo.localeCompare(b.ticketNo));
}

export function QueueView(props: { kind: QueueKind }) {
  const { api, me } = useSession();
  const { t, language } = useI18n();
  const now = useNow();
  const [onlyTeam, setOnlyTeam] = useState('');
  const polled = usePolling(() => loadQueue(api, me, props.kind, onlyTeam || undefined).then((list) => ({ ...list, tickets: workOrder(list.tickets) })), `${props.kind}:${me.agentId}:${onlyTeam}`);
  const unread = useUnread();
  const everyTeam = teamsOf(me).length > 1;
  const names = useNames();
  const [selected, setSelected] = useState(0);
  const rows = useRef<Array<HTMLTableRowElement | null>>([]);
  const tickets = polled.data?.tickets ?? [];
  // Tickets ticked for a bulk action; those that left the list are dropped from the selection.
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const pickedNow = tickets.filter((ticket) => picked.has(ticket.ticketNo)).map((ticket) => ticket.ticketNo);
  const togglePick = (ticketNo: string, on: boolean) => setPicked((current) => {
    const next = new Set(current);
    if (on) next.add(ticketNo);
    else next.delete(ticketNo);
    return next;
  });
  const title = { mine: t.myQueue, team: t.teamQueue, confirmations: t.confirmations, escalations: t.escalations }[props.kind];

  useEffect(() => {
    rows.current[selected]?.querySelector('a')?.focus({ preventScroll: false });
  }, [selected]);
  const move = (delta: number) => setSelected((index) => Math.min(Math.max(index + delta, 0), Math.max(tickets.length - 1, 0)));
  const open = () => {
    const ticket = tickets[selected];
    if (ticket) navigate(`/tickets/${ticket.ticketNo}`);
  };
  useShortcuts({ j: () => move(1), k: () => move(-1), o: open, Enter: open });

  return (
    <ListPage
      name="queue"
      title={title}
      polled={polled}
      count={tickets.length}
      emptyText={{ mine: t.emptyMine, team: t.emptyTeam, confirmations: t.emptyConfirmations, escalations: t.emptyEscalations }[props.kind]}
      above={everyTeam && props.kind !== 'mine' && props.kind !== 'escalations' && (
        <p className="filters">
          <label htmlFor="queue-team">{t.team}</label>{' '}
          <select id="queue-team" value={onlyTeam} onChange={(event) => setOnlyTeam(event.target.value)}>
            <option value="">{language === 'en' ? 'All teams' : '全部团队'}</option>
            {me.teams.map((team) => <option key={team.id} value={team.id}>{team.name[language]}</option>)}
          </select>
        </p>
      )}
    >
      {polled.data?.complete === false && (
        <p className="warning" data-queue-cut>
          {language === 'en'
            ? `Showing the ${QUEUE_READ_LIMIT.toLocaleString('en')} most urgent tickets of this list: choose a team or search to see the others.`
            : `仅显示此列表中最紧急的 ${QUEUE_READ_LIMIT} 个工单：请选择团队或使用搜索查看其余工单。`}
        </p>
      )}
      {pickedNow.length > 0 && <BulkBar selected={pickedNow} onDone={async () => { setPicked(new Set()); await polled.refresh(); }} />}
      {tickets.length > 0 && (
        <table className="queue">
          <ColumnHeads
            columns={[
              <input
                type="checkbox"
                aria-label={language === 'en' ? 'Select all' : '全选'}
                checked={pickedNow.length === tickets.length}
                onChange={(event) => setPicked(event.target.checked ? new Set(tickets.map((ticket) => ticket.ticketNo)) : new Set())}
              />,
              t.ticket,
              t.priority,
              t.sla,
              t.subject,
              t.status,
              everyTeam && t.team,
              t.assignee,
            ]}
          />
          <tbody>
            {tickets.map((ticket, index) => (
              <tr key={ticket.ticketNo} ref={(row) => { rows.current[index] = row; }} className={index === selected ? 'selected' : undefined} data-ticket={ticket.ticketNo}>
                <td><input type="checkbox" aria-label={`${language === 'en' ? 'Select' : '选择'} ${ticket.ticketNo}`} checked={picked.has(ticket.ticketNo)} onChange={(event) => togglePick(ticket.ticketNo, event.target.checked)} /></td>
                <td data-label={t.ticket}><UnreadDot mark={unread.get(ticket.ticketNo)} /><Link to={`/tickets/${ticket.ticketNo}`}>{ticket.ticketNo}</Link> <FlagMarkers ticket={ticket} /></td>
                <td data-label={t.priority}><PriorityBadge priority={ticket.priority} /></td>
                <td data-label={t.sla}><SlaBadge ticket={ticket} now={now} /></td>
                <td data-label={t.subject} className="subject">{ticket.subject || ticket.summary}</td>
                <td data-label={t.status}>{label(language, ticket.status)}</td>
                {everyTeam && <td data-label={t.team}>{names.team(ticket.team)}</td>}
                <td data-label={t.assignee}>{ticket.assignee ? names.agent(ticket.assignee) : t.unassigned}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ListPage>
  );
}
