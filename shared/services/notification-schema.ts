import * as z from 'zod';
import type { Notification } from './ports.js';

/** The queue message body of a notification, checked where it enters the notifier. */
export const notificationSchema: z.ZodType<Notification> = z.object({
  notificationId: z.string().regex(/^[A-Za-z0-9._-]{3,200}$/),
  /** Empty for a desk-wide notice (the weekly report), else the ticket it is about. */
  ticketNo: z.union([z.string().regex(/^CS\d{11,17}$/), z.literal('')]),
  kind: z.string().min(1).max(50),
  audience: z.enum(['customer', 'supervisors', 'qa', 'agent']),
  agentId: z.string().optional(),
  language: z.enum(['zh-CN', 'en']).optional(),
  vars: z.record(z.string(), z.string()).default({}),
}) as z.ZodType<Notification>;
