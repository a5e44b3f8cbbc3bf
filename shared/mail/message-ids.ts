import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The Message-IDs of the mail the desk sends: `<notificationId>.<tag>@<desk domain>`, where the
 * tag is a MAC of the notification id under the link-signing key. The notification id keeps
 * them readable and lets replies thread by ticket number; the tag makes them unguessable, so a
 * forged delivery report cannot name one of our mails (`CS20240520001.ack.1@…` alone is not
 * ours) and suppress the address we sent it to. The same notification always gets the same
 * Message-ID (a resend is recognised as the same mail), and a rotated key still verifies the
 * ids signed with the previous ones.
 */

export interface MessageIdKeys {
  current: { kid: string; key: string };
  previous?: Array<{ kid: string; key: string }>;
}

const TAG_HEX_LENGTH = 20;

function tagOf(key: string, notificationId: string): string {
  return createHmac('sha256', key).update(`message-id:${notificationId}`).digest('hex').slice(0, TAG_HEX_LENGTH);
}

/**
 * The Message-ID (without angle brackets) of the mail that carries a notification.
 *
 * @example
 * ourMessageId('CS20240520001.ack.1', 'support.example.com', keys); // 'CS20240520001.ack.1.3f9c…@support.example.com'
 */
export function ourMessageId(notificationId: string, deskDomain: string, keys: MessageIdKeys): string {
  return `${notificationId}.${tagOf(keys.current.key, notificationId)}@${deskDomain}`;
}

/** The notification id of one of our Message-IDs whose tag verifies, or undefined (not ours, or forged). */
export function verifiedNotificationId(messageId: string, deskDomain: string, keys: MessageIdKeys): string | undefined {
  const id = messageId.trim().replace(/^<|>$/g, '');
  const at = id.lastIndexOf('@');
  if (at <= 0 || id.slice(at + 1).toLowerCase() !== deskDomain.toLowerCase()) return undefined;
  const local = id.slice(0, at);
  const dot = local.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const notificationId = local.slice(0, dot);
  const given = Buffer.from(local.slice(dot + 1).toLowerCase());
  for (const key of [keys.current, ...(keys.previous ?? [])]) {
    const expected = Buffer.from(tagOf(key.key, notificationId));
    if (given.length === expected.length && timingSafeEqual(given, expected)) return notificationId;
  }
  return undefined;
}

/**
 * The notification id a Message-ID claims, tag stripped and NOT verified: for reading our own
 * outbox (harnesses, reports), never for deciding what inbound mail may do.
 */
export function claimedNotificationId(messageId: string): string | undefined {
  const local = /^<?([^@<>\s]+)@/.exec(messageId.trim())?.[1];
  return local?.replace(new RegExp(`\\.[0-9a-f]{${TAG_HEX_LENGTH}}$`, 'i'), '');
}
