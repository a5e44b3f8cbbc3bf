import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TicketNumberError } from '../../../shared/domain/errors.js';
import {
  compareTicketNos,
  findTicketNoInSubject,
  formatTicketNo,
  parseTicketNo,
  TICKET_NO_PATTERN,
} from '../../../shared/domain/numbering.js';

/** Real dates between 2000 and 2099 as YYYYMMDD. */
const compactDate = fc
  .date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
const sequence = fc.integer({ min: 1, max: 10_000_000 });

describe('formatTicketNo', () => {
  it('pads the first ticket of the day to three digits', () => {
    expect(formatTicketNo('20240520', 1)).toBe('CS20240520001');
  });

  it('writes the 1000th ticket with four digits', () => {
    expect(formatTicketNo('20240520', 1000)).toBe('CS202405201000');
  });

  it('rejects a date that does not exist', () => {
    expect(() => formatTicketNo('20240230', 1)).toThrow(TicketNumberError);
  });

  it('rejects a date in another format', () => {
    expect(() => formatTicketNo('2024-05-20', 1)).toThrow(TicketNumberError);
  });

  it('rejects sequence 0', () => {
    expect(() => formatTicketNo('20240520', 0)).toThrow(TicketNumberError);
  });

  it('rejects a fractional sequence', () => {
    expect(() => formatTicketNo('20240520', 1.5)).toThrow(TicketNumberError);
  });
});

describe('parseTicketNo', () => {
  it('reads date and sequence', () => {
    expect(parseTicketNo('CS20240520042')).toEqual({ compactDate: '20240520', sequence: 42 });
  });

  it('reads a sequence longer than three digits', () => {
    expect(parseTicketNo('CS202405201000')).toEqual({ compactDate: '20240520', sequence: 1000 });
  });

  it('rejects extra zero padding, which the system never writes', () => {
    expect(parseTicketNo('CS202405200001')).toBeUndefined();
  });

  it('rejects a lower-case prefix', () => {
    expect(parseTicketNo('cs20240520001')).toBeUndefined();
  });

  it('rejects an impossible date', () => {
    expect(parseTicketNo('CS20241332001')).toBeUndefined();
  });

  it('rejects sequence 000', () => {
    expect(parseTicketNo('CS20240520000')).toBeUndefined();
  });

  it('rejects surrounding text', () => {
    expect(parseTicketNo('[CS20240520001]')).toBeUndefined();
  });

  it('gives back what formatTicketNo wrote (property)', () => {
    fc.assert(
      fc.property(compactDate, sequence, (date, seq) => {
        expect(parseTicketNo(formatTicketNo(date, seq))).toEqual({ compactDate: date, sequence: seq });
      }),
      { numRuns: 200 },
    );
  });
});

describe('compareTicketNos', () => {
  it('agrees, within one day, with comparing plain (length, string) pairs (property)', () => {
    const byLengthThenString = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
    fc.assert(
      fc.property(compactDate, sequence, sequence, (date, x, y) => {
        const [a, b] = [formatTicketNo(date, x), formatTicketNo(date, y)];
        expect(Math.sign(byLengthThenString(a, b))).toBe(Math.sign(x - y));
        expect(Math.sign(compareTicketNos(a, b))).toBe(Math.sign(x - y));
      }),
      { numRuns: 200 },
    );
  });

  it('orders the numbers of one day by sequence, by length then string (property)', () => {
    fc.assert(
      fc.property(compactDate, fc.uniqueArray(sequence, { minLength: 2, maxLength: 20 }), (date, sequences) => {
        const sorted = sequences.map((seq) => formatTicketNo(date, seq)).sort(compareTicketNos);
        expect(sorted.map((no) => parseTicketNo(no)?.sequence)).toEqual([...sequences].sort((a, b) => a - b));
      }),
      { numRuns: 200 },
    );
  });

  it('orders an earlier day first whatever the sequences', () => {
    expect(compareTicketNos('CS202405191000', 'CS20240520001')).toBeLessThan(0);
  });

  it('treats a number as equal to itself', () => {
    expect(compareTicketNos('CS20240520001', 'CS20240520001')).toBe(0);
  });
});

describe('TICKET_NO_PATTERN', () => {
  it('finds a number in brackets', () => {
    expect(TICKET_NO_PATTERN.exec('Re: [CS20240520001] help')?.[0]).toBe('CS20240520001');
  });

  it('ignores a number glued to other letters or digits', () => {
    expect(TICKET_NO_PATTERN.test('XCS20240520001')).toBe(false);
    expect(TICKET_NO_PATTERN.test('CS20240520001x')).toBe(false);
  });

  it('needs at least eleven digits', () => {
    expect(TICKET_NO_PATTERN.test('CS2024052001')).toBe(false);
  });

  it('keeps no state between calls', () => {
    const subject = '[CS20240520001]';
    expect([TICKET_NO_PATTERN.test(subject), TICKET_NO_PATTERN.test(subject)]).toEqual([true, true]);
  });
});

describe('findTicketNoInSubject', () => {
  it('finds the number in a reply subject', () => {
    expect(findTicketNoInSubject('Re: [CS20240520001] Cannot log in')).toBe('CS20240520001');
  });

  it('prefers a bracketed number to an earlier bare one', () => {
    expect(findTicketNoInSubject('About CS20240519007 and [CS20240520001]')).toBe('CS20240520001');
  });

  it('takes a bare number when none is bracketed', () => {
    expect(findTicketNoInSubject('回复：工单 CS20240520001 的进展')).toBe('CS20240520001');
  });

  it('reads lenticular brackets', () => {
    expect(findTicketNoInSubject('回复：【CS20240520001】无法登录')).toBe('CS20240520001');
  });

  it('reads full-width characters typed with a Chinese input method', () => {
    expect(findTicketNoInSubject('［ＣＳ２０２４０５２０００１］')).toBe('CS20240520001');
  });

  it('skips a malformed bracketed number for a well-formed one', () => {
    expect(findTicketNoInSubject('[CS20241399001] [CS20240520002]')).toBe('CS20240520002');
  });

  it('finds nothing in a subject without a number', () => {
    expect(findTicketNoInSubject('Order 20240520001 missing')).toBeUndefined();
  });

  it('finds any formatted number placed anywhere in a subject (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '回', ':', '-'), maxLength: 20 });
    fc.assert(
      fc.property(compactDate, sequence, text, text, fc.boolean(), (date, seq, before, after, bracketed) => {
        const no = formatTicketNo(date, seq);
        const subject = `${before} ${bracketed ? `[${no}]` : no} ${after}`;
        expect(findTicketNoInSubject(subject)).toBe(no);
      }),
      { numRuns: 200 },
    );
  });
});
