import middy from '@middy/core';
import * as z from 'zod';
import { awsRuntime } from '../../shared/adapters/aws-runtime.js';
import { s3BlobStore } from '../../shared/adapters/s3-blob-store.js';
import { sqsNotificationQueue } from '../../shared/adapters/sqs-queue.js';
import { createLogger } from '../../shared/adapters/logger.js';
import type { Runtime } from '../../shared/services/context.js';
import { ReportService } from '../../shared/services/report.js';

const logger = createLogger('weekly-report');

/** What the schedule sends: nothing (the last full week) or a week to rebuild by hand. */
const reportEventSchema = z.object({ week: z.string().regex(/^\d{4}-W\d{2}$/).optional(), notify: z.boolean().optional() }).passthrough();

export interface WeeklyReportResult {
  week: string;
  keys: Record<'json' | 'csv' | 'html', string>;
  created: number;
  notificationId?: string;
}

/** EventBridge Scheduler, Monday 09:00 desk time: build last week's report, store it, mail the supervisors. */
export function createWeeklyReportHandler(getRuntime: () => Promise<Runtime>) {
  return middy<unknown, WeeklyReportResult>().handler(async (event) => {
    const input = reportEventSchema.parse(event ?? {});
    const runtime = await getRuntime();
    const run = await new ReportService(runtime).run(input.week, { notify: input.notify ?? true });
    logger.info('weekly report written', { week: run.week, created: run.report.totals.created, keys: Object.values(run.keys) });
    return { week: run.week, keys: run.keys, created: run.report.totals.created, ...(run.notification ? { notificationId: run.notification.notificationId } : {}) };
  });
}

export const handler = createWeeklyReportHandler(awsRuntime('weekly-report', { queue: sqsNotificationQueue, reportBlobs: s3BlobStore }));
