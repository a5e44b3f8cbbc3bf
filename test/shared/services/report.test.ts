import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { createSlaSweeperHandler } from '../../../functions/sla-sweeper/handler.js';
import { createWeeklyReportHandler } from '../../../functions/weekly-report/handler.js';
import type { WeeklyReport } from '../../../shared/domain/reporting.js';
import { LifecycleService } from '../../../shared/services/lifecycle.js';
import { lastFullWeek, reportKey, ReportService, toReportTicket } from '../../../shared/services/report.js';
import { SurveyService } from '../../../shared/services/survey.js';
import { renderTemplate, templateFor } from '../../../shared/templates/index.js';
import { testContext } from '../../support/http.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';
import { createTicket } from '../../support/tickets.js';

/**
 * A generated week, 2024-W21 in Asia/Shanghai (Monday 2024-05-20 00:00 +08:00 = 2024-05-19T16:00Z):
 * - the week before: one consultation (created 2024-05-14);
 * - Monday 10:00: a P1 outage, unanswered past its 10-minute first response (the sweeper breaches it);
 * - Monday 11:00: a how-to question, resolved at 11:30, scored 2 by mail, followed up by QA;
 * - Wednesday: another how-to question, never answered.
 */
async function generatedWeek(): Promise<{ runtime: TestRuntime; lowScored: string }> {
  const runtime = await testRuntime({ now: '2024-05-14T03:00:00Z' });
  await createTicket(runtime, { description: 'What are your opening hours?' });
  runtime.clock.set('2024-05-20T02:00:00Z');
  await createTicket(runtime, { description: 'The site is down for everyone, production down since this morning' });
  runtime.clock.advanceMinutes(20);
  await createSlaSweeperHandler(async () => runtime, { metrics: new Metrics({ namespace: 'Test', serviceName: 'test' }) })({}, testContext);
  runtime.clock.set('2024-05-20T03:00:00Z');
  const question = await createTicket(runtime, { description: 'How do I change the invoice address on my account?' });
  runtime.clock.advanceMinutes(30);
  await new LifecycleService(runtime).apply(question.ticketNo, { type: 'resolve', summary: 'Changed the invoice address' }, 'alice');
  runtime.clock.advanceMinutes(60);
  const survey = new SurveyService(runtime);
  await survey.recordFromMail(question.ticketNo, { score: 2 });
  await survey.recordQaFollowUp(question.ticketNo, { outcome: 'called back', reason: 'address form unclear' }, 'quinn');
  runtime.clock.set('2024-05-22T06:00:00Z');
  await createTicket(runtime, { description: 'How do I download my invoices?' });
  runtime.clock.set('2024-05-27T01:00:00Z');
  return { runtime, lowScored: question.ticketNo };
}

describe('lastFullWeek', () => {
  it('is the week before the current one in the desk time zone', () => {
    // Monday 09:00 in Shanghai, still Sunday in UTC.
    expect(lastFullWeek(new Date('2024-05-27T01:00:00Z'), 'Asia/Shanghai')).toBe('2024-W21');
    expect(lastFullWeek(new Date('2024-05-26T15:59:00Z'), 'Asia/Shanghai')).toBe('2024-W20');
  });
});

describe('ReportService over a generated week', () => {
  it('writes report.json, report.csv and report.html under reports/<week>/ with the week figures', async () => {
    const { runtime, lowScored } = await generatedWeek();

    const run = await new ReportService(runtime).run();

    expect(run.week).toBe('2024-W21');
    const json = await runtime.reportBlobs.get(reportKey('2024-W21', 'json'));
    const csv = await runtime.reportBlobs.get(reportKey('2024-W21', 'csv'));
    const html = await runtime.reportBlobs.get(reportKey('2024-W21', 'html'));
    const report = JSON.parse(String(json)) as WeeklyReport;
    expect(report.totals.created).toBe(3);
    expect(report.totals.resolved).toBe(1);
    expect(report.weekOnWeek.created).toMatchObject({ current: 3, previous: 1 });
    expect(report.breaches.total).toBeGreaterThanOrEqual(1);
    expect(report.breaches.byPriority.find((row) => row.key === 'P1')?.count).toBeGreaterThanOrEqual(1);
    expect(report.satisfaction.distribution.find((row) => row.score === 2)?.count).toBe(1);
    expect(report.lowScores).toEqual([expect.objectContaining({ ticketNo: lowScored, score: 2, qaFollowUp: expect.objectContaining({ outcome: 'called back', by: 'quinn' }) })]);
    expect(String(csv)).toContain(lowScored);
    expect(String(html)).toMatch(/^<!doctype html>/i);
    expect(String(html)).toContain('<svg');
  });

  it('queues one weekly-report mail to supervisors whose vars fill every required placeholder', async () => {
    const { runtime } = await generatedWeek();

    const run = await new ReportService(runtime).run('2024-W21');

    const notification = runtime.queue.sent.find((sent) => sent.kind === 'weekly-report');
    expect(notification).toMatchObject({ notificationId: 'weekly-report.2024-W21.1', audience: 'supervisors' });
    const rendered = renderTemplate(templateFor('weekly-report', {}), 'en', notification?.vars ?? {});
    expect(rendered.subject).toContain('2024-05-20');
    expect(rendered.text).toContain('2024-05-26');
    expect(rendered.text).toContain(String(run.report.totals.created));
    expect(rendered.text).toContain('/console/reports/2024-W21');
  });

  it('lists weeks that have a report and reads a stored file back', async () => {
    const { runtime } = await generatedWeek();
    const service = new ReportService(runtime);
    await service.run('2024-W21', { notify: false });
    expect(await service.weeks()).toEqual(['2024-W21']);
    expect(String(await service.read('2024-W21', 'csv'))).toContain('2024-W21');
    expect(await service.read('2024-W20', 'csv')).toBeUndefined();
  });

  it('is run by the weekly-report handler for the week the schedule names', async () => {
    const { runtime } = await generatedWeek();
    const result = await createWeeklyReportHandler(async () => runtime)({ week: '2024-W21' }, testContext);
    expect(result).toMatchObject({ week: '2024-W21', created: 3, notificationId: 'weekly-report.2024-W21.1' });
  });
});

describe('toReportTicket', () => {
  it('counts a breach once when both a breach and an escalated event record it', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime);
    const breach = { kind: 'first-response', dueAt: '2024-05-20T02:10:00.000Z', priority: 'P1' };
    const event = (kind: string, detail: Record<string, unknown>) => ({ ticketNo: ticket.ticketNo, eventId: kind, at: '2024-05-20T02:11:00.000Z', actor: 'sweeper', kind, detail });
    const report = toReportTicket({ ticket, messages: [], timers: [], events: [event('breach', breach), event('escalated', { reason: 'x', breach })] });
    expect(report.breaches).toEqual([{ kind: 'first-response', priority: 'P1', at: '2024-05-20T02:10:00.000Z' }]);
  });
});
