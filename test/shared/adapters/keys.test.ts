import { describe, expect, it } from 'vitest';
import { queuePk } from '../../../shared/adapters/keys.js';

describe('queuePk', () => {
  it('spells each list as the partition its items have always been indexed under', () => {
    expect(queuePk({ list: 'team', team: 'technical', state: 'active' })).toBe('QUEUE#technical#active');
    expect(queuePk({ list: 'team', team: 'technical', state: 'done' })).toBe('QUEUE#technical#done');
    expect(queuePk({ list: 'review', state: 'active' })).toBe('QUEUE#*review#active');
    expect(queuePk({ list: 'review', state: 'done' })).toBe('QUEUE#*review#done');
    expect(queuePk({ list: 'supervisors' })).toBe('QUEUE#*supervisors#active');
    expect(queuePk({ list: 'qa', state: 'active' })).toBe('QUEUE#*qa#active');
    expect(queuePk({ list: 'qa', state: 'done' })).toBe('QUEUE#*qa#done');
    expect(queuePk({ list: 'tasks', agentId: 'alice' })).toBe('TASKS#alice');
    expect(queuePk({ list: 'escalations', week: '2026-W49' })).toBe('ESCALATIONS#2026-W49');
  });

  it('keeps the desk\'s own queues apart from every team queue (team ids cannot contain `*`)', () => {
    const desk = [queuePk({ list: 'supervisors' }), queuePk({ list: 'qa', state: 'active' }), queuePk({ list: 'review', state: 'active' })];

    for (const partition of desk) expect(partition.split('#')[1]?.startsWith('*')).toBe(true);
  });
});
