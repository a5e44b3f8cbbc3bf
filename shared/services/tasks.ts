import { randomUUID } from 'node:crypto';
import type { OpenTask, Priority, Ticket } from '../domain/ticket.js';
import type { Runtime } from './context.js';
import type { UnreadMark } from './ports.js';
import { NotFoundError } from './errors.js';
import type { ChangeRecord } from './ports.js';

/**
 * Agents' follow-up tasks as records with real due times. A task is an item in its ticket's
 * partition; while open it sits on the agent's task list (`{ list: 'tasks', agentId }`, sorted by
 * due time), which is the console's "my tasks" list. The ticket keeps
 * the open ones in `openTasks`, so a change that settles them (the agent answered the customer,
 * the ticket closed) rewrites them in the same transaction.
 */

export interface TaskView extends OpenTask {
  ticketNo: string;
  status: 'open' | 'done';
  doneAt?: string;
  doneBy?: string;
  /** Queue view of the ticket: enough to pick, nothing personal. */
  subject?: string;
  priority?: Priority;
  team?: string;
}

export function newTask(agentId: string, reason: string, dueAt: string, createdAt: string): OpenTask {
  return { taskId: randomUUID(), agentId, reason, dueAt, createdAt };
}

/** The task's record: on the agent's task list while open (earliest due first), off it once done. */
function taskRecord(ticket: Ticket, task: OpenTask, done?: { at: string; by: string }): ChangeRecord {
  const fields = { ...task, subject: ticket.subject, priority: ticket.priority, team: ticket.team };
  const base = { kind: 'queue-entry' as const, ticketNo: ticket.ticketNo, entry: { task: task.taskId } };
  if (done) return { ...base, fields: { ...fields, status: 'done', doneAt: done.at, doneBy: done.by } };
  return { ...base, fields: { ...fields, status: 'open' }, listed: { queue: { list: 'tasks', agentId: task.agentId }, sortKey: `${task.dueAt}#${ticket.ticketNo}#${task.taskId}` } };
}

/** Actions that answer the customer: they settle the ticket's open tasks. */
export const SETTLING_EVENTS = new Set(['replied', 'plan-given', 'waiting-on-customer', 'resolved', 'closed']);

/**
 * The ticket with `tasks` added to and `settled` removed from its open tasks, and the records to
 * write in the same transaction.
 */
export function applyTaskChanges(ticket: Ticket, added: OpenTask[], settle: { at: string; by: string } | undefined): { ticket: Ticket; records: ChangeRecord[] } {
  const records: ChangeRecord[] = [];
  let open = ticket.openTasks ?? [];
  if (settle && open.length > 0) {
    for (const task of open) records.push(taskRecord(ticket, task, settle));
    open = [];
  }
  for (const task of added) {
    records.push(taskRecord(ticket, task));
    open = [...open, task];
  }
  if (records.length === 0) return { ticket, records };
  const next: Ticket = { ...ticket, openTasks: open };
  if (open.length === 0) delete next.openTasks;
  return { ticket: next, records };
}

export class TaskService {
  constructor(private readonly runtime: Runtime) {}

  /** An agent's open tasks, earliest due first. */
  async openTasks(agentId: string, limit = 200): Promise<TaskView[]> {
    const items = await this.runtime.store.queueItems({ list: 'tasks', agentId }, limit);
    return items as unknown as TaskView[];
  }

  /** The tickets that changed for the agent since they last looked (unread markers), newest first. */
  async unread(agentId: string): Promise<UnreadMark[]> {
    return this.runtime.store.unreadFor(agentId);
  }

  /** The agent looked at the ticket: its unread marker goes (nothing happens when there is none). */
  async seen(agentId: string, ticketNo: string): Promise<{ ticketNo: string; seen: boolean }> {
    await this.runtime.store.markRead(agentId, ticketNo);
    return { ticketNo, seen: true };
  }

  /** Marks one task done (the agent followed up by phone, say); settling it twice changes nothing. */
  async complete(ticketNo: string, taskId: string, by: string): Promise<TaskView> {
    const { LifecycleService } = await import('./lifecycle.js');
    const lifecycle = new LifecycleService(this.runtime);
    let done: TaskView | undefined;
    await lifecycle.record(ticketNo, { events: [], notices: [] }, by, {
      precondition: (ticket) => {
        if (!(ticket.openTasks ?? []).some((task) => task.taskId === taskId)) throw new NotFoundError('task', taskId);
      },
      transform: (ticket, at) => {
        const task = (ticket.openTasks ?? []).find((candidate) => candidate.taskId === taskId) as OpenTask;
        const rest = (ticket.openTasks ?? []).filter((candidate) => candidate.taskId !== taskId);
        const next: Ticket = { ...ticket, openTasks: rest };
        if (rest.length === 0) delete next.openTasks;
        done = { ...task, ticketNo, status: 'done', doneAt: at, doneBy: by };
        return {
          ticket: next,
          events: [{ kind: 'task-done', detail: { taskId, reason: task.reason } }],
          records: [taskRecord(ticket, task, { at, by })],
        };
      },
    });
    return done as unknown as TaskView;
  }
}
