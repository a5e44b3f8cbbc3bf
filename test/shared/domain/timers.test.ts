import { describe, expect, it } from 'vitest';
import type { SlaPolicy } from '../../../shared/config/schema.js';
import { LIFECYCLE_TIMER_KINDS, mergePlans, nextAfterFiring, planTimers, timerPolicyFrom, type TimerPlan } from '../../../shared/domain/timers.js';
import { PRIORITIES, type Priority, type Timer, type TimerKind } from '../../../shared/domain/ticket.js';
import { CREATED, FAKE_PROGRESS, FAKE_SLA, NOW, makeDeps, minutesLater, ticketIn } from './lifecycle-fixtures.js';

const deps = makeDeps();

function dueOf(plan: TimerPlan, kind: TimerKind): string | undefined {
  return plan.set.find((timer) => timer.kind === kind)?.dueAt;
}

function after(from: Date, minutes: number | undefined): string | undefined {
  return minutes === undefined ? undefined : minutesLater(from, minutes).toISOString();
}

function timer(kind: TimerKind, dueAt: Date = NOW, generation = 1): Timer {
  return { ticketNo: 'CS20240520001', kind, dueAt: dueAt.toISOString(), generation };
}

describe('planTimers', () => {
  describe('created', () => {
    it.each(PRIORITIES)('a new %s ticket gets the deadlines its policy defines', (priority: Priority) => {
      const ticket = ticketIn('new', { priority });

      const plan = planTimers(ticket, { kind: 'created' }, deps, NOW);

      expect(dueOf(plan, 'first-response')).toBe(after(CREATED, FAKE_SLA[priority]['first-response']));
      expect(dueOf(plan, 'plan')).toBe(after(CREATED, FAKE_SLA[priority].plan));
      expect(dueOf(plan, 'resolution')).toBe(after(CREATED, FAKE_SLA[priority].resolution));
      expect(dueOf(plan, 'progress')).toBe(after(NOW, FAKE_PROGRESS[priority]));
      expect(dueOf(plan, 'confirmation')).toBeUndefined();
      expect(plan.clear).toEqual([]);
    });

    it('a P3 ticket gets only the first-response deadline', () => {
      const plan = planTimers(ticketIn('new', { priority: 'P3' }), { kind: 'created' }, deps, NOW);

      expect(plan.set.map((entry) => entry.kind)).toEqual(['first-response']);
    });

    it('a ticket that needs confirmation gets the confirmation timer', () => {
      const plan = planTimers(ticketIn('needs-confirmation'), { kind: 'created' }, deps, NOW);

      expect(dueOf(plan, 'confirmation')).toBe(after(NOW, 10));
    });
  });

  it('the first response clears only its own deadline', () => {
    expect(planTimers(ticketIn('open'), { kind: 'first-response' }, deps, NOW)).toEqual({ set: [], clear: ['first-response'] });
  });

  it('waiting keeps the clocks running when the policy does not pause the status', () => {
    const plan = planTimers(ticketIn('waiting-on-customer', { priority: 'P1' }), { kind: 'waiting' }, makeDeps({ pausedStatuses: [] }), NOW);

    expect(plan).toEqual({ set: [{ kind: 'waiting-reminder', dueAt: after(NOW, 24 * 60) }], clear: [] });
  });

  it('the end of an unpaused wait clears the reminder without restarting clocks', () => {
    const plan = planTimers(ticketIn('open', { priority: 'P1' }), { kind: 'wait-ended', from: 'waiting-on-customer' }, makeDeps({ pausedStatuses: [] }), NOW);

    expect(plan).toEqual({ set: [], clear: ['waiting-reminder'] });
  });

  it('resolving opens the survey window of the configured length', () => {
    const plan = planTimers(ticketIn('resolved'), { kind: 'resolved' }, makeDeps({ surveyWindowMinutes: 3 * 24 * 60 }), NOW);

    expect(dueOf(plan, 'survey-close')).toBe(after(NOW, 3 * 24 * 60));
  });

  it.each(PRIORITIES)('reopening a %s ticket re-arms what its policy defines from now', (priority: Priority) => {
    const plan = planTimers(ticketIn('reopened', { priority }), { kind: 'reopened' }, deps, NOW);

    expect(dueOf(plan, 'plan')).toBe(after(NOW, FAKE_SLA[priority].plan));
    expect(dueOf(plan, 'progress')).toBe(after(NOW, FAKE_PROGRESS[priority]));
    expect(plan.clear).toContain('survey-close');
  });

  it('closing clears every lifecycle timer and nothing else', () => {
    expect(planTimers(ticketIn('closed'), { kind: 'closed' }, deps, NOW)).toEqual({ set: [], clear: [...LIFECYCLE_TIMER_KINDS] });
  });

  it('reprioritising a resolved ticket changes no timer', () => {
    expect(planTimers(ticketIn('resolved', { priority: 'P1' }), { kind: 'reprioritised' }, deps, NOW)).toEqual({ set: [], clear: [] });
  });

  it('reprioritising a paused ticket leaves its stopped clocks stopped', () => {
    const plan = planTimers(ticketIn('waiting-on-customer', { priority: 'P1' }), { kind: 'reprioritised' }, deps, NOW);

    expect(plan.set.map((entry) => entry.kind)).toEqual(['plan']);
  });
});

describe('mergePlans', () => {
  it('a later set overrides an earlier clear of the same kind', () => {
    const merged = mergePlans({ set: [], clear: ['progress', 'plan'] }, { set: [{ kind: 'progress', dueAt: 'x' }], clear: [] });

    expect(merged).toEqual({ set: [{ kind: 'progress', dueAt: 'x' }], clear: ['plan'] });
  });

  it('a later clear overrides an earlier set', () => {
    const merged = mergePlans({ set: [{ kind: 'plan', dueAt: 'x' }], clear: [] }, { set: [], clear: ['plan'] });

    expect(merged).toEqual({ set: [], clear: ['plan'] });
  });

  it('the later of two sets wins', () => {
    const merged = mergePlans({ set: [{ kind: 'plan', dueAt: 'a' }], clear: [] }, { set: [{ kind: 'plan', dueAt: 'b' }], clear: [] });

    expect(merged.set).toEqual([{ kind: 'plan', dueAt: 'b' }]);
  });
});

describe('nextAfterFiring', () => {
  const firedAt = minutesLater(NOW, 1);

  it('a timer not yet due is kept as it is', () => {
    const decision = nextAfterFiring(timer('plan', minutesLater(NOW, 5)), ticketIn('open'), firedAt, deps);

    expect(decision).toEqual({ outcome: 'not-due', actions: [], rearm: { kind: 'plan', dueAt: minutesLater(NOW, 5).toISOString() } });
  });

  it('another service timer is ignored and kept', () => {
    const decision = nextAfterFiring({ ...timer('plan'), kind: 'notification' as TimerKind }, ticketIn('open'), firedAt, deps);

    expect(decision.outcome).toBe('ignored');
    expect(decision.actions).toEqual([]);
    expect(decision.rearm).toBeDefined();
  });

  it('a timer of another ticket is stale', () => {
    const decision = nextAfterFiring({ ...timer('plan'), ticketNo: 'CS20240520002' }, ticketIn('open'), firedAt, deps);

    expect(decision.outcome).toBe('stale');
  });

  describe('first-response', () => {
    it('a missed first response escalates with the breach recorded', () => {
      const ticket = ticketIn('new', { priority: 'P1' });

      const decision = nextAfterFiring(timer('first-response'), ticket, firedAt, deps);

      const breach = { kind: 'first-response', dueAt: NOW.toISOString(), priority: 'P1' };
      expect(decision.outcome).toBe('fire');
      expect(decision.actions).toEqual([
        { kind: 'escalate-breach', breach, action: { type: 'escalate', reason: 'first-response-deadline-missed', by: 'sweeper', breach } },
      ]);
      expect(decision.rearm).toBeUndefined();
    });

    it('is stale once the ticket was answered', () => {
      const decision = nextAfterFiring(timer('first-response'), ticketIn('new', { firstRespondedAt: NOW.toISOString() }), firedAt, deps);

      expect(decision).toMatchObject({ outcome: 'stale', actions: [] });
    });

    it('is stale once the ticket is closed', () => {
      const decision = nextAfterFiring(timer('first-response'), ticketIn('closed', { firstRespondedAt: undefined }), firedAt, deps);

      expect(decision.outcome).toBe('stale');
    });
  });

  describe('plan', () => {
    it('a missed plan escalates even after the first response', () => {
      const decision = nextAfterFiring(timer('plan'), ticketIn('open', { priority: 'P2' }), firedAt, deps);

      expect(decision.actions[0]).toMatchObject({ kind: 'escalate-breach', breach: { kind: 'plan', priority: 'P2' } });
    });

    it.each(['resolved', 'closed'] as const)('is stale once the ticket is %s', (status) => {
      expect(nextAfterFiring(timer('plan'), ticketIn(status), firedAt, deps).outcome).toBe('stale');
    });
  });

  describe('resolution', () => {
    it('a missed resolution escalates', () => {
      expect(nextAfterFiring(timer('resolution'), ticketIn('open', { priority: 'P1' }), firedAt, deps).actions[0]).toMatchObject({
        kind: 'escalate-breach',
        breach: { kind: 'resolution' },
      });
    });

    it('is stale while the clock is paused', () => {
      expect(nextAfterFiring(timer('resolution'), ticketIn('waiting-on-customer'), firedAt, deps).outcome).toBe('stale');
    });
  });

  describe('progress', () => {
    it.each(['P1', 'P2'] as const)('an open %s ticket sends a progress note and re-arms two hours on', (priority) => {
      const decision = nextAfterFiring(timer('progress'), ticketIn('open', { priority }), firedAt, deps);

      expect(decision.actions).toEqual([{ kind: 'send-progress', notice: { kind: 'progress', audience: 'customer', vars: { priority } } }]);
      expect(decision.rearm).toEqual({ kind: 'progress', dueAt: after(firedAt, 120) });
    });

    it.each(['P3', 'P4'] as const)('is stale for a ticket lowered to %s', (priority) => {
      const decision = nextAfterFiring(timer('progress'), ticketIn('open', { priority }), firedAt, deps);

      expect(decision).toMatchObject({ outcome: 'stale', actions: [] });
      expect(decision.rearm).toBeUndefined();
    });

    it.each(['waiting-on-customer', 'resolved', 'closed'] as const)('is stale and not re-armed while %s', (status) => {
      const decision = nextAfterFiring(timer('progress'), ticketIn(status, { priority: 'P1' }), firedAt, deps);

      expect(decision.outcome).toBe('stale');
      expect(decision.rearm).toBeUndefined();
    });

    describe('the progress-mail policy', () => {
      const policy = makeDeps({ progressCap: 6, progressAfterPlan: false });

      it('stops once the plan went out', () => {
        const decision = nextAfterFiring(timer('progress'), ticketIn('open', { priority: 'P1', planGivenAt: NOW.toISOString() }), firedAt, policy);

        expect(decision).toMatchObject({ outcome: 'stale', actions: [] });
        expect(decision.rearm).toBeUndefined();
      });

      it('keeps going after the plan when the desk says so', () => {
        const continuing = makeDeps({ progressAfterPlan: true });
        const decision = nextAfterFiring(timer('progress'), ticketIn('open', { priority: 'P1', planGivenAt: NOW.toISOString() }), firedAt, continuing);

        expect(decision.outcome).toBe('fire');
      });

      it('sends the last note of the cap without re-arming, and nothing after it', () => {
        const last = nextAfterFiring(timer('progress'), ticketIn('open', { priority: 'P2' }), firedAt, policy, { automaticProgressNotes: 5 });
        const beyond = nextAfterFiring(timer('progress'), ticketIn('open', { priority: 'P2' }), firedAt, policy, { automaticProgressNotes: 6 });

        expect(last.actions.map((action) => action.kind)).toEqual(['send-progress']);
        expect(last.rearm).toBeUndefined();
        expect(beyond).toMatchObject({ outcome: 'stale', actions: [] });
      });

      it('counts the next note on the progress clock (business hours), not the wall clock', () => {
        const businessLike = { ...policy, progressLater: (from: Date, minutes: number) => minutesLater(from, minutes + 15 * 60) };
        const decision = nextAfterFiring(timer('progress'), ticketIn('open', { priority: 'P1' }), firedAt, businessLike, { automaticProgressNotes: 0 });

        expect(decision.rearm).toEqual({ kind: 'progress', dueAt: after(firedAt, 120 + 15 * 60) });
      });

      it('arms no progress note when the plan is given', () => {
        const plan = planTimers(ticketIn('open', { priority: 'P1', planGivenAt: NOW.toISOString() }), { kind: 'plan-given' }, policy, NOW);

        expect(plan).toEqual({ set: [], clear: ['plan', 'progress'] });
      });
    });
  });

  describe('waiting-reminder', () => {
    it('reminds the customer and gives the agent a follow-up task, once', () => {
      const decision = nextAfterFiring(timer('waiting-reminder'), ticketIn('waiting-on-customer'), firedAt, deps);

      expect(decision.actions).toEqual([
        { kind: 'send-reminder', notice: { kind: 'reminder', audience: 'customer' } },
        { kind: 'create-follow-up-task', notice: { kind: 'follow-up-task', audience: 'agent', vars: { reason: 'customer-has-not-answered', agentId: 'bob', taskDueAt: expect.any(String) } } },
      ]);
      expect(decision.rearm).toBeUndefined();
    });

    it('is stale once the customer answered', () => {
      expect(nextAfterFiring(timer('waiting-reminder'), ticketIn('open'), firedAt, deps).outcome).toBe('stale');
    });
  });

  describe('confirmation', () => {
    it('alerts the supervisors when nobody confirmed the classification', () => {
      const decision = nextAfterFiring(timer('confirmation'), ticketIn('needs-confirmation'), firedAt, deps);

      expect(decision.actions).toEqual([
        { kind: 'alert-confirmation', notice: { kind: 'confirmation-alert', audience: 'supervisors', vars: { dueAt: NOW.toISOString() } } },
      ]);
    });

    it('is stale once confirmed', () => {
      expect(nextAfterFiring(timer('confirmation'), ticketIn('new'), firedAt, deps).outcome).toBe('stale');
    });
  });

  describe('survey-close', () => {
    it('closes a resolved ticket whose survey window elapsed', () => {
      const decision = nextAfterFiring(timer('survey-close'), ticketIn('resolved'), firedAt, deps);

      expect(decision.actions).toEqual([{ kind: 'close-ticket', action: { type: 'close', reason: 'survey-window-expired' } }]);
    });

    it.each(['reopened', 'closed'] as const)('is stale once the ticket is %s', (status) => {
      expect(nextAfterFiring(timer('survey-close'), ticketIn(status), firedAt, deps).outcome).toBe('stale');
    });
  });
});

describe('timerPolicyFrom', () => {
  it('reads the SLA configuration and turns survey days into minutes', () => {
    const sla: SlaPolicy = {
      P1: { firstResponseMinutes: 10, planMinutes: 120, progressEveryMinutes: 90, clock: 'wall' },
      P2: { firstResponseMinutes: 30, clock: 'wall' },
      P3: { firstResponseMinutes: 120, clock: 'business' },
      P4: { firstResponseMinutes: 1440, clock: 'business' },
      pausedStatuses: ['waiting-on-customer'],
      confirmationMinutes: 15,
      waitingReminderMinutes: 600,
      secondTierMinutes: { P1: 45 },
      progressNotes: { clock: 'business', maxAutomatic: 4, afterPlan: 'stop' },
    };

    const policy = timerPolicyFrom(sla, 7);

    expect(policy).toMatchObject({ confirmationMinutes: 15, waitingReminderMinutes: 600, surveyWindowMinutes: 7 * 24 * 60, pausedStatuses: ['waiting-on-customer'] });
    expect(policy.progressFor('P1')).toBe(90);
    expect(policy.progressFor('P2')).toBeUndefined();
    expect(policy).toMatchObject({ progressCap: 4, progressAfterPlan: false });
    expect(policy.secondTierFor?.('P1')).toBe(45);
    expect(policy.secondTierFor?.('P2')).toBeUndefined();
  });
});
