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
  attachments: z
    .array(
      z.object({
        name: z.string().max(300),
        contentType: z.string().max(200),
        size: z.number().int().min(0),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        storageKey: z.string().max(1024).optional(),
        flags: z.array(z.enum(['too-large', 'virus', 'inline'])),
      }),
    )
    .max(20)
    .optional(),
}) satisfies z.ZodType<Notification>;
