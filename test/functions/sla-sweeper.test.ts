import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { createSlaSweeperHandler } from '../../functions/sla-sweeper/handler.js';
import { testRuntime } from '../support/runtime.js';
import { createTicket, lambdaContext } from '../support/tickets.js';

describe('sla-sweeper handler', () => {
  it('publishes SlaBreaches for the deadlines a sweep finds missed', async () => {
    const runtime = await testRuntime();
    await createTicket(runtime);
    await createTicket(runtime);
    runtime.clock.advanceMinutes(11);
    const metrics = new Metrics({ namespace: 'Ticketline', serviceName: 'ticketline' });
    const added = vi.spyOn(metrics, 'addMetric');
    vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);

    const summary = await createSlaSweeperHandler(async () => runtime, { metrics })({ 'detail-type': 'Scheduled Event' }, lambdaContext);

    expect(summary.breaches).toHaveLength(2);
    expect(added).toHaveBeenCalledWith('SlaBreaches', 'Count', 2);
  });
});
