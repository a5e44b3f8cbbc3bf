import { describe, expect, it } from 'vitest';
import { detectAutomatic } from '../../../shared/mail/automatic.js';

const person = 'jane@customer.example.com';

describe('detectAutomatic', () => {
  it('treats ordinary mail as not automatic', () => {
    expect(detectAutomatic({ subject: ['Help'] }, 'text/plain', person, person)).toEqual({ automatic: false });
  });

  it('treats Auto-Submitted: no as not automatic', () => {
    expect(detectAutomatic({ 'auto-submitted': ['no'] }, 'text/plain', person, person).automatic).toBe(false);
  });

  it.each([['auto-replied'], ['auto-generated'], ['auto-notified; owner-email="x@y"']])('flags Auto-Submitted: %s as auto-reply', (value) => {
    expect(detectAutomatic({ 'auto-submitted': [value] }, 'text/plain', person, person).kind).toBe('auto-reply');
  });

  it.each([['x-autoreply'], ['x-autorespond'], ['x-autoresponder']])('flags %s as auto-reply', (header) => {
    expect(detectAutomatic({ [header]: ['yes'] }, 'text/plain', person, person).kind).toBe('auto-reply');
  });

  it('flags X-Auto-Response-Suppress with a value as auto-reply', () => {
    expect(detectAutomatic({ 'x-auto-response-suppress': ['OOF, AutoReply'] }, 'text/plain', person, person).kind).toBe('auto-reply');
  });

  it('ignores X-Auto-Response-Suppress: None', () => {
    expect(detectAutomatic({ 'x-auto-response-suppress': ['None'] }, 'text/plain', person, person).automatic).toBe(false);
  });

  it.each([
    ['bulk', 'bulk'],
    ['junk', 'bulk'],
    ['list', 'list'],
    ['auto_reply', 'auto-reply'],
  ])('maps Precedence: %s to %s', (precedence, kind) => {
    expect(detectAutomatic({ precedence: [precedence] }, 'text/plain', person, person).kind).toBe(kind);
  });

  it('flags List-Id as list', () => {
    expect(detectAutomatic({ 'list-id': ['<users.lists.example.org>'] }, 'text/plain', person, person).kind).toBe('list');
  });

  it('names List-Unsubscribe with Precedence: list in the reason', () => {
    const verdict = detectAutomatic({ precedence: ['list'], 'list-unsubscribe': ['<mailto:x@y>'] }, 'text/plain', person, person);
    expect(verdict).toEqual({ automatic: true, kind: 'list', reason: 'List-Unsubscribe with Precedence: list' });
  });

  it('flags delivery-status reports as bounce before their Auto-Submitted header', () => {
    const verdict = detectAutomatic({ 'auto-submitted': ['auto-replied'] }, 'multipart/report; report-type=delivery-status; boundary="b"', 'x@y.z', '');
    expect(verdict.kind).toBe('bounce');
  });

  it.each([
    ['multipart/report; report-type=disposition-notification; boundary="b"', 'disposition-notification'],
    ['multipart/report; report-type="feedback-report"; boundary="b"', 'feedback-report'],
    ['multipart/report; report-type=tlsrpt; boundary="b"', 'tlsrpt'],
  ])('flags other reports (%s) as report, with no header that says so: a read receipt from a person\'s own address', (type, reportType) => {
    // A customer's mail client answers our acknowledgement with a read receipt: answering it back would start a loop.
    expect(detectAutomatic({}, type, person, person)).toEqual({ automatic: true, kind: 'report', reason: `multipart/report; report-type=${reportType}` });
  });

  it('reads a multipart/report without a report-type as the delivery failure it usually is', () => {
    expect(detectAutomatic({}, 'multipart/report; boundary="b"', person, person).kind).toBe('bounce');
  });

  it('flags a bare disposition notification as report', () => {
    expect(detectAutomatic({}, 'message/disposition-notification', person, person).kind).toBe('report');
  });

  it.each([['MAILER-DAEMON@mx.example.com'], ['postmaster@mx.example.com']])('flags mail from %s as mailer-daemon', (from) => {
    expect(detectAutomatic({}, 'text/plain', from, person).kind).toBe('mailer-daemon');
  });

  it('flags the null return path as null-sender', () => {
    expect(detectAutomatic({}, 'text/plain', person, '').kind).toBe('null-sender');
  });

  it('does not treat a missing return path as the null sender', () => {
    expect(detectAutomatic({}, 'text/plain', person, undefined).automatic).toBe(false);
  });
});
