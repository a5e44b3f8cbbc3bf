import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isResidentId, maskFreeText, passesLuhn } from '../../../shared/domain/masking.js';

/** A valid resident ID: the check character computed from the first 17 digits. */
function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, w, i) => total + w * Number(first17[i]), 0);
  return first17 + '10X98765432'[sum % 11];
}

/** A card number that passes Luhn: the check digit computed for the given digits. */
function cardNumber(body: string): string {
  for (let d = 0; d <= 9; d += 1) if (passesLuhn(body + d)) return body + d;
  throw new Error('unreachable');
}

describe('passesLuhn and isResidentId', () => {
  it('accepts well-known valid numbers and refuses a changed digit', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(isResidentId('11010519491231002X')).toBe(true);
    expect(isResidentId('110105194912310021')).toBe(false);
  });
});

describe('maskFreeText', () => {
  it('masks a bank card number that passes Luhn, keeping the last four digits, grouped or not', () => {
    expect(maskFreeText('card 4111 1111 1111 1111 was charged')).toBe('card ****1111 was charged');
    expect(maskFreeText('卡号6222021234567890128不对'.replace('6222021234567890128', cardNumber('622202123456789012')))).toMatch(/^卡号\*{4}\d{4}不对$/);
    expect(maskFreeText('card 4111-1111-1111-1111.')).toBe('card ****1111.');
  });

  it('masks a Chinese resident ID number whose checksum holds', () => {
    expect(maskFreeText('身份证号11010519491231002X，请核实')).toBe('身份证号**************002X，请核实');
    expect(maskFreeText('id 11010519491231002x')).toBe('id **************002X');
  });

  it('keeps amounts and dates side by side readable, and still masks a phone number beside a date', () => {
    expect(maskFreeText('扣了两次 ¥299.00 2024-05-20 10:05，请退款')).toBe('扣了两次 ¥299.00 2024-05-20 10:05，请退款');
    expect(maskFreeText('金额 ¥1299 2024-05-20 到账')).toBe('金额 ¥1299 2024-05-20 到账');
    expect(maskFreeText('2024-05-20 13800138000 来电')).toBe('2024-05-20 *******8000 来电');
    expect(maskFreeText('13800138000 2024-05-20')).toBe('*******8000 2024-05-20');
  });

  it('masks phone numbers and email addresses in the text', () => {
    expect(maskFreeText('手机 13800138000，邮箱 zhang.san@example.com')).toBe('手机 *******8000，邮箱 z***@example.com');
    expect(maskFreeText('call +1 (415) 555-0134 today')).toBe('call *******0134 today');
    expect(maskFreeText('电话：０１０－６２３４５６７８')).toBe('电话：*******5678');
  });

  it('keeps ticket numbers, dates, prices and order numbers with letters readable', () => {
    const text = '工单 CS20240520001，2024-05-20 下单 DD20240607123，价格 1999 元';
    expect(maskFreeText(text)).toBe(text);
  });

  it('leaves no valid card or ID number readable in any surrounding text', () => {
    const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
    const filler = fc.constantFrom('', ' ', '卡号', '，', 'card: ', '\n', '身份证');
    fc.assert(
      fc.property(filler, digits(15), digits(17), filler, (before, card, id, after) => {
        const c = cardNumber(card);
        const i = residentId(id);
        const masked = maskFreeText(`${before}${c}${after} ${i}${after}`);
        expect(masked).not.toContain(c);
        expect(masked).not.toContain(i);
        expect(masked).not.toContain(c.slice(0, 8));
      }),
      { numRuns: 300 },
    );
  });
});
