import { describe, expect, it } from 'vitest';
import { CalendarError, DomainError, TicketNumberError } from '../../../shared/domain/errors.js';

describe('DomainError', () => {
  it('carries its name, message and context', () => {
    const error = new DomainError('cannot', { context: { ticketNo: 'CS20240520001' } });
    expect([error.name, error.message, error.context]).toEqual(['DomainError', 'cannot', { ticketNo: 'CS20240520001' }]);
  });

  it('keeps the cause it was given', () => {
    const cause = new RangeError('bad zone');
    expect(new DomainError('cannot', { cause }).cause).toBe(cause);
  });

  it('has an empty context and no cause by default', () => {
    const error = new DomainError('cannot');
    expect([error.context, 'cause' in error]).toEqual([{}, false]);
  });
});

describe.each([
  ['CalendarError', CalendarError],
  ['TicketNumberError', TicketNumberError],
] as const)('%s', (name, ErrorClass) => {
  it('is a DomainError with its own name', () => {
    const error = new ErrorClass('cannot', { context: { at: 1 } });
    expect([error instanceof DomainError, error instanceof Error, error.name]).toEqual([true, true, name]);
  });
});
