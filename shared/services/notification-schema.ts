import * as z from 'zod';
import { LANGUAGES } from '../domain/ticket.js';
import { AUDIENCES, NOTICE_KINDS } from '../domain/vocabulary.js';
import type { Notification } from './ports.js';

/** The queue message body of a notification, checked where it enters the notifier. */
export const notificationSchema = z.object({
  notificationId: z.string().regex(/^[A-Za-z0-9._-]{3,200}$/),
  /** Empty for a desk-wide notice (the weekly report), else the ticket it is about. */
  ticketNo: z.union([z.string().regex(/^CS\d{11,17}$/), z.literal('')]),
  kind: z.enum(NOTICE_KINDS),
  audience: z.enum(AUDIENCES),
  agentId: z.string().optional(),
  language: z.enum(LANGUAGES).optional(),
  vars: z.record(z.string(), z.string()).default({}),
}) satisfies z.ZodType<Notification>;
