import { stepAfterNotice } from '../domain/routing.js';
import type { Runtime } from './context.js';
import { FeatureRequestService, isAnnouncement } from './feature-requests.js';
import { NotifierService, type DeliveryOutcome } from './notify.js';
import type { Notification } from './ports.js';
import { RoutingService } from './routing.js';

/**
 * The notification queue's consumer: sends the notice (NotifierService, which only sends mail),
 * then runs the step the domain puts after it (`stepAfterNotice`: routing follows the
 * acknowledgement, so the customer hears "received" before "assigned"). Each step is its own
 * service; this one only sequences them.
 *
 * The step also runs when the notice was already sent (a redelivered message): a routing step
 * that failed is retried with the message, and routing a ticket twice is harmless. The sweeper
 * stays the safety net for a ticket whose message is lost altogether.
 */
export class DeliveryService {
  private readonly notifier: NotifierService;
  private readonly routing: RoutingService;
  private readonly features: FeatureRequestService;

  constructor(runtime: Runtime) {
    this.notifier = new NotifierService(runtime);
    this.routing = new RoutingService(runtime);
    this.features = new FeatureRequestService(runtime);
  }

  async handle(notification: Notification): Promise<DeliveryOutcome> {
    // A feature request's stage change: told ticket by ticket, each customer's notice queued on its own.
    if (isAnnouncement(notification)) {
      return this.features.announce(notification.vars.featureId ?? '', Number(notification.vars.version), Number(notification.vars.start ?? 0));
    }
    const routes = notification.ticketNo !== undefined && stepAfterNotice(notification.kind, notification.audience) === 'route';
    let delivered: Awaited<ReturnType<NotifierService['send']>> | undefined;
    try {
      delivered = await this.notifier.send(notification);
    } finally {
      // Routing never waits for the notice: a mail or SMS provider that is down delays the
      // customer's acknowledgement (retried with the message), not the team's work.
      if (routes && notification.ticketNo) {
        // The sender's read of the ticket is fresh enough to decide on: the assignment's transaction is version-guarded.
        const routing = this.routing.route(notification.ticketNo, delivered?.ticket ? { known: delivered.ticket } : {});
        // When the send failed, its error is the one to report (the message is retried either way).
        await (delivered ? routing : routing.catch(() => undefined));
      }
    }
    return delivered.outcome;
  }
}
