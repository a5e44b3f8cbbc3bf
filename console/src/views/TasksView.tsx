import { useState } from 'react';
import { useSession } from '../context.js';
import { fw, reasonText } from '../follow-words.js';
import { usePolling } from '../hooks.js';
import { useI18n } from '../i18n.js';
import { Link } from '../Link.js';
import { errorText } from '../words.js';
import { PriorityBadge } from './Markers.js';
import { UnreadDot, useUnread } from './Unread.js';

/** "My tasks": the signed-in agent's open follow-up tasks (GET /api/v1/me/tasks), earliest due first. */
export function TasksView() {
  const { api, notify } = useSession();
  const { t, language } = useI18n();
  const polled = usePolling(() => api.myTasks(), 'tasks');
  const [busy, setBusy] = useState<string>();
  const unread = useUnread();
  const tasks = polled.data ?? [];
  const now = Date.now();

  const complete = async (ticketNo: string, taskId: string) => {
    setBusy(taskId);
    try {
      await api.completeTask(ticketNo, taskId);
      notify(`${ticketNo}: ${fw('markDone', language)} · ${t.done}`);
      await polled.refresh();
    } catch (cause) {
      notify(`${t.actionFailed}: ${errorText(cause, language)}`, 'error');
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section aria-labelledby="tasks-title">
      <div className="heading">
        <h1 id="tasks-title">{fw('myTasks', language)}</h1>
        <p className="muted">{tasks.length} · {t.updated} {polled.updatedAt ? polled.updatedAt.toLocaleTimeString() : '—'}</p>
      </div>
      {polled.error !== undefined && <p role="alert" className="error">{t.actionFailed}: {errorText(polled.error, language)}</p>}
      {polled.loading && <p>{t.loading}</p>}
      {!polled.loading && tasks.length === 0 && <p>{fw('noTasks', language)}</p>}
      {tasks.length > 0 && (
        <table className="queue tasks">
          <thead>
            <tr>
              <th scope="col">{fw('due', language)}</th>
              <th scope="col">{t.ticket}</th>
              <th scope="col">{t.priority}</th>
              <th scope="col">{fw('reasonCol', language)}</th>
              <th scope="col">{t.subject}</th>
              <th scope="col">{fw('markDone', language)}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.taskId} data-task={task.taskId}>
                <td data-label={fw('due', language)} className={Date.parse(task.dueAt) < now ? 'overdue' : undefined}>
                  <time dateTime={task.dueAt}>{new Date(task.dueAt).toLocaleString()}</time>
                  {Date.parse(task.dueAt) < now && <> · {t.overdue}</>}
                </td>
                <td data-label={t.ticket}><UnreadDot mark={unread.get(task.ticketNo)} /><Link to={`/tickets/${task.ticketNo}`}>{task.ticketNo}</Link></td>
                <td data-label={t.priority}>{task.priority ? <PriorityBadge priority={task.priority} /> : '—'}</td>
                <td data-label={fw('reasonCol', language)}>{reasonText(task.reason, language)}</td>
                <td data-label={t.subject} className="subject">{task.subject ?? '—'}</td>
                <td><button type="button" disabled={busy === task.taskId} onClick={() => void complete(task.ticketNo, task.taskId)}>{fw('markDone', language)}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
