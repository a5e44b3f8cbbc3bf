import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { awsRuntime } from '../../shared/adapters/aws-runtime.js';
import { sqsNotificationQueue } from '../../shared/adapters/sqs-queue.js';
import { createLogger } from '../../shared/adapters/logger.js';
import type { Runtime } from '../../shared/services/context.js';
import { SweepService, type SweepSummary } from '../../shared/services/sweep.js';

const logger = createLogger('sla-sweeper');

export interface SlaSweeperOptions {
  /** Injected by tests and the local runtime; Lambda uses one instance per cold start. */
  metrics?: Metrics;
}

export function sweeperMetrics(): Metrics {
  return new Metrics({ namespace: 'Ticketline', serviceName: 'ticketline' });
}

/**
 * EventBridge `rate(1 minute)` -> one sweep over the due timers. Publishes `SlaBreaches`
 * (Ticketline namespace), which the stack alarms on.
 */
export function createSlaSweeperHandler(getRuntime: () => Promise<Runtime>, options: SlaSweeperOptions = {}) {
  const metrics = options.metrics ?? sweeperMetrics();
  return middy<unknown, SweepSummary>()
    .use(logMetrics(metrics))
    .handler(async () => {
      const summary = await new SweepService(await getRuntime(), logger).sweep();
      metrics.addMetric('SlaBreaches', MetricUnit.Count, summary.breaches.length);
      if (summary.failed > 0) metrics.addMetric('SweepFailures', MetricUnit.Count, summary.failed);
      logger.info('sweep done', { ...summary, breaches: summary.breaches.length });
      return summary;
    });
}

export const handler = createSlaSweeperHandler(awsRuntime('sla-sweeper', { queue: sqsNotificationQueue }));
