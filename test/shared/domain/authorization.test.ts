import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../shared/config/schema.js';
import { PERMISSIONS, can, type AccessResource, type Permission, type Principal } from '../../../shared/domain/authorization.js';

const me = (roles: Role[]): Principal => ({ agentId: 'alice', roles, team: 'technical' });

/** The scopes every permission is checked in, in the order of the letters below. */
const SCOPES: Array<[string, AccessResource | undefined]> = [
  ['own team', { team: 'technical' }],
  ['other team', { team: 'general' }],
  ['other team, assigned to me', { team: 'general', assignee: 'alice' }],
  ['no resource', undefined],
];

// Y/N per scope above, written from the requirements, independently of the code's table.
const EXPECTED: Record<Role, Record<Permission, string>> = {
  agent: {
    'view-queue': 'YNNN',
    'view-ticket': 'YNYN',
    reply: 'YNYN',
    note: 'YNYN',
    classify: 'YNYN',
    assign: 'NNNN',
    'wait-on-customer': 'YNYN',
    escalate: 'YNYN',
    resolve: 'YNYN',
    reopen: 'YNYN',
    close: 'YNYN',
    'edit-templates': 'NNNN',
    'view-unmasked-customer': 'YNYN',
    'qa-follow-up': 'NNNN',
    'view-reports': 'NNNN',
    'view-escalations': 'NNNN',
    'manage-feature-requests': 'NNNN',
    'manage-suppressions': 'NNNN',
    'read-templates': 'YYYY',
    'review-held': 'YNNN',
    'replay-dead-letters': 'NNNN',
    'manage-agents': 'NNNN',
    'manage-settings': 'NNNN',
  },
  supervisor: {
    'view-queue': 'YYYY',
    'view-ticket': 'YYYY',
    reply: 'YYYY',
    note: 'YYYY',
    classify: 'YYYY',
    assign: 'YYYY',
    'wait-on-customer': 'YYYY',
    escalate: 'YYYY',
    resolve: 'YYYY',
    reopen: 'YYYY',
    close: 'YYYY',
    'edit-templates': 'YYYY',
    'view-unmasked-customer': 'YYYY',
    'qa-follow-up': 'NNNN',
    'view-reports': 'YYYY',
    'view-escalations': 'YYYY',
    'manage-feature-requests': 'YYYY',
    'manage-suppressions': 'NNNN',
    'read-templates': 'YYYY',
    'review-held': 'YYYY',
    'replay-dead-letters': 'NNNN',
    'manage-agents': 'NNNN',
    'manage-settings': 'NNNN',
  },
  qa: {
    'view-queue': 'NNNN',
    'view-ticket': 'YYYY',
    reply: 'NNNN',
    note: 'YYYY',
    classify: 'NNNN',
    assign: 'NNNN',
    'wait-on-customer': 'NNNN',
    escalate: 'NNNN',
    resolve: 'NNNN',
    reopen: 'NNNN',
    close: 'NNNN',
    'edit-templates': 'NNNN',
    'view-unmasked-customer': 'YYYY',
    'qa-follow-up': 'YYYY',
    'view-reports': 'YYYY',
    'view-escalations': 'NNNN',
    'manage-feature-requests': 'NNNN',
    'manage-suppressions': 'NNNN',
    'read-templates': 'NNNN',
    'review-held': 'NNNN',
    'replay-dead-letters': 'NNNN',
    'manage-agents': 'NNNN',
    'manage-settings': 'NNNN',
  },
  admin: Object.fromEntries(PERMISSIONS.map((permission) => [permission, 'YYYY'])) as Record<Permission, string>,
};

const cases = ROLES.flatMap((role) =>
  PERMISSIONS.flatMap((permission) =>
    SCOPES.map(([scope, resource], i) => ({ role, permission, scope, resource, expected: EXPECTED[role][permission][i] === 'Y' })),
  ),
);

describe('can', () => {
  it.each(cases)('$role / $permission / $scope: $expected', ({ role, permission, resource, expected }) => {
    expect(can(me([role]), permission, resource)).toBe(expected);
  });

  describe('assign', () => {
    it('an agent may take a ticket of their own team', () => {
      expect(can(me(['agent']), 'assign', { team: 'technical', assignee: 'alice' })).toBe(true);
    });

    it('an agent may not hand a ticket to a colleague', () => {
      expect(can(me(['agent']), 'assign', { team: 'technical', assignee: 'bob' })).toBe(false);
    });

    it('an agent may not take a ticket of another team', () => {
      expect(can(me(['agent']), 'assign', { team: 'general', assignee: 'alice' })).toBe(false);
    });

    it('a supervisor may assign anyone', () => {
      expect(can(me(['supervisor']), 'assign', { team: 'general', assignee: 'bob' })).toBe(true);
    });
  });

  it('a principal with several roles holds what any of them grants', () => {
    const agentAndQa = me(['agent', 'qa']);

    expect(can(agentAndQa, 'view-reports')).toBe(true);
    expect(can(agentAndQa, 'reply', { team: 'technical' })).toBe(true);
    expect(can(agentAndQa, 'reply', { team: 'general' })).toBe(false);
  });

  it('a principal without roles may do nothing', () => {
    expect(PERMISSIONS.some((permission) => can(me([]), permission, { team: 'technical', assignee: 'alice' }))).toBe(false);
  });
});
