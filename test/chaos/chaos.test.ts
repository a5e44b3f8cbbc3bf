import { afterAll, describe, expect, it, vi } from 'vitest';
import { dynamoEndpoint } from '../support/dynamodb.js';
import { FAULTS } from '../../chaos/faults.js';
import { formatChaosReport, runChaos, type ChaosReport } from '../../chaos/harness.js';

/**
 * The reduced chaos run of `npm test`: a few hundred mixed requests with every kind of fault
 * injected, a sustained DynamoDB outage and calls hanging past the timeout and the claim lease.
 * The full run (`npm run chaos`) uses thousands; docs/reliability.md has its figures. The kills of
 * the real local runtime are in test/local/kill.test.ts.
 */
describe('pipeline under injected faults', () => {
  let report: ChaosReport;
  afterAll(() => vi.unstubAllEnvs());

  it('settles with no ticket lost, none duplicated and every notice sent exactly once', { timeout: 600_000 }, async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    report = await runChaos({ dynamoEndpoint: dynamoEndpoint(), requests: 160, seed: 4242 });
    const summary = formatChaosReport(report);
    expect(report.settled, summary).toBe(true);
    expect(report.accepted, summary).toBe(report.requests.total);
    expect(report.ticketsLost, summary).toBe(0);
    expect(report.duplicateTickets, summary).toBe(0);
    expect(report.acknowledgementsMissing, summary).toBe(0);
    expect(report.acknowledgementsSentTwice, summary).toBe(0);
    expect(report.duplicatesByKind, summary).toEqual({});
    expect(report.formGaveUp, summary).toBe(0);
    expect(report.mailPath, summary).toBe('inbound-email handler');
    expect(report.sweeper, summary).toBe('sla-sweeper handler');
    expect(report.ok, summary).toBe(true);
  });

  it('actually injected every kind of fault it claims to test, the outage included', () => {
    expect(report, 'the run above must have completed').toBeDefined();
    for (const fault of FAULTS) expect(report.faultsInjected[fault] ?? 0, fault).toBeGreaterThan(0);
    expect(report.faultsNotFired).toEqual([]);
    expect(report.outages.every((outage) => outage.began)).toBe(true);
    // A hanging send was met by a second copy of its notice after the lease, and still nothing went out twice.
    expect(report.deliveries.meanwhile).toBeGreaterThan(0);
  });

  it('replays: the same seed gives the same workload and fault schedule, and both runs keep every promise', { timeout: 600_000 }, async () => {
    // Sequential runs of one seed replay the same figures (docs/reliability.md, measured), except when
    // a fault kills a sweep invocation while it works on several tickets side by side: how far the
    // others got is real timing. So this test asserts what holds on any machine: the workload, the
    // outages, and the verdict.
    const run = () => runChaos({ dynamoEndpoint: dynamoEndpoint(), requests: 30, seed: 777, sequential: true });
    const first = await run();
    const second = await run();
    expect(second.workloadDigest).toBe(first.workloadDigest);
    expect(second.outages).toEqual(first.outages);
    expect(second.requests).toEqual(first.requests);
    for (const report of [first, second]) {
      const summary = formatChaosReport(report);
      expect(report.accepted, summary).toBe(report.requests.total);
      expect(report.ticketsLost, summary).toBe(0);
      expect(report.duplicateTickets, summary).toBe(0);
      expect(report.acknowledgementsMissing, summary).toBe(0);
      expect(report.duplicatesByKind, summary).toEqual({});
      expect(report.faultsNotFired.length, 'a replay that injects nothing proves nothing').toBeLessThan(FAULTS.length / 2);
    }
  });
});
