import { useState } from 'react';
import { useSession } from '../context.js';
import { useNow, usePolling } from '../hooks.js';
import { useI18n, wordFor } from '../i18n.js';
import { Link } from '../Link.js';
import { errorText } from '../words.js';
import { PriorityBadge } from './Markers.js';
import { ColumnHeads, ListPage, When } from './Page.js';
import { UnreadDot, useUnread } from './Unread.js';

/** "My tasks": the signed-in agent's open follow-up tasks (GET /api/v1/me/tasks), earliest due first. */
export function TasksView() {
  const { api, notify } = useSession();
  const { t, language } = useI18n();
  const polled = usePolling(() => api.myTasks(), 'tasks');
  const [busy, setBusy] = useState<string>();
  const unread = useUnread();
  const tasks = polled.data ?? [];
  // Overdue by the desk's clock, like the queue's countdowns (deskclock.ts), not the browser's.
  const now = useNow().getTime();

  const complete = async (ticketNo: string, taskId: string) => {
    setBusy(taskId);
    try {
      await api.completeTask(ticketNo, taskId);
      notify(`${ticketNo}: ${t.markDone} · ${t.done}`);
      await polled.refresh();
    } catch (cause) {
      notify(`${t.actionFailed}: ${errorText(cause, language)}`, 'error');
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <ListPage name="tasks" title={t.myTasks} polled={polled} count={tasks.length} emptyText={t.noTasks}>
      {tasks.length > 0 && (
        <table className="queue tasks">
          <ColumnHeads columns={[t.due, t.ticket, t.priority, t.reasonCol, t.subject, t.markDone]} />
          <tbody>
            {tasks.map((task) => (
              <tr key={task.taskId} data-task={task.taskId}>
                <td data-label={t.due} className={Date.parse(task.dueAt) < now ? 'overdue' : undefined}>
                  <When at={task.dueAt} />
                  {Date.parse(task.dueAt) < now && <> · {t.overdue}</>}
                </td>
                <td data-label={t.ticket}><UnreadDot mark={unread.get(task.ticketNo)} /><Link to={`/tickets/${task.ticketNo}`}>{task.ticketNo}</Link></td>
                <td data-label={t.priority}>{task.priority ? <PriorityBadge priority={task.priority} /> : '—'}</td>
                <td data-label={t.reasonCol}>{wordFor(t, task.reason)}</td>
                <td data-label={t.subject} className="subject">{task.subject ?? '—'}</td>
                <td><button type="button" disabled={busy === task.taskId} onClick={() => void complete(task.ticketNo, task.taskId)}>{t.markDone}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ListPage>
  );
}
