import { describe, expect, it } from 'vitest';
import { headerFields, headerProblems } from './mail-headers.js';

describe('header checker used by the security tests', () => {
  it('finds a header that an injected line break added', () => {
    const raw = Buffer.from('From: a@example.com\r\nSubject: Hi\r\nBcc: attacker@evil.example\r\nTo: b@example.com\r\n\r\nbody');
    expect(headerProblems(raw)).toEqual(['injected header bcc: attacker@evil.example']);
  });

  it('finds a singleton header written twice', () => {
    const raw = Buffer.from('Subject: a\r\nSubject: b\r\n\r\n');
    expect(headerProblems(raw)).toEqual(['subject appears 2 times']);
  });

  it('reads folded lines as part of the header they continue', () => {
    const raw = Buffer.from('Subject: =?utf-8?B?SGk=?=\r\n =?utf-8?B?IEJjYzo=?=\r\nTo: b@example.com\r\n\r\nBcc: not-a-header');
    expect(headerFields(raw).map((field) => field.name)).toEqual(['subject', 'to']);
    expect(headerProblems(raw)).toEqual([]);
  });
});
