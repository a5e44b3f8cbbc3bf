import type { Role } from '../config/schema.js';

/**
 * Who may do what. A principal holds one or more roles; a permission is granted when any of its
 * roles grants it. Agents are scoped to their team (or to tickets assigned to them); supervisors
 * and admins see every team. Unknown scope (no resource given for a scoped check) is a refusal:
 * an agent's access has to be shown, not assumed.
 *
 * | permission              | agent                          | supervisor | qa  | admin |
 * |-------------------------|--------------------------------|------------|-----|-------|
 * | view-queue              | own team                       | any        | -   | any   |
 * | view-ticket             | own team or assigned           | any        | any | any   |
 * | reply, classify,        | own team or assigned           | any        | -   | any   |
 * | wait-on-customer,       |                                |            |     |       |
 * | escalate, resolve,      |                                |            |     |       |
 * | reopen, close           |                                |            |     |       |
 * | note                    | own team or assigned           | any        | any | any   |
 * | assign                  | self, ticket of own team       | any        | -   | any   |
 * | edit-templates          | -                              | yes        | -   | yes   |
 * | read-templates (macros) | yes                            | yes        | -   | yes   |
 * | view-unmasked-customer  | own team or assigned           | any        | any | any   |
 * | qa-follow-up            | -                              | -          | yes | yes   |
 * | view-reports            | -                              | yes        | yes | yes   |
 * | view-escalations        | -                              | yes        | -   | yes   |
 * | manage-feature-requests | -                              | yes        | -   | yes   |
 * | manage-suppressions     | -                              | -          | -   | yes   |
 * | review-held             | own team                       | any        | -   | any   |
 * | replay-dead-letters     | -                              | -          | -   | yes   |
 * | manage-agents           | -                              | -          | -   | yes   |
 * | manage-settings         | -                              | -          | -   | yes   |
 *
 * QA reads any ticket, sees the customer's contact unmasked and writes notes because its job is
 * the follow-up call on a low score; it does not work tickets.
 */

export const PERMISSIONS = [
  'view-queue',
  'view-ticket',
  'reply',
  'note',
  'classify',
  'assign',
  'wait-on-customer',
  'escalate',
  'resolve',
  'reopen',
  'close',
  'edit-templates',
  'read-templates',
  'view-unmasked-customer',
  'qa-follow-up',
  'view-reports',
  'view-escalations',
  'manage-feature-requests',
  'manage-suppressions',
  'review-held',
  'replay-dead-letters',
  'manage-agents',
  'manage-settings',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface Principal {
  agentId: string;
  roles: readonly Role[];
  team: string;
}

/** A signed-in agent as the services see them: who, with which roles and team, and how to name and reach them. */
export interface AgentPrincipal extends Principal {
  name: string;
  email: string;
}

/**
 * What a check is about. For tickets: the ticket's team and current assignee. For `view-queue`:
 * the queue's team. For `assign`: the ticket's team and the agent it is to be assigned to.
 */
export interface AccessResource {
  team?: string;
  assignee?: string;
}

type Rule = 'any' | 'team' | 'team-or-assigned' | 'self-assign' | 'none';

const AGENT_WORK: Rule = 'team-or-assigned';

const TABLE: Record<Permission, Record<Role, Rule>> = {
  'view-queue': { agent: 'team', supervisor: 'any', qa: 'none', admin: 'any' },
  'view-ticket': { agent: AGENT_WORK, supervisor: 'any', qa: 'any', admin: 'any' },
  reply: { agent: AGENT_WORK, supervisor: 'any', qa: 'none', admin: 'any' },
  note: { agent: AGENT_WORK, supervisor: 'any', qa: 'any', admin: 'any' },
  classify: { agent: AGENT_WORK, supervisor: 'any', qa: 'none', admin: 'any' },
  assign: { agent: 'self-assign', supervisor: 'any', qa: 'none', admin: 'any' },
  'wait-on-customer': { agent: AGENT_WORK, supervisor: 'any', qa: 'none', admin: 'any' },
  escalate: { agent: AGENT_WORK, supervisor: 'any', qa: 'none', admin: 'any' },
  resolve: { agent: AGENT_WORK, supervisor: 'any', qa: 'none', admin: 'any' },
  reopen: { agent: AGENT_WORK, supervisor: 'any', qa: 'none', admin: 'any' },
  close: { agent: AGENT_WORK, supervisor: 'any', qa: 'none', admin: 'any' },
  'edit-templates': { agent: 'none', supervisor: 'any', qa: 'none', admin: 'any' },
  // Every agent reads the desk's templates and macros to answer with them; only supervisors edit them.
  'read-templates': { agent: 'any', supervisor: 'any', qa: 'none', admin: 'any' },
  'view-unmasked-customer': { agent: AGENT_WORK, supervisor: 'any', qa: 'any', admin: 'any' },
  'qa-follow-up': { agent: 'none', supervisor: 'none', qa: 'any', admin: 'any' },
  'view-reports': { agent: 'none', supervisor: 'any', qa: 'any', admin: 'any' },
  'view-escalations': { agent: 'none', supervisor: 'any', qa: 'none', admin: 'any' },
  'manage-feature-requests': { agent: 'none', supervisor: 'any', qa: 'none', admin: 'any' },
  // Lifting a suppression mails an address that bounced or complained again: the desk's sending reputation.
  'manage-suppressions': { agent: 'none', supervisor: 'none', qa: 'none', admin: 'any' },
  // Held mail of the team the rules put it in; accepting it into a ticket also needs `reply` there.
  'review-held': { agent: 'team', supervisor: 'any', qa: 'none', admin: 'any' },
  'replay-dead-letters': { agent: 'none', supervisor: 'none', qa: 'none', admin: 'any' },
  'manage-agents': { agent: 'none', supervisor: 'none', qa: 'none', admin: 'any' },
  // Teams, keyword rules, the response-time policy and the calendar decide every ticket's route and deadlines.
  'manage-settings': { agent: 'none', supervisor: 'none', qa: 'none', admin: 'any' },
};

export type AccessRule = Rule;

function grants(rule: Rule, principal: Principal, resource: AccessResource | undefined): boolean {
  switch (rule) {
    case 'any':
      return true;
    case 'none':
      return false;
    case 'team':
      return resource?.team !== undefined && resource.team === principal.team;
    case 'team-or-assigned':
      return resource !== undefined && ((resource.team !== undefined && resource.team === principal.team) || resource.assignee === principal.agentId);
    case 'self-assign':
      return resource?.team !== undefined && resource.team === principal.team && resource.assignee === principal.agentId;
  }
}

/**
 * Whether a principal holds a permission, for a resource where it is scoped.
 *
 * @example
 * can({ agentId: 'alice', roles: ['agent'], team: 'technical' }, 'reply', { team: 'technical' }); // true
 * can({ agentId: 'alice', roles: ['agent'], team: 'technical' }, 'assign', { team: 'technical', assignee: 'bob' }); // false
 */
export function can(principal: Principal, permission: Permission, resource?: AccessResource): boolean {
  return principal.roles.some((role) => grants(TABLE[permission][role], principal, resource));
}
