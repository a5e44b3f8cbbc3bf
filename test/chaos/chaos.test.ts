import { inject, describe, expect, it } from 'vitest';
import { FAULTS } from '../../chaos/faults.js';
import { formatChaosReport, runChaos, type ChaosReport } from '../../chaos/harness.js';

/**
 * The reduced chaos run of `npm test`: a few hundred mixed requests with every kind of fault
 * injected. The full run (`npm run chaos`) uses thousands; docs/reliability.md has its figures.
 */
describe('pipeline under injected faults', () => {
  let report: ChaosReport;

  it('settles with no ticket lost, none duplicated and every acknowledgement sent exactly once', { timeout: 240_000 }, async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    report = await runChaos({ dynamoEndpoint: inject('dynamoEndpoint'), requests: 160, seed: 4242 });
    const summary = formatChaosReport(report);
    expect(report.settled, summary).toBe(true);
    expect(report.accepted, summary).toBeGreaterThan(120);
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

  it('actually injected every kind of fault it claims to test', () => {
    expect(report, 'the run above must have completed').toBeDefined();
    for (const fault of FAULTS) expect(report.faultsInjected[fault] ?? 0, fault).toBeGreaterThan(0);
    expect(report.faultsNotFired).toEqual([]);
  });
});
