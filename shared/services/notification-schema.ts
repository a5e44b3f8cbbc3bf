import * as z from 'zod';
import { LANGUAGES, type Ticket } from '../domain/ticket.js';
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
  /**
   * The ticket as intake wrote it. Loose: every field is kept as sent, because routing writes the
   * ticket back from it (version-guarded); the fields the sender and routing decide on are checked.
   */
  ticket: z
    .looseObject({
      ticketNo: z.string(),
      version: z.number().int().positive(),
      status: z.string(),
      language: z.enum(LANGUAGES),
      customer: z.looseObject({ email: z.string().optional(), phone: z.string().optional() }),
      flags: z.array(z.string()),
      threadMessageIds: z.array(z.string()),
      createdAt: z.string(),
      firstResponseDueAt: z.string(),
    })
    .transform((ticket) => ticket as unknown as Ticket)
    .optional(),
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
}).refine((notification) => !notification.ticket || notification.ticket.ticketNo === notification.ticketNo, { message: 'the ticket snapshot is of another ticket', path: ['ticket'] }) satisfies z.ZodType<Notification>;
