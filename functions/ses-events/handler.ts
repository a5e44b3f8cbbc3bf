import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { awsRuntime } from '../../shared/adapters/aws-runtime.js';
import { createLogger } from '../../shared/adapters/logger.js';
import type { Runtime } from '../../shared/services/context.js';
import { SesEventService, type SesEventOutcome } from '../../shared/services/inbound-ses-events.js';

const logger = createLogger('ses-events');

/** SES bounce and complaint events (EventBridge) -> suppression list. A throw makes EventBridge retry. */
export function createSesEventsHandler(getRuntime: () => Promise<Runtime>) {
  return middy<EventBridgeEvent<string, unknown>, SesEventOutcome>().handler(async (event) => {
    const outcome = await new SesEventService(await getRuntime()).handle(event['detail-type'], event.detail);
    logger.info('ses event handled', { detailType: event['detail-type'], id: event.id, ...outcome });
    return outcome;
  });
}

export const handler = createSesEventsHandler(awsRuntime('ses-events'));
