import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_TRANSITIONS,
  IllegalTransitionError,
  LifecycleValidationError,
  TRANSITION_KEYS,
  applyAction,
  saysNotSolved,
  saysSolved,
  transitionKey,
  type LifecycleAction,
  type LifecycleContext,
  type TransitionKey,
} from '../../../shared/domain/lifecycle.js';
import { TICKET_STATUSES, type Ticket, type TicketStatus } from '../../../shared/domain/ticket.js';
import { CREATED, NOW, makeDeps, makeTicket, minutesLater, ticketIn } from './lifecycle-fixtures.js';

const deps = makeDeps();
const ctx = (overrides: Partial<LifecycleContext> = {}): LifecycleContext => ({ at: NOW, actor: 'alice', deps, ...overrides });

/** A representative action for each row of the transition table. */
const ACTION_FOR: Record<TransitionKey, LifecycleAction> = {
  'confirm-classification': { type: 'confirm-classification' },
  'change-classification': { type: 'change-classification', changes: { priority: 'P2' } },
  assign: { type: 'assign', agentId: 'alice' },
  reply: { type: 'reply', text: 'Please try resetting your password.' },
  'give-plan': { type: 'give-plan', text: 'Workaround: use the mobile app while we restore the web site.' },
  note: { type: 'note', text: 'Customer called, sounded upset.' },
  'wait-on-customer': { type: 'wait-on-customer', missing: 'a screenshot of the error' },
  'customer-replied:automatic': { type: 'customer-replied', fromAutomatic: true },
  'customer-replied:customer': { type: 'customer-replied', fromAutomatic: false },
  'customer-replied:not-solved': { type: 'customer-replied', fromAutomatic: false, notSolved: true },
  escalate: { type: 'escalate', reason: 'blocked on the payment provider', by: 'agent' },
  resolve: { type: 'resolve', summary: 'Reset the password and cleared the login lock' },
  'reopen:customer': { type: 'reopen', reason: 'still cannot log in', by: 'customer' },
  'reopen:agent': { type: 'reopen', reason: 'fix did not hold', by: 'agent' },
  'close:survey-window-expired': { type: 'close', reason: 'survey-window-expired' },
  'close:survey-answered': { type: 'close', reason: 'survey-answered' },
  'close:agent': { type: 'close', reason: 'agent' },
  'record-survey': { type: 'record-survey', score: 5 },
};

/** The ticket in `status`, with what the row's content checks need (so only the table decides). */
function ticketFor(key: TransitionKey, status: TicketStatus): Ticket {
  if (key === 'close:survey-answered') return ticketIn(status, { satisfaction: { score: 5, at: NOW.toISOString() } });
  return ticketIn(status);
}

const allowed = TRANSITION_KEYS.flatMap((key) =>
  Object.entries(ALLOWED_TRANSITIONS[key]).map(([from, to]) => ({ key, from: from as TicketStatus, to: to as TicketStatus })),
);
const refused = TRANSITION_KEYS.flatMap((key) =>
  TICKET_STATUSES.filter((from) => ALLOWED_TRANSITIONS[key][from] === undefined).map((from) => ({ key, from })),
);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('applyAction', () => {
  describe('transition table', () => {
    // The table from the product decisions, written out independently of the code's data.
    const SPEC = `
      action                       | new      | needs-conf | open     | waiting  | resolved | closed   | reopened
      confirm-classification       | -        | new        | -        | -        | -        | -        | -
      change-classification        | =        | -          | =        | =        | -        | -        | =
      assign                       | open     | =          | =        | =        | -        | -        | =
      reply                        | open     | -          | =        | =        | -        | -        | open
      give-plan                    | open     | -          | =        | =        | -        | -        | open
      note                         | =        | =          | =        | =        | =        | =        | =
      wait-on-customer             | waiting  | -          | waiting  | -        | -        | -        | waiting
      customer-replied:automatic   | =        | =          | =        | =        | =        | =        | =
      customer-replied:customer    | =        | =          | =        | open     | =        | =        | =
      customer-replied:not-solved  | =        | =          | =        | open     | reopened | =        | =
      escalate                     | =        | =          | =        | =        | -        | -        | =
      resolve                      | resolved | -          | resolved | resolved | -        | -        | resolved
      reopen:customer              | -        | -          | -        | -        | reopened | reopened | -
      reopen:agent                 | -        | -          | -        | -        | reopened | reopened | -
      close:survey-window-expired  | -        | -          | -        | -        | closed   | -        | -
      close:survey-answered        | -        | -          | -        | -        | closed   | -        | -
      close:agent                  | closed   | closed     | closed   | closed   | closed   | -        | closed
      record-survey                | -        | -          | -        | -        | =        | =        | -`;

    it('matches the documented table cell for cell', () => {
      const aliases: Record<string, TicketStatus> = { 'needs-conf': 'needs-confirmation', waiting: 'waiting-on-customer' };
      const [header, ...rows] = SPEC.trim().split('\n').map((line) => line.split('|').map((cell) => cell.trim()));
      const columns = (header ?? []).slice(1).map((name) => aliases[name] ?? (name as TicketStatus));
      const expected = Object.fromEntries(
        rows.map(([key = '', ...cells]) => [
          key,
          Object.fromEntries(
            cells.flatMap((cell, i) => {
              const from = columns[i] as TicketStatus;
              if (cell === '-') return [];
              return [[from, cell === '=' ? from : (aliases[cell] ?? cell)]];
            }),
          ),
        ]),
      );

      expect(ALLOWED_TRANSITIONS).toEqual(expected);
    });

    it('covers every action type with a row and its representative action', () => {
      for (const key of TRANSITION_KEYS) expect(transitionKey(ACTION_FOR[key])).toBe(key);
    });

    it.each(allowed)('$key from $from leads to $to', ({ key, from, to }) => {
      const ticket = ticketFor(key, from);

      const decision = applyAction(ticket, ACTION_FOR[key], ctx());

      expect(decision.ticket.status).toBe(to);
      expect(decision.ticket.version).toBe(ticket.version + 1);
      expect(decision.events.length).toBeGreaterThan(0);
    });

    it.each(refused)('$key from $from is refused', ({ key, from }) => {
      const ticket = ticketFor(key, from);

      const error = thrown(() => applyAction(ticket, ACTION_FOR[key], ctx()));

      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect(error).toMatchObject({ name: 'IllegalTransitionError', from, action: ACTION_FOR[key].type, ticketNo: ticket.ticketNo });
    });

    it('explains a refusal in plain words', () => {
      expect(() => applyAction(ticketIn('closed'), ACTION_FOR.resolve, ctx())).toThrow('cannot resolve a closed ticket');
    });

    it('tells the agent to confirm the classification before answering', () => {
      expect(() => applyAction(ticketIn('needs-confirmation'), ACTION_FOR.reply, ctx())).toThrow(/confirm its classification first/);
    });

    it('never modifies the ticket it was given', () => {
      const ticket = ticketIn('open');
      const copy = structuredClone(ticket);

      applyAction(ticket, ACTION_FOR.resolve, ctx());

      expect(ticket).toEqual(copy);
    });
  });

  describe('classification', () => {
    it('confirming clears the confirmation timer', () => {
      const decision = applyAction(ticketIn('needs-confirmation'), { type: 'confirm-classification' }, ctx());

      expect(decision.timers.clear).toContain('confirmation');
    });

    it('confirming with a new team moves the ticket and drops the old team agent', () => {
      const ticket = ticketIn('needs-confirmation', { assignee: 'bob' });

      const decision = applyAction(ticket, { type: 'confirm-classification', changes: { team: 'after-sales', tags: ['refund'] } }, ctx());

      expect(decision.ticket).toMatchObject({ team: 'after-sales', tags: ['refund'] });
      expect(decision.ticket.assignee).toBeUndefined();
    });

    it('raising the priority of an unanswered ticket moves its first-response deadline and arms the new clocks', () => {
      const ticket = ticketIn('new', { priority: 'P3' });

      const decision = applyAction(ticket, { type: 'change-classification', changes: { priority: 'P1' } }, ctx());

      const due = (kind: string) => decision.timers.set.find((timer) => timer.kind === kind)?.dueAt;
      expect(decision.ticket.firstResponseDueAt).toBe(minutesLater(NOW, 10).toISOString());
      expect(due('first-response')).toBe(minutesLater(NOW, 10).toISOString());
      expect(due('plan')).toBe(minutesLater(NOW, 120).toISOString());
      expect(due('progress')).toBe(minutesLater(NOW, 120).toISOString());
    });

    it('lowering the priority clears clocks the new priority does not have', () => {
      const ticket = ticketIn('open', { priority: 'P1' });

      const decision = applyAction(ticket, { type: 'change-classification', changes: { priority: 'P3' } }, ctx());

      expect(decision.timers.clear).toEqual(expect.arrayContaining(['plan', 'progress', 'resolution']));
      expect(decision.timers.set.map((timer) => timer.kind)).not.toContain('first-response');
    });

    it('refuses a classification change that changes nothing', () => {
      const ticket = ticketIn('open');

      const error = thrown(() => applyAction(ticket, { type: 'change-classification', changes: { priority: ticket.priority, tags: [...ticket.tags] } }, ctx()));

      expect(error).toBeInstanceOf(LifecycleValidationError);
    });
  });

  describe('assign', () => {
    it('tells the customer which team has the ticket on the first assignment only', () => {
      const first = applyAction(ticketIn('new'), { type: 'assign', agentId: 'alice' }, ctx());
      const second = applyAction(first.ticket, { type: 'assign', agentId: 'bob' }, ctx());

      expect(first.notices).toContainEqual(expect.objectContaining({ kind: 'assignment', audience: 'customer' }));
      expect(second.notices.filter((notice) => notice.audience === 'customer')).toEqual([]);
      expect(second.notices).toContainEqual({ kind: 'assignment', audience: 'agent', vars: { agentId: 'bob' } });
    });

    it('refuses assigning the agent who already has the ticket', () => {
      expect(() => applyAction(ticketIn('open', { assignee: 'alice' }), { type: 'assign', agentId: 'alice' }, ctx())).toThrow(LifecycleValidationError);
    });
  });

  describe('reply', () => {
    it('the first public reply records the first response and clears its deadline', () => {
      const decision = applyAction(ticketIn('new'), ACTION_FOR.reply, ctx());

      expect(decision.ticket.firstRespondedAt).toBe(NOW.toISOString());
      expect(decision.timers.clear).toContain('first-response');
      expect(decision.notices).toContainEqual({ kind: 'reply', audience: 'customer', vars: { text: 'Please try resetting your password.' } });
    });

    it('a later reply keeps the first response time and only restarts the progress clock', () => {
      const ticket = ticketIn('open', { priority: 'P1' });

      const decision = applyAction(ticket, ACTION_FOR.reply, ctx());

      expect(decision.ticket.firstRespondedAt).toBe(ticket.firstRespondedAt);
      expect(decision.ticket.lastRespondedAt).toBe(NOW.toISOString());
      expect(decision.timers).toEqual({ set: [{ kind: 'progress', dueAt: minutesLater(NOW, 120).toISOString() }], clear: [] });
    });

    it('a later reply on a P3 (no progress notes) arms no progress timer', () => {
      const decision = applyAction(ticketIn('open'), ACTION_FOR.reply, ctx());
      expect(decision.timers.set).toEqual([]);
    });

    it('refuses an empty reply', () => {
      expect(() => applyAction(ticketIn('open'), { type: 'reply', text: '  ' }, ctx())).toThrow(LifecycleValidationError);
    });

    it('an internal note tells nobody', () => {
      const decision = applyAction(ticketIn('open'), ACTION_FOR.note, ctx());

      expect(decision.notices).toEqual([]);
    });
  });

  describe('waiting on the customer', () => {
    it('asks the customer for what is missing, arms the reminder and pauses the clocks', () => {
      const decision = applyAction(ticketIn('open', { priority: 'P1' }), ACTION_FOR['wait-on-customer'], ctx());

      expect(decision.notices).toContainEqual({ kind: 'waiting-on-customer', audience: 'customer', vars: { missing: 'a screenshot of the error' } });
      expect(decision.timers.set).toContainEqual({ kind: 'waiting-reminder', dueAt: minutesLater(NOW, 24 * 60).toISOString() });
      expect(decision.timers.clear).toEqual(expect.arrayContaining(['progress', 'resolution']));
    });

    it('asking for information counts as the first response', () => {
      const decision = applyAction(ticketIn('new'), ACTION_FOR['wait-on-customer'], ctx());

      expect(decision.ticket.firstRespondedAt).toBe(NOW.toISOString());
      expect(decision.timers.clear).toContain('first-response');
    });

    it('the customer answering reopens work, clears the reminder and restarts the clocks', () => {
      const ticket = ticketIn('waiting-on-customer', { priority: 'P1' });

      const decision = applyAction(ticket, ACTION_FOR['customer-replied:customer'], ctx({ actor: 'customer' }));

      expect(decision.ticket.status).toBe('open');
      expect(decision.timers.clear).toContain('waiting-reminder');
      expect(decision.timers.set).toContainEqual({ kind: 'progress', dueAt: minutesLater(NOW, 120).toISOString() });
      expect(decision.timers.set).toContainEqual({ kind: 'resolution', dueAt: minutesLater(NOW, 480).toISOString() });
    });

    it('an agent reply while waiting keeps the wait', () => {
      const decision = applyAction(ticketIn('waiting-on-customer'), ACTION_FOR.reply, ctx());

      expect(decision.ticket.status).toBe('waiting-on-customer');
      expect(decision.timers.clear).not.toContain('waiting-reminder');
    });
  });

  describe('customer replies', () => {
    it('automatic mail never changes the status, even when it reads as not solved', () => {
      for (const status of TICKET_STATUSES) {
        const decision = applyAction(ticketIn(status), { type: 'customer-replied', fromAutomatic: true, notSolved: true }, ctx({ actor: 'customer' }));

        expect(decision.ticket.status).toBe(status);
        expect(decision.notices).toEqual([]);
      }
    });

    it('"not solved" on a resolved ticket reopens it and forgets the resolution', () => {
      const ticket = ticketIn('resolved', { satisfaction: { score: 2, at: NOW.toISOString() } });

      const decision = applyAction(ticket, ACTION_FOR['customer-replied:not-solved'], ctx({ actor: 'customer' }));

      expect(decision.ticket.status).toBe('reopened');
      expect(decision.ticket.resolvedAt).toBeUndefined();
      expect(decision.ticket.resolutionSummary).toBeUndefined();
      expect(decision.ticket.satisfaction).toBeUndefined();
      expect(decision.timers.clear).toContain('survey-close');
      expect(decision.notices).toContainEqual(expect.objectContaining({ kind: 'follow-up-task', audience: 'agent', vars: expect.objectContaining({ reason: 'reopened' }) }));
    });

    it('a thank-you on a resolved ticket keeps it resolved', () => {
      const decision = applyAction(ticketIn('resolved'), ACTION_FOR['customer-replied:customer'], ctx({ actor: 'customer' }));

      expect(decision.ticket.status).toBe('resolved');
      expect(decision.ticket.resolvedAt).toBeDefined();
    });

    it('a customer writing into a closed ticket gives the agent a follow-up task instead of reopening', () => {
      const decision = applyAction(ticketIn('closed'), ACTION_FOR['customer-replied:not-solved'], ctx({ actor: 'customer' }));

      expect(decision.ticket.status).toBe('closed');
      expect(decision.notices).toEqual([
        { kind: 'follow-up-task', audience: 'agent', vars: { reason: 'customer-wrote-after-close', agentId: 'bob', taskDueAt: expect.any(String) } },
      ]);
    });
  });

  describe('escalate', () => {
    it('flags the ticket and tells the supervisors', () => {
      const decision = applyAction(ticketIn('open'), ACTION_FOR.escalate, ctx());

      expect(decision.ticket.flags).toContain('escalated');
      expect(decision.notices).toContainEqual({ kind: 'escalation', audience: 'supervisors', vars: { reason: 'blocked on the payment provider', by: 'agent' } });
    });

    it('escalating again keeps one flag and records the new reason as a repeat', () => {
      const once = applyAction(ticketIn('open'), ACTION_FOR.escalate, ctx());

      const twice = applyAction(once.ticket, { type: 'escalate', reason: 'plan-deadline-missed', by: 'sweeper' }, ctx({ actor: 'sweeper' }));

      expect(twice.ticket.flags.filter((flag) => flag === 'escalated')).toHaveLength(1);
      expect(twice.events[0]?.detail).toMatchObject({ reason: 'plan-deadline-missed', again: true });
    });

    it('records the breach a sweeper escalation is about', () => {
      const breach = { kind: 'first-response' as const, dueAt: CREATED.toISOString(), priority: 'P1' as const };

      const decision = applyAction(ticketIn('new'), { type: 'escalate', reason: 'first-response-deadline-missed', by: 'sweeper', breach }, ctx());

      expect(decision.events[0]?.detail).toMatchObject({ breach });
      expect(decision.notices[0]?.vars).toMatchObject({ breachKind: 'first-response', priority: 'P1' });
    });

    it('refuses an escalation without a reason', () => {
      expect(() => applyAction(ticketIn('open'), { type: 'escalate', reason: '', by: 'agent' }, ctx())).toThrow(LifecycleValidationError);
    });
  });

  describe('resolve', () => {
    it('records the resolution, tells the customer and opens the survey window', () => {
      const decision = applyAction(ticketIn('open', { priority: 'P1' }), ACTION_FOR.resolve, ctx());

      expect(decision.ticket).toMatchObject({ resolvedAt: NOW.toISOString(), resolutionSummary: 'Reset the password and cleared the login lock' });
      expect(decision.notices).toContainEqual({ kind: 'resolution', audience: 'customer', vars: { summary: 'Reset the password and cleared the login lock' } });
      expect(decision.timers.set).toEqual([{ kind: 'survey-close', dueAt: minutesLater(NOW, 7 * 24 * 60).toISOString() }]);
      expect(decision.timers.clear).toEqual(expect.arrayContaining(['first-response', 'plan', 'progress', 'waiting-reminder']));
    });

    it('accepts a summary of exactly 100 characters, counting Chinese characters as one each', () => {
      const summary = '重置密码'.repeat(25);

      const decision = applyAction(ticketIn('open'), { type: 'resolve', summary }, ctx());

      expect(decision.ticket.resolutionSummary).toBe(summary);
    });

    it('refuses a summary over 100 characters', () => {
      const error = thrown(() => applyAction(ticketIn('open'), { type: 'resolve', summary: 'x'.repeat(101) }, ctx()));

      expect(error).toBeInstanceOf(LifecycleValidationError);
      expect(error).toMatchObject({ name: 'LifecycleValidationError', field: 'summary' });
    });

    it('refuses an empty summary', () => {
      expect(() => applyAction(ticketIn('open'), { type: 'resolve', summary: '   ' }, ctx())).toThrow(LifecycleValidationError);
    });

    it('resolving an unanswered ticket counts as its first response', () => {
      const decision = applyAction(ticketIn('new'), ACTION_FOR.resolve, ctx());

      expect(decision.ticket.firstRespondedAt).toBe(NOW.toISOString());
    });
  });

  describe('reopen and close', () => {
    it('an agent may reopen a closed ticket within 30 days', () => {
      const ticket = ticketIn('closed', { closedAt: NOW.toISOString() });

      const decision = applyAction(ticket, ACTION_FOR['reopen:agent'], ctx({ at: minutesLater(NOW, 30 * 24 * 60) }));

      expect(decision.ticket.status).toBe('reopened');
      expect(decision.ticket.closedAt).toBeUndefined();
    });

    it('an agent may not reopen a ticket closed longer ago than the policy allows', () => {
      const ticket = ticketIn('closed', { closedAt: NOW.toISOString() });

      expect(() => applyAction(ticket, ACTION_FOR['reopen:agent'], ctx({ at: minutesLater(NOW, 30 * 24 * 60 + 1) }))).toThrow(
        /closed more than 30 days ago/,
      );
    });

    it('the reopen window is configurable', () => {
      const ticket = ticketIn('closed', { closedAt: NOW.toISOString() });

      expect(() => applyAction(ticket, ACTION_FOR['reopen:agent'], ctx({ at: minutesLater(NOW, 2 * 24 * 60), rules: { reopenClosedWithinDays: 1 } }))).toThrow(
        IllegalTransitionError,
      );
    });

    it('a customer reopens a closed ticket within the window, not after it', () => {
      const ticket = ticketIn('closed', { closedAt: NOW.toISOString() });
      expect(applyAction(ticket, ACTION_FOR['reopen:customer'], ctx({ at: minutesLater(NOW, 29 * 24 * 60) })).ticket.status).toBe('reopened');
      expect(() => applyAction(ticket, ACTION_FOR['reopen:customer'], ctx({ at: minutesLater(NOW, 31 * 24 * 60) }))).toThrow(IllegalTransitionError);
    });

    it('reopening re-arms the working clocks of a P1', () => {
      const decision = applyAction(ticketIn('resolved', { priority: 'P1' }), ACTION_FOR['reopen:agent'], ctx());

      expect(decision.timers.set.map((timer) => timer.kind).sort()).toEqual(['first-response', 'plan', 'progress', 'resolution']);
      expect(decision.ticket.firstResponseDueAt).toBe(minutesLater(NOW, 10).toISOString());
      expect(decision.ticket.reopenCount).toBe(1);
    });

    it('a second reopen tells the supervisors of the team', () => {
      const once = applyAction(ticketIn('resolved', { priority: 'P1' }), ACTION_FOR['reopen:agent'], ctx());
      expect(once.notices.some((n) => n.kind === 'repeated-reopen')).toBe(false);
      const resolved = applyAction(once.ticket, ACTION_FOR.resolve, ctx());
      const twice = applyAction(resolved.ticket, ACTION_FOR['reopen:customer'], ctx({ actor: 'customer' }));
      expect(twice.notices).toContainEqual({ kind: 'repeated-reopen', audience: 'supervisors', vars: expect.objectContaining({ reopenCount: '2' }) });
    });

    it('a reopened ticket owes an answer again until an agent writes', () => {
      const reopened = applyAction(ticketIn('resolved'), ACTION_FOR['reopen:customer'], ctx({ actor: 'customer' })).ticket;
      const answered = applyAction(reopened, ACTION_FOR.reply, ctx({ at: minutesLater(NOW, 5) }));
      expect(answered.timers.clear).toContain('first-response');
      expect(answered.events[0]?.detail.first).toBe(true);
    });

    it('closing for an answered survey requires a recorded survey', () => {
      expect(() => applyAction(ticketIn('resolved'), ACTION_FOR['close:survey-answered'], ctx())).toThrow(LifecycleValidationError);
    });

    it('closing records when and clears every lifecycle timer', () => {
      const decision = applyAction(ticketIn('resolved'), ACTION_FOR['close:survey-window-expired'], ctx({ actor: 'sweeper' }));

      expect(decision.ticket.closedAt).toBe(NOW.toISOString());
      expect(decision.timers.clear).toEqual(expect.arrayContaining(['first-response', 'plan', 'progress', 'waiting-reminder', 'confirmation', 'resolution', 'survey-close']));
    });

    it('an agent closing an unresolved ticket leaves it without a resolution', () => {
      const decision = applyAction(ticketIn('open'), ACTION_FOR['close:agent'], ctx());

      expect(decision.ticket.status).toBe('closed');
      expect(decision.ticket.resolvedAt).toBeUndefined();
    });
  });

  describe('record-survey', () => {
    it('a score below 4 flags the ticket and sends it to QA', () => {
      const decision = applyAction(ticketIn('resolved'), { type: 'record-survey', score: 3, comment: ' too slow ' }, ctx({ actor: 'customer' }));

      expect(decision.ticket.satisfaction).toEqual({ score: 3, comment: 'too slow', at: NOW.toISOString() });
      expect(decision.ticket.flags).toContain('low-score');
      expect(decision.notices).toEqual([{ kind: 'qa-low-score', audience: 'qa', vars: { score: '3', comment: 'too slow' } }]);
    });

    it('a score of 4 or more goes to nobody', () => {
      const decision = applyAction(ticketIn('resolved'), { type: 'record-survey', score: 4 }, ctx({ actor: 'customer' }));

      expect(decision.notices).toEqual([]);
      expect(decision.ticket.flags).not.toContain('low-score');
    });

    it('the low-score threshold is configurable', () => {
      const decision = applyAction(ticketIn('resolved'), { type: 'record-survey', score: 4 }, ctx({ rules: { lowScoreBelow: 5 } }));

      expect(decision.ticket.flags).toContain('low-score');
    });

    it.each([0, 6, 2.5, Number.NaN])('refuses the score %s', (score) => {
      expect(() => applyAction(ticketIn('resolved'), { type: 'record-survey', score }, ctx())).toThrow(LifecycleValidationError);
    });

    it('refuses a second answer', () => {
      const ticket = ticketIn('resolved', { satisfaction: { score: 5, at: NOW.toISOString() } });

      expect(() => applyAction(ticket, { type: 'record-survey', score: 1 }, ctx())).toThrow(/already been answered/);
    });

    it('refuses a survey on a ticket closed without a resolution', () => {
      const ticket = ticketIn('closed', { resolvedAt: undefined, resolutionSummary: undefined });

      expect(() => applyAction(ticket, { type: 'record-survey', score: 5 }, ctx())).toThrow(IllegalTransitionError);
    });
  });
});

describe('saysNotSolved / saysSolved', () => {
  it.each([
    '还是不行',
    '试了，问题依旧。',
    '没有解决，登录时仍然报错',
    '問題依舊',
    'It is still not working.',
    'Not fixed, sorry',
    'That doesn’t work for me',
    'the app doesnt work',
    'STILL BROKEN',
    'Tried that, did not help',
  ])('"%s" says not solved', (text) => {
    expect(saysNotSolved(text)).toBe(true);
    expect(saysSolved(text)).toBe(false);
  });

  it.each(['问题已解决，谢谢', '好了，可以正常登录了', 'Thanks, it works now!', 'All good, solved.'])('"%s" says solved', (text) => {
    expect(saysSolved(text)).toBe(true);
    expect(saysNotSolved(text)).toBe(false);
  });

  it.each(['谢谢', 'Thank you for the quick answer', 'When will my parcel arrive?'])('"%s" says neither', (text) => {
    expect(saysSolved(text)).toBe(false);
    expect(saysNotSolved(text)).toBe(false);
  });
});

describe('lifecycle invariants (property)', () => {
  const textArb = fc.constantFrom('ok', '  ', 'Reset the password', 'x'.repeat(101), '修复了支付回调'.repeat(14));
  const actionArb: fc.Arbitrary<LifecycleAction> = fc.oneof(
    fc.record({ type: fc.constant('confirm-classification' as const), changes: fc.record({ priority: fc.constantFrom('P1' as const, 'P2' as const, 'P3' as const, 'P4' as const) }, { requiredKeys: [] }) }),
    fc.record({ type: fc.constant('change-classification' as const), changes: fc.record({ priority: fc.constantFrom('P1' as const, 'P2' as const, 'P3' as const, 'P4' as const), team: fc.constantFrom('technical', 'general') }, { requiredKeys: [] }) }),
    fc.record({ type: fc.constant('assign' as const), agentId: fc.constantFrom('alice', 'bob', '') }),
    fc.record({ type: fc.constant('reply' as const), text: textArb }),
    fc.record({ type: fc.constant('note' as const), text: textArb }),
    fc.record({ type: fc.constant('wait-on-customer' as const), missing: textArb }),
    fc.record({ type: fc.constant('customer-replied' as const), fromAutomatic: fc.boolean(), notSolved: fc.boolean() }),
    fc.record({ type: fc.constant('escalate' as const), reason: textArb, by: fc.constantFrom('agent' as const, 'sweeper' as const) }),
    fc.record({ type: fc.constant('resolve' as const), summary: textArb }),
    fc.record({ type: fc.constant('reopen' as const), reason: textArb, by: fc.constantFrom('agent' as const, 'customer' as const) }),
    fc.record({ type: fc.constant('close' as const), reason: fc.constantFrom('survey-window-expired' as const, 'survey-answered' as const, 'agent' as const) }),
    fc.record({ type: fc.constant('record-survey' as const), score: fc.integer({ min: 0, max: 6 }) }),
  );
  const stepArb = fc.record({ action: actionArb, minutes: fc.integer({ min: 0, max: 20 * 24 * 60 }) });

  it('any sequence keeps the invariants', () => {
    fc.assert(
      fc.property(fc.constantFrom<TicketStatus>('new', 'needs-confirmation'), fc.array(stepArb, { maxLength: 40 }), (start, steps) => {
        let ticket = makeTicket({ status: start });
        let at = NOW;
        let closedFromResolved = false;
        for (const { action, minutes } of steps) {
          at = minutesLater(at, minutes);
          let decision;
          try {
            decision = applyAction(ticket, action, ctx({ at }));
          } catch (error) {
            if (error instanceof IllegalTransitionError || error instanceof LifecycleValidationError) continue;
            throw error;
          }
          const before = ticket;
          const after = decision.ticket;
          expect(after.version).toBe(before.version + 1);
          if (after.status === 'closed' && before.status !== 'closed') {
            expect(ALLOWED_TRANSITIONS[transitionKey(action)][before.status]).toBe('closed');
            closedFromResolved = before.status === 'resolved';
          }
          if (after.status === 'resolved' && before.status !== 'resolved') expect(action.type).toBe('resolve');
          if (after.status === 'resolved') expect(after.resolvedAt).toBeDefined();
          if (after.status === 'closed') expect(after.resolvedAt !== undefined).toBe(closedFromResolved);
          if (after.status !== 'resolved' && after.status !== 'closed') expect(after.resolvedAt).toBeUndefined();
          if (after.resolutionSummary !== undefined) expect([...after.resolutionSummary].length).toBeLessThanOrEqual(100);
          const kinds = new Set([...decision.timers.set.map((timer) => timer.kind), ...decision.timers.clear]);
          expect(kinds.size).toBe(decision.timers.set.length + decision.timers.clear.length);
          ticket = after;
        }
      }),
      { numRuns: 300 },
    );
  });
});
