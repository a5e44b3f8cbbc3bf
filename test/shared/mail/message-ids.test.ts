import { describe, expect, it } from 'vitest';
import { claimedNotificationId, ourMessageId, verifiedNotificationId } from '../../../shared/mail/message-ids.js';

const keys = { current: { kid: 'k1', key: 'a-link-signing-key' } };

describe('Message-IDs of the mail the desk sends', () => {
  it('verifies its own tag and refuses a guessed or altered one', () => {
    const messageId = ourMessageId('CS20240520001.ack.1', 'support.example.com', keys);
    expect(verifiedNotificationId(`<${messageId}>`, 'support.example.com', keys)).toBe('CS20240520001.ack.1');
    expect(verifiedNotificationId('<CS20240520001.ack.1@support.example.com>', 'support.example.com', keys)).toBeUndefined();
    expect(verifiedNotificationId(`<${messageId.replace(/[0-9a-f]@/, (c) => (c[0] === '0' ? '1@' : '0@'))}>`, 'support.example.com', keys)).toBeUndefined();
  });

  it('reads the claimed notification id without the tag, and leaves other dotted stamps alone', () => {
    const messageId = ourMessageId('CS20240520001.ack.1', 'support.example.com', keys);
    expect(claimedNotificationId(`<${messageId}>`)).toBe('CS20240520001.ack.1');
    expect(claimedNotificationId(messageId)).toBe('CS20240520001.ack.1');
    // A digest's millisecond stamp is not a tag.
    expect(claimedNotificationId('<digest.sam.1733000000000@support.example.com>')).toBe('digest.sam.1733000000000');
    expect(claimedNotificationId('no id at all')).toBeUndefined();
  });
});
