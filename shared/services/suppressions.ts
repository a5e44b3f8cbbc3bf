import { can } from '../domain/authorization.js';
import { normaliseEmail } from '../domain/addresses.js';
import type { AgentPrincipal } from '../domain/authorization.js';
import type { Runtime } from './context.js';
import { ForbiddenError, NotFoundError, ValidationError } from './errors.js';
import type { Suppression } from './ports.js';

/**
 * The suppression list as admins see it: every address the desk does not mail (a permanent
 * bounce or a complaint, from SES's events or from a delivery report matched to our own
 * notification record), and lifting one. Lifting is an admin's call: mailing an address that
 * bounced or complained again costs the desk's sending reputation.
 */
export class SuppressionService {
  constructor(private readonly runtime: Runtime) {}

  /** Suppressions in force now, newest first. */
  async list(principal: AgentPrincipal, limit = 500): Promise<Suppression[]> {
    if (!can(principal, 'manage-suppressions')) throw new ForbiddenError('not allowed to manage suppressions');
    const found = await this.runtime.store.listSuppressions(this.runtime.clock.now(), limit);
    return found.sort((a, b) => b.at.localeCompare(a.at));
  }

  /**
   * Lifts the suppression of `address`; the next notice to it is sent again.
   *
   * @throws {NotFoundError} when the address is not suppressed.
   */
  async lift(principal: AgentPrincipal, address: string): Promise<{ address: string; lifted: true; was: Suppression }> {
    if (!can(principal, 'manage-suppressions')) throw new ForbiddenError('not allowed to manage suppressions');
    const normalised = normaliseEmail(address);
    if (!normalised.includes('@')) throw new ValidationError('invalid address', [{ field: 'address', message: 'an email address' }]);
    const was = await this.runtime.store.suppression(normalised, this.runtime.clock.now());
    if (!was || !(await this.runtime.store.liftSuppression(normalised))) throw new NotFoundError('suppression', normalised);
    return { address: normalised, lifted: true, was };
  }
}
