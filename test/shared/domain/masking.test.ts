import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Customer } from '../../../shared/domain/ticket.js';
import { maskAccount, maskCustomer, maskEmail, maskName, maskPhone, maskText } from '../../../shared/domain/masking.js';

/** Local parts with at least one digit, so they can never appear inside the letters-only domains below. */
const localPart = fc
  .tuple(fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz._-'), minLength: 1, maxLength: 15 }), fc.integer({ min: 0, max: 9 }))
  .map(([letters, digit]) => `${letters}${digit}`);
const domain = fc.constantFrom('example.com', 'qq.com', 'mail.example.org', 'corp.co.uk');
const email = fc.tuple(localPart, domain).map(([local, d]) => ({ local, address: `${local}@${d}` }));
/** Phones as people write them: optional country code, groups of 3-4 digits with spaces or dashes. */
const phone = fc
  .tuple(
    fc.option(fc.constantFrom('+86 ', '+1 ', '+49-', '0086 ', '('), { nil: undefined }),
    fc.array(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 3, maxLength: 4 }), { minLength: 2, maxLength: 4 }),
    fc.constantFrom(' ', '-', ''),
  )
  .map(([prefix, groups, sep]) => `${prefix ?? ''}${groups.join(sep)}`)
  .filter((p) => p.replace(/\D/g, '').length >= 7);
/** Surrounding text that holds no digits, no Latin letters and no @. */
const chineseText = fc.string({ unit: fc.constantFrom(...'请联系我电话邮箱谢谢，。：'), maxLength: 8 });
const digitsOf = (s: string): string => s.replace(/\D/g, '');

describe('maskName', () => {
  it('keeps the first word of a Latin name', () => {
    expect(maskName('Zhang San')).toBe('Zhang*');
  });

  it('keeps the first character of a Chinese name', () => {
    expect(maskName('张三')).toBe('张*');
  });

  it('keeps only the first character of a compound Chinese family name', () => {
    expect(maskName('欧阳娜娜')).toBe('欧*');
  });

  it('keeps only the first letter of a one-word Latin name', () => {
    expect(maskName('Madonna')).toBe('M*');
  });

  it('reads full-width letters and ideographic spaces as plain ones', () => {
    expect(maskName('Ｚｈａｎｇ\u3000Ｓａｎ')).toBe('Zhang*');
  });

  it('gives an empty string for a blank name', () => {
    expect(maskName('   ')).toBe('');
  });

  it('never gives back a Chinese name of two or more characters unchanged (property)', () => {
    const hanName = fc.string({ unit: fc.constantFrom(...'张王李赵欧阳娜三丽明'), minLength: 2, maxLength: 4 });
    fc.assert(
      fc.property(hanName, (name) => {
        expect(maskName(name)).toBe(`${name[0]}*`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('maskEmail', () => {
  it('keeps the first character and the domain', () => {
    expect(maskEmail('zhang.san@example.com')).toBe('z***@example.com');
  });

  it('gives nothing away for something that is not an address', () => {
    expect(maskEmail('zhang.san')).toBe('***');
  });

  it('never contains the whole local part (property)', () => {
    fc.assert(
      fc.property(email, ({ local, address }) => {
        expect(maskEmail(address)).not.toContain(local);
      }),
      { numRuns: 200 },
    );
  });
});

describe('maskPhone', () => {
  it('keeps only the last four digits behind seven stars', () => {
    expect(maskPhone('+86 138 0013 8000')).toBe('*******8000');
  });

  it('gives the same mask whatever the formatting', () => {
    expect(maskPhone('138-0013-8000')).toBe(maskPhone('+86 (138) 0013 8000'));
  });

  it('reads full-width digits', () => {
    expect(maskPhone('１３８００１３８０００')).toBe('*******8000');
  });

  it('shows no digit of a number of four digits or fewer', () => {
    expect(maskPhone('8000')).toBe('*******');
  });

  it('shows no digits but the last four (property)', () => {
    fc.assert(
      fc.property(phone, (p) => {
        expect(digitsOf(maskPhone(p))).toBe(digitsOf(p).slice(-4));
      }),
      { numRuns: 200 },
    );
  });
});

describe('maskAccount', () => {
  it('keeps the last four characters', () => {
    expect(maskAccount('ACC-123456789')).toBe('***6789');
  });

  it('shows nothing of a short account', () => {
    expect(maskAccount('A12')).toBe('***');
  });
});

describe('maskCustomer', () => {
  it('masks every personal field and keeps the rest', () => {
    const customer: Customer = { name: '张三', email: 'zhang.san@example.com', phone: '13800138000', account: 'ACC-123456789', vip: true };
    expect(maskCustomer(customer)).toEqual({ name: '张*', email: 'z***@example.com', phone: '*******8000', account: '***6789', vip: true });
  });

  it('does not add fields the customer did not have', () => {
    expect(maskCustomer({ email: 'a.b@example.com', vip: false })).toEqual({ email: 'a***@example.com', vip: false });
  });

  it('leaves the original untouched', () => {
    const customer: Customer = { name: 'Zhang San', vip: false };
    maskCustomer(customer);
    expect(customer.name).toBe('Zhang San');
  });
});

describe('maskText', () => {
  it('masks an email address and a phone number in a sentence', () => {
    expect(maskText('call +86 138 0013 8000 or mail zhang@example.com')).toBe('call *******8000 or mail z***@example.com');
  });

  it('masks a phone number written straight after Chinese text', () => {
    expect(maskText('电话13800138000')).toBe('电话*******8000');
  });

  it('masks an address whose local part is a phone number as an address', () => {
    expect(maskText('邮箱13800138000@qq.com')).toBe('邮箱1***@qq.com');
  });

  it('masks a landline with brackets and a dash', () => {
    expect(maskText('tel (010) 6234-5678')).toBe('tel *******5678');
  });

  it('leaves ticket numbers readable', () => {
    expect(maskText('ticket CS20240520001 created')).toBe('ticket CS20240520001 created');
  });

  it('leaves ISO timestamps readable', () => {
    expect(maskText('at 2024-05-20T06:30:00.000Z and 2024-05-20 14:30+08:00')).toBe('at 2024-05-20T06:30:00.000Z and 2024-05-20 14:30+08:00');
  });

  it('leaves UUIDs readable', () => {
    const line = 'request 550e8400-e29b-41d4-a716-446655440000';
    expect(maskText(line)).toBe(line);
  });

  it('leaves short numbers alone', () => {
    expect(maskText('order 123456, 3 items')).toBe('order 123456, 3 items');
  });

  it('keeps an amount and a date side by side readable (cents and the date are not one number)', () => {
    expect(maskText('扣了两次 ¥299.00 2024-05-20 10:05')).toBe('扣了两次 ¥299.00 2024-05-20 10:05');
    expect(maskText('¥299 2024-05-20 10:05')).toBe('¥299 2024-05-20 10:05');
    expect(maskText('13800138000 2024-05-20')).toBe('*******8000 2024-05-20');
  });

  it('still masks a phone number that follows a date', () => {
    expect(maskText('2024-05-20 1234567')).not.toContain('1234567');
  });

  it('never leaves an email local part or more than four phone digits in text (property)', () => {
    fc.assert(
      fc.property(chineseText, email, chineseText, phone, chineseText, (a, mail, b, tel, c) => {
        const masked = maskText(`${a}${mail.address}${b} ${tel} ${c}`);
        expect(masked).not.toContain(mail.local);
        // Local parts start with a non-digit and domains have none, so the only digits left are the phone's last four.
        expect(digitsOf(masked)).toBe(digitsOf(tel).slice(-4));
      }),
      { numRuns: 200 },
    );
  });

  it('changes nothing in text without digits or @ (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abc xyz-+()张三，。') }), (text) => {
        expect(maskText(text)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});
