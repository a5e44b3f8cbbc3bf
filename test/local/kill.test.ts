import { describe, expect, it } from 'vitest';
import { formatRuntimeKillReport, runRuntimeKills, type RuntimeKillReport } from '../../chaos/runtime-kills.js';

/**
 * Kill tests of the real local runtime (`npm start`), the same run `npm run chaos` ends with
 * (chaos/runtime-kills.ts): on one data folder, a burst of form posts and SMTP mails cut by
 * kill -9 of the whole runtime (restarted on the same folder), then one cut by kill -9 of DynamoDB
 * Local alone, then one during which DynamoDB Local is paused past the form's timeout. Clients send
 * again what was cut or refused, with the same Idempotency-Key or Message-ID. Every request answered
 * 201 or 250 must end as exactly one ticket with one acknowledgement, no mail of any kind twice, no
 * dead letter. No assertion on speed: the deadline only bounds a hang.
 */
describe('kill tests of the local runtime', () => {
  let report: RuntimeKillReport;

  it('kill -9 of the runtime, kill -9 and pause of DynamoDB Local: every accepted request is one ticket with one acknowledgement', { timeout: 540_000 }, async () => {
    const lines: string[] = [];
    // A run that stops early (an unexpected answer, a runtime that did not start) reports why, with the runtime's last output.
    report = await runRuntimeKills({ seed: 17, forms: 10, mails: 6, deadlineSeconds: 480, log: (line) => lines.push(line) }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${lines.join('\n')}`, { cause: error });
    });
    const summary = `${formatRuntimeKillReport(report)}\n${lines.join('\n')}`;
    console.log(formatRuntimeKillReport(report));

    expect(report.faultsNotFired, summary).toEqual([]);
    const { figures } = report;
    expect(figures.accepted, summary).toBe(figures.requests);
    expect(figures.lost, summary).toBe(0);
    expect(figures.duplicateTickets, summary).toBe(0);
    expect(figures.tickets, summary).toBe(figures.accepted);
    expect(figures.acknowledgements, summary).toBe(figures.accepted);
    expect(figures.duplicatesByKind, summary).toEqual({});
    expect(figures.deadLetters, summary).toBe(0);
    expect(report.ok, summary).toBe(true);
  });

  it('the kill cut a burst that had already been partly accepted', () => {
    expect(report, 'the run above must have completed').toBeDefined();
    const kill = report.steps.find((step) => step.fault === 'runtime:kill-9');
    expect(kill?.acceptedBeforeFault).toBeGreaterThan(0);
  });

  it('while DynamoDB Local was down the runtime answered 503 + Retry-After and SMTP 451, and restarted it once', () => {
    expect(report, 'the run above must have completed').toBeDefined();
    const probe = report.steps.find((step) => step.fault === 'dynamodb-local:kill-9')?.probe;
    expect(probe).toMatchObject({ database: 'down', http: 503, retryAfter: expect.stringMatching(/^\d+$/) as unknown });
    // The probe mail may slip in once the database is back (250); refused while it was down, it is 451.
    expect([451, 250]).toContain(probe?.smtp);
    expect(report.databaseRestarts).toBe(1);
  });

  it('a form post that could not finish while DynamoDB Local hung answered 503 + Retry-After, and its retry got its one ticket', () => {
    expect(report, 'the run above must have completed').toBeDefined();
    const probe = report.steps.find((step) => step.fault === 'dynamodb-local:pause')?.probe;
    expect(probe).toMatchObject({ database: 'paused', http: 503, retryAfter: expect.stringMatching(/^\d+$/) as unknown });
  });
});
