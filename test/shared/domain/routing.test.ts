import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEAMS } from '../../../shared/config/defaults.js';
import { alsoOnSupervisorQueue, chooseAgent, queueSortKey, teamFor, teamQueue, ticketQueue, type RoutableAgent } from '../../../shared/domain/routing.js';
import { TICKET_STATUSES, type Priority, type Ticket } from '../../../shared/domain/ticket.js';

const agent = (id: string, load: number, overrides: Partial<RoutableAgent> = {}): RoutableAgent => ({
  id,
  team: 'technical',
  available: true,
  load,
  roles: ['agent'],
  ...overrides,
});

describe('chooseAgent', () => {
  it('picks the least-loaded available agent of the team', () => {
    const agents = [agent('alice', 3), agent('bob', 1), agent('carol', 0, { team: 'after-sales' }), agent('dan', 0, { available: false })];

    expect(chooseAgent('technical', agents)).toBe('bob');
  });

  it('breaks ties by id, whatever the input order', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([agent('bob', 1), agent('alice', 1), agent('zed', 1)], { minLength: 3 }), (agents) => {
        expect(chooseAgent('technical', agents)).toBe('alice');
      }),
    );
  });

  it('skips people without the agent role', () => {
    expect(chooseAgent('technical', [agent('quinn', 0, { roles: ['qa'] }), agent('sam', 5, { roles: ['supervisor', 'agent'] })])).toBe('sam');
  });

  it('returns undefined when nobody of the team can take the ticket', () => {
    expect(chooseAgent('technical', [agent('dan', 0, { available: false }), agent('carol', 0, { team: 'general' })])).toBeUndefined();
  });
});

describe('queueSortKey', () => {
  const ticket = (priority: Priority, vip: boolean, due: string, ticketNo: string) => ({ priority, customer: { vip }, firstResponseDueAt: due, ticketNo });

  it('sorts by priority, then VIP, then deadline, then ticket number', () => {
    const expectedOrder = [
      ticket('P1', false, '2024-05-20T09:00:00.000Z', 'CS20240520009'),
      ticket('P2', true, '2024-05-20T12:00:00.000Z', 'CS20240520008'),
      ticket('P2', false, '2024-05-20T10:00:00.000Z', 'CS20240520007'),
      ticket('P2', false, '2024-05-20T11:00:00.000Z', 'CS20240520002'),
      ticket('P2', false, '2024-05-20T11:00:00.000Z', 'CS20240520003'),
      ticket('P4', true, '2024-05-19T00:00:00.000Z', 'CS20240519001'),
    ];

    const sorted = [...expectedOrder].reverse().sort((a, b) => (queueSortKey(a) < queueSortKey(b) ? -1 : 1));

    expect(sorted).toEqual(expectedOrder);
  });

  it('puts sequence 1000 after 999 of the same day', () => {
    const due = '2024-05-20T11:00:00.000Z';

    expect(queueSortKey(ticket('P3', false, due, 'CS20240520999')) < queueSortKey(ticket('P3', false, due, 'CS202405201000'))).toBe(true);
  });

  it('orders deadlines by instant, not by how they were written', () => {
    const early = ticket('P3', false, '2024-05-20T10:00:00+08:00', 'CS20240520002');
    const late = ticket('P3', false, '2024-05-20T03:00:00Z', 'CS20240520001');

    expect(queueSortKey(early) < queueSortKey(late)).toBe(true);
  });
});

describe('teamQueue', () => {
  it.each(TICKET_STATUSES)('puts a %s ticket in the right half of the team queue', (status) => {
    const expected = status === 'resolved' || status === 'closed' ? 'done' : 'active';

    expect(teamQueue('general', status)).toEqual({ list: 'team', team: 'general', state: expected });
  });
});

describe('ticketQueue', () => {
  const base: Pick<Ticket, 'team' | 'status' | 'flags' | 'review'> = { team: 'general', status: 'open', flags: [] };

  it('lists a ticket on its team queue', () => {
    expect(ticketQueue(base)).toEqual({ list: 'team', team: 'general', state: 'active' });
  });

  it('lists held mail on the review queue, and decided held mail under its done half', () => {
    expect(ticketQueue({ ...base, flags: ['review'] })).toEqual({ list: 'review', state: 'active' });
    expect(ticketQueue({ ...base, review: { outcome: 'discarded', by: 'alice', at: '2024-05-20T02:00:00.000Z' } })).toEqual({ list: 'review', state: 'done' });
  });

  it('lists held mail opened as a ticket on its team queue', () => {
    expect(ticketQueue({ ...base, review: { outcome: 'opened', by: 'alice', at: '2024-05-20T02:00:00.000Z' } })).toEqual({ list: 'team', team: 'general', state: 'active' });
  });
});

describe('alsoOnSupervisorQueue', () => {
  it.each([
    ['P1', [], true],
    ['P2', [], true],
    ['P3', [], false],
    ['P4', ['vip'], false],
    ['P4', ['escalated'], true],
  ] as const)('%s with flags %j: %s', (priority, flags, expected) => {
    expect(alsoOnSupervisorQueue({ priority, flags: [...flags] })).toBe(expected);
  });
});

describe('teamFor', () => {
  const rules = [
    { tag: 'login', keywords: ['无法登录'], team: 'technical' },
    { tag: 'bug', keywords: ['报错'], team: 'technical' },
    { tag: 'refund', keywords: ['退款'], team: 'after-sales' },
  ];
  const config = { rules, teams: DEFAULT_TEAMS, defaultTeam: 'general' };

  it('takes the team all tags agree on', () => {
    expect(teamFor({ type: 'fault', tags: ['login', 'bug'] }, config)).toEqual({ team: 'technical', decided: true });
  });

  it('is undecided when tags point at different teams', () => {
    expect(teamFor({ type: 'after-sales', tags: ['login', 'refund'] }, config)).toEqual({ team: 'after-sales', decided: false });
  });

  it('is undecided without any tag, and falls back to the team of the type', () => {
    expect(teamFor({ type: 'complaint', tags: [] }, config)).toEqual({ team: 'after-sales', decided: false });
  });

  it('falls back to the default team when no team takes the type', () => {
    expect(teamFor({ type: 'other', tags: [] }, { ...config, teams: [] })).toEqual({ team: 'general', decided: false });
  });
});
